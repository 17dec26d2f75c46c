// Claims from a new document: stored with its text, a sentence selected, the figure
// recorded as a projection, and the claim scored on /claims with its quote verbatim.
// The same through the API, with derivations, and every refusal naming its field.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchBrowser } from './browser';

const baseUrl = inject('baseUrl');
const token = inject('editorToken');
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(() => browser?.close());

const post = (path: string, body: unknown, auth = true) =>
  fetch(`${baseUrl}${path}`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      ...(auth ? { Authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify(body),
  });

describe('a claim from a new document, in the browser', () => {
  const sentence =
    'China’s oil consumption is set to reach 700 million tonnes a year by 2020, the institute said.';
  it('adds the document, selects the sentence, records the projection and sees it scored', async () => {
    const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${baseUrl}/login?next=${encodeURIComponent('/sources/new')}`);
    await page.getByLabel('Editor token').fill(token);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL('**/sources/new');

    await page.getByLabel('Title').fill('Energy outlook for China (browser test)');
    await page.getByLabel('Publisher').fill('Example Energy Institute');
    await page.getByLabel(/^Published/).fill('2012-05');
    await page.getByLabel('URL').fill('https://example.org/outlook-2012');
    await page.getByLabel('Licence or terms').fill('Quoted for comment');
    await page
      .getByLabel(/the excerpt that makes the claims/)
      .fill(`Outlook 2012.\n\nDemand keeps growing. ${sentence} Imports will follow.`);
    await page.getByRole('button', { name: /Save the document/ }).click();
    await page.waitForURL(/\/sources\/\d+#review$/);
    await page.getByRole('link', { name: 'Record a claim from this document' }).click();
    await page.waitForURL(/\/sources\/\d+\/claims\/new$/);

    await page.locator('.sentence', { hasText: 'reach 700 million tonnes' }).click();
    expect(await page.getByTestId('quote').inputValue()).toBe(sentence);
    expect(await page.getByTestId('quote-offsets').innerText()).toMatch(/^Characters \d+–\d+/);
    await page.locator('select[name="indicator"]').selectOption('oil-consumption');
    await page.getByLabel(/^Entity/).fill('CHN');
    await page.locator('select[name="kind"]').selectOption('projection');
    await page.getByLabel(/^Target period/).fill('2020');
    await page.getByLabel('Figure', { exact: true }).fill('700');
    await page.getByLabel(/^Attribution/).fill('the institute');
    await page.getByRole('button', { name: 'Record the claim' }).click();
    await page.waitForURL(/\/claims#claim-observation-\d+$/);

    const id = new URL(page.url()).hash.slice('#claim-'.length);
    const row = page.locator(`tr[data-claim="${id}"]`);
    expect(await row.locator('blockquote').innerText()).toBe(sentence);
    expect(await row.getAttribute('data-status')).toBe('held');
    const text = await row.innerText();
    expect(text).toContain('Projected by the institute, 2012-05');
    expect(text).toContain('700 Mt/yr');
    // The outcome: the shipped consumption (or claims.e2e's newer series for 2020).
    expect(await row.locator('td').nth(3).innerText()).toMatch(/\d+ Mt\/yr \(2020\)/);
    await context.close();
  });
});

describe('documents, claims and derivations through the API', () => {
  it('needs the editor token and names the field of a bad request', async () => {
    expect((await post('/api/sources', {}, false)).status).toBe(401);
    const bad = await post('/api/sources', { title: 'x', publisher: 'y', text: 'z' });
    expect(bad.status).toBe(400);
    expect((await bad.json()).errors).toEqual([expect.objectContaining({ path: 'publishedAt' })]);
    const notJson = await fetch(`${baseUrl}/api/claims`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
      body: '{',
    });
    expect(notJson.status).toBe(400);
  });

  it('stores a document, records a claim with computed offsets, and defines a derivation', async () => {
    const text =
      'Forecast note.\nKazakhstan will be 5.2 times the size of France in 2023, roughly.';
    const created = await post('/api/sources', {
      title: 'API forecast note',
      publisher: 'Example Desk',
      publishedAt: '2020-01-15',
      url: 'https://example.org/api-note',
      license: 'CC BY 4.0',
      text,
    });
    expect(created.status).toBe(201);
    const { source } = await created.json();
    expect(
      (
        await post('/api/sources', {
          ...{
            title: 'API forecast note',
            publisher: 'Example Desk',
            publishedAt: '2020',
            text: 'x',
          },
        })
      ).status,
    ).toBe(409);

    const claim = {
      source: source.id,
      quote: { text: 'Kazakhstan will be 5.2 times the size of France in 2023, roughly.' },
      indicator: 'territory-vs-france',
      entity: 'KAZ',
      kind: 'projection',
      period: '2023',
      value: 5.2,
    };
    const missing = await post('/api/claims', {
      ...claim,
      quote: { text: 'Kazakhstan will be six times' },
    });
    expect(missing.status).toBe(400);
    expect((await missing.json()).errors[0]).toMatchObject({ path: 'quote.text' });

    const res = await post('/api/claims', claim);
    expect(res.status).toBe(201);
    const body = await res.json();
    expect(body.claim).toMatchObject({ startOffset: 15, endOffset: 15 + 65 });
    expect((await post('/api/claims', claim)).status).toBe(200);

    const scored = (await (await fetch(`${baseUrl}/api/claims`)).json()).claims.find(
      (c: { id: string }) => c.id === body.claim.id,
    );
    expect(scored).toMatchObject({
      status: 'held',
      claim: { value: 5.2, quote: { text: claim.quote.text } },
      outcome: { derivation: { slug: 'kazakhstan-area-vs-france' }, period: '2023' },
    });

    const derivation = await post('/api/derivations', {
      title: 'Kazakhstan land area minus France’s (API test)',
      formula: 'difference',
      a: { indicator: 'land-area', entity: 'KAZ' },
      b: { indicator: 'land-area', entity: 'FRA' },
      target: { indicator: 'land-area', entity: 'KAZ' },
    });
    expect(derivation.status).toBe(201);
    const bad = await post('/api/derivations', {
      title: 'Bad',
      formula: 'share',
      a: { indicator: 'land-area', entity: 'KAZ' },
      b: { indicator: 'population-density', entity: 'KAZ' },
      target: { indicator: 'oil-import-share', entity: 'CHN' },
    });
    expect(bad.status).toBe(400);
    expect((await bad.json()).errors[0]).toMatchObject({ path: 'b' });
    const listed = (await (await fetch(`${baseUrl}/api/derivations`)).json()).derivations.map(
      (d: { slug: string }) => d.slug,
    );
    expect(listed).toContain('kazakhstan-land-area-minus-france-s-api-test');
  });
});
