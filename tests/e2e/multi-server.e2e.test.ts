// Several app servers, one database (behind a load balancer): a write through one is
// read through the other at once, the editor token works on both, writers to one
// series through both lose nothing, and views as of a date agree. On a SQLite file here; on PostgreSQL with TEST_DATABASE, as deployed.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchBrowser } from './browser';
import { logInThroughForm } from './support/login';

const first = inject('baseUrl');
const second = inject('secondUrl');
const token = inject('editorToken');
const writeHeaders = { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' };

type Observations = { observations: { period: string; value: number; revision: number }[] };

async function observations(base: string, seriesId: number): Promise<Observations> {
  const res = await fetch(`${base}/api/series/${seriesId}/observations`);
  expect(res.status).toBe(200);
  return (await res.json()) as Observations;
}

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(() => browser?.close());

describe('two app servers on one database', () => {
  it('ends a session on every server when the editor logs out on one', async () => {
    const { cookie } = await logInThroughForm(browser, first, token);
    // A copy of the cookie, replayed on the other server: an empty source is refused for
    // its fields (400), not as a stranger's (401), until the logout.
    const replay = () =>
      fetch(`${second}/api/sources`, {
        method: 'POST',
        headers: { cookie, origin: second, 'content-type': 'application/json' },
        body: '{}',
      });
    expect((await replay()).status).toBe(400);
    const context = await browser.newContext();
    const [name, value] = [
      cookie.slice(0, cookie.indexOf('=')),
      cookie.slice(cookie.indexOf('=') + 1),
    ];
    await context.addCookies([{ name, value, url: first }]);
    const page = await context.newPage();
    await page.goto(`${first}/login`);
    await page.getByRole('button', { name: 'Log out', exact: true }).click();
    await page.getByRole('button', { name: 'Log in' }).waitFor();
    await context.close();
    expect((await replay()).status).toBe(401);
  });

  it('reads through one server what was written through the other, at once', async () => {
    expect(second).not.toBe(first);
    const label = `Written on one server ${Date.now()}`;
    const created = await fetch(`${first}/api/series`, {
      method: 'POST',
      headers: writeHeaders,
      body: JSON.stringify({
        indicator: 'population-density',
        entity: 'KAZ',
        kind: 'observed',
        label,
        unit: 'people per km²',
        source: { title: 'Two servers', producer: 'Sourced tests', url: 'https://example.org/2' },
        observations: [
          { period: '2021', value: 7.1 },
          { period: '2022', value: 7.2 },
        ],
      }),
    });
    expect(created.status).toBe(201);
    const report = (await created.json()) as { entities: { seriesId: number }[] };
    const seriesId = report.entities[0]!.seriesId;

    // The other server's API and page know the series on the very next request.
    const indicator = (await (
      await fetch(`${second}/api/indicators/population-density`)
    ).json()) as { indicator: { series: { id: number; label: string }[] } };
    expect(indicator.indicator.series.map((s) => s.label)).toContain(label);
    expect((await observations(second, seriesId)).observations).toMatchObject([
      { period: '2021', value: 7.1, revision: 1 },
      { period: '2022', value: 7.2, revision: 1 },
    ]);
    // The page lists the series in view: ask for a view that holds the new one (the
    // default view may already be full of other tests' series).
    const page = await (
      await fetch(`${second}/indicators/population-density?series=${seriesId}`)
    ).text();
    expect(page).toContain(label);

    // A revision through the second server (same editor token) is read through the first.
    const revised = await fetch(`${second}/api/series/${seriesId}/observations`, {
      method: 'POST',
      headers: writeHeaders,
      body: JSON.stringify({ observations: [{ period: '2022', value: 7.25 }] }),
    });
    expect(revised.status).toBe(201);
    expect((await observations(first, seriesId)).observations).toMatchObject([
      { period: '2021', value: 7.1, revision: 1 },
      { period: '2022', value: 7.25, revision: 2 },
    ]);

    // Both servers tell the same history: the view as of now, and as of before the write.
    for (const asOf of ['', '?asOf=2004-07-01']) {
      const [a, b] = await Promise.all(
        [first, second].map(async (base) =>
          (await fetch(`${base}/api/indicators/population-density${asOf}`)).json(),
        ),
      );
      expect(b).toEqual(a);
    }
  });

  it('keeps every value 20 writers add to one series through both servers at once', async () => {
    const label = `Twenty writers ${Date.now()}`;
    const created = await fetch(`${first}/api/series`, {
      method: 'POST',
      headers: writeHeaders,
      body: JSON.stringify({
        indicator: 'population-density',
        entity: 'CHN',
        kind: 'observed',
        label,
        unit: 'people per km²',
        source: { title: 'Two servers', producer: 'Sourced tests', url: 'https://example.org/2' },
        observations: [{ period: '1999', value: 1 }],
      }),
    });
    expect(created.status).toBe(201);
    const seriesId = ((await created.json()) as { entities: { seriesId: number }[] }).entities[0]!
      .seriesId;
    // Each writer adds a year and revises 1999; odd writers go through the second server.
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        fetch(`${i % 2 ? second : first}/api/series/${seriesId}/observations`, {
          method: 'POST',
          headers: writeHeaders,
          body: JSON.stringify({
            observations: [
              { period: String(2000 + i), value: 100 + i },
              { period: '1999', value: 2 + i },
            ],
          }),
        }).then((r) => r.status),
      ),
    );
    expect(answers).toEqual(Array.from({ length: 20 }, () => 201));
    const stored = (await observations(second, seriesId)).observations;
    expect(stored.map((o) => [o.period, o.value])).toEqual([
      ['1999', expect.any(Number)],
      ...Array.from({ length: 20 }, (_, i) => [String(2000 + i), 100 + i]),
    ]);
    // Every acknowledged revision of 1999 was kept, in turn: 20 on top of the first.
    expect(stored[0]!.revision).toBe(21);
    const history = (await (
      await fetch(`${first}/api/series/${seriesId}/revisions?limit=100`)
    ).json()) as { revisions: { period: string; value: number }[] };
    const of1999 = history.revisions.filter((r) => r.period === '1999').map((r) => r.value);
    expect(new Set(of1999)).toEqual(new Set([1, ...Array.from({ length: 20 }, (_, i) => 2 + i)]));
  });

  it('answers the full export alike from both servers', async () => {
    const [a, b] = await Promise.all(
      [first, second].map(async (base) => (await fetch(`${base}/api/export.csv`)).text()),
    );
    expect(a!.length).toBeGreaterThan(1000);
    expect(b).toBe(a);
  });
});
