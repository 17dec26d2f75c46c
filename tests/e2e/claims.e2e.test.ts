// The scorecard end to end: data added through the API changes a claim's verdict on
// /claims, in /api/claims and in /claims.csv; the as-of date hides it again.
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchBrowser } from './browser';

const baseUrl = inject('baseUrl');
const token = inject('editorToken');
let browser: Browser;

type Claim = {
  title: string;
  status: string;
  outcome: { value: number } | null;
  error: { percent: number } | null;
};

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(() => browser?.close());

describe('claims against outcomes', () => {
  it('scores the 400 Mt claim once consumption in barrels a day is added', async () => {
    const res = await fetch(`${baseUrl}/api/series`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({
        indicator: 'oil-consumption',
        entity: 'CHN',
        kind: 'observed',
        label: 'Claims e2e consumption',
        unit: 'barrels per day',
        source: {
          title: 'Claims e2e data',
          producer: 'Sourced tests',
          url: 'https://example.org/claims-e2e',
        },
        observations: [{ period: '2020', value: 14225000 }],
      }),
    });
    expect(res.status).toBe(201);

    const api = await (await fetch(`${baseUrl}/api/claims`)).json();
    const oil = (api.claims as Claim[]).find(
      (c) => c.title === 'China’s annual oil consumption: China',
    )!;
    expect(oil.status).toBe('undershot');
    expect(oil.outcome!.value).toBeCloseTo(708.339, 3);
    expect(oil.error!.percent).toBeCloseTo(-43.53, 2);
    expect(api.rules.heldTolerance).toBe(0.1);

    const csv = parse(await (await fetch(`${baseUrl}/claims.csv`)).text(), {
      bom: true,
      columns: true,
    }) as Record<string, string>[];
    const row = csv.find((r) => r.claim === 'China’s annual oil consumption: China')!;
    expect(row).toMatchObject({
      predicted: '400',
      unit: 'million tonnes per year',
      target_period: '2020',
      status: 'undershot',
    });
    expect(Number(row.observed)).toBeCloseTo(708.339, 3);
  });

  it('shows the scorecard in the browser, sorts it, and goes back to 2004', async () => {
    const page = await browser.newPage();
    await page.goto(`${baseUrl}/claims`);
    // The article's row, by its title and quote: other documents' claims may share a title.
    const titled = (title: string, quote: string) =>
      page
        .locator('tr[data-claim]')
        .filter({ has: page.getByRole('link', { name: title, exact: true }) })
        .filter({ hasText: quote });
    const oil = titled(
      'China’s annual oil consumption: China',
      'The annual consumption of oil in China is expected',
    );
    expect(await oil.getAttribute('data-status')).toBe('undershot');
    expect(await oil.innerText()).toContain('Undershot');
    // Scored from the shipped land-area data: 2,699,700 ÷ 538,950 km².
    expect(
      await titled(
        'Kazakhstan’s territory compared with France: Kazakhstan',
        'This bodes ill for Kazakhstan',
      ).getAttribute('data-status'),
    ).toBe('held');

    await page.getByRole('link', { name: /^Status/ }).click();
    await page.waitForURL(/sort=status/);
    const statuses = await page
      .locator('tr[data-claim]')
      .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-status')));
    const order = [
      'held',
      'overshot',
      'undershot',
      'not-yet-due',
      'no-data',
      'waiting-for-operand',
      'not-comparable',
    ];
    expect(statuses.map((s) => order.indexOf(s!))).toEqual(
      [...statuses.map((s) => order.indexOf(s!))].sort((a, b) => a - b),
    );

    await page.locator('input[name="asOf"]').fill('2004-12-31');
    await page.getByRole('button', { name: 'Show' }).click();
    await page.waitForURL(/asOf=2004-12-31/);
    expect(await oil.getAttribute('data-status')).toBe('not-yet-due');
    expect(
      await titled('China’s oil import share: China', 'Experts believe that by 2010').getAttribute(
        'data-status',
      ),
    ).toBe('not-yet-due');
    await page.close();
  });
});
