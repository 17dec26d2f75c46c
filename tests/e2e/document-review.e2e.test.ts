// From a document to scored claims: the seed article added as a new document, its six
// figures proposed on its page, accepted at once and scored on /claims; the extraction and
// source APIs; a PDF uploaded through the API.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchBrowser } from './browser';
import { startServer, type Server } from './global-setup';
import { ARTICLE_TEXT_FILE } from '../support/fixtures';
import { makePdf } from '../claims/document-files';

const token = inject('editorToken');
const article = fs.readFileSync(ARTICLE_TEXT_FILE, 'utf8');
let browser: Browser;
// A server of its own: the article added again as a new document puts a second copy of
// its claims on /claims, which the other browser tests count and find by name.
let server: Server;
let baseUrl: string;
let dir: string;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sourced-review-'));
  [server, browser] = await Promise.all([
    startServer(dir, 'review', { SOURCED_EDITOR_TOKEN: token }),
    launchBrowser(),
  ]);
  baseUrl = server.baseUrl;
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

const post = (path: string, body: unknown, auth = true) =>
  fetch(`${baseUrl}${path}`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      ...(auth ? { Authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify(body),
  });

// The statuses the shipped outcomes give the article's figures (README, "Claims against outcomes").
const EXPECTED = [
  { quote: 'import half of its oil needs', value: 50, status: 'held' },
  { quote: 'rise to 400 million tons', value: 400, status: 'undershot' },
  { quote: 'some 12 million Chinese', value: 12, status: 'undershot' },
  { quote: 'five times the size of France', value: 5, status: 'held' },
  { quote: 'We have 130 people', value: 130, status: 'held' },
  { quote: 'We have 130 people', value: 5, status: 'undershot' },
];

describe('reviewing the proposed claims of a new document, in the browser', () => {
  it('adds the article, accepts every proposal that matches an indicator, and sees them scored', async () => {
    const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${baseUrl}/login?next=${encodeURIComponent('/sources/new')}`);
    await page.getByLabel('Editor token').fill(token);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL('**/sources/new');

    await page.getByLabel(/^Title/).fill('China and Kazakhstan (review test)');
    await page.getByLabel('Publisher').fill('Eurasia Daily Monitor (review test)');
    await page.getByLabel(/^Published/).fill('2004-06-29');
    await page.getByLabel(/the excerpt that makes the claims/).fill(article);
    await page.getByRole('button', { name: /Save the document/ }).click();
    await page.waitForURL(/\/sources\/\d+#review$/);

    const cards = page.locator('li.proposal');
    expect(await cards.count()).toBeGreaterThanOrEqual(6);
    expect(await cards.count()).toBeLessThanOrEqual(8);
    // The sentence is shown in its paragraph, the figure emphasised inside it.
    const oil = cards.filter({
      has: page.locator('mark', { hasText: 'rise to 400 million tons' }),
    });
    expect(await oil.locator('mark strong').innerText()).toBe('400 million tons');
    expect(await oil.locator('select[name="indicator"]').inputValue()).toBe('oil-consumption');
    expect(await oil.locator('input[name="period"]').inputValue()).toBe('2020');

    // Keyboard: a focused proposal is rejected with "r"; "Show the rejected again" restores it.
    await cards.first().focus();
    await page.keyboard.press('r');
    await page
      .getByTestId('review-counts')
      .getByText(/1 rejected/)
      .waitFor();
    await page.getByRole('button', { name: 'Show the rejected again' }).click();
    await page
      .getByTestId('review-counts')
      .getByText(/0 rejected/)
      .waitFor();

    await page.getByRole('button', { name: 'Accept all that match an indicator' }).click();
    await page
      .getByTestId('review-status')
      .getByText(/claims? recorded/)
      .waitFor();
    expect(await page.getByTestId('review-status').innerText()).toMatch(/^\d+ claims recorded\.$/);
    const links = await page
      .getByTestId('review-accepted')
      .locator('a')
      .evaluateAll((as) => as.map((a) => (a as HTMLAnchorElement).hash.slice('#claim-'.length)));
    expect(links.length).toBeGreaterThanOrEqual(6);

    // Each is a row on /claims with its status; its value and quote are read from the same scorecard's JSON.
    await page.goto(`${baseUrl}/claims`);
    const scorecard = (await (await fetch(`${baseUrl}/api/claims`)).json()).claims as {
      id: string;
      status: string;
      claim: { value: number; quote: { text: string } };
    }[];
    const found = [];
    for (const id of links) {
      const status = await page.locator(`tr[data-claim="${id}"]`).getAttribute('data-status');
      const c = scorecard.find((x) => x.id === id)!;
      expect(c.status).toBe(status);
      found.push({ quote: c.claim.quote.text, value: c.claim.value, status });
    }
    for (const e of EXPECTED) {
      const row = found.find((f) => f.quote.includes(e.quote) && f.value === e.value);
      expect(row, `${e.quote} ${e.value}`).toBeDefined();
      expect(row!.status, `${e.quote} ${e.value}`).toBe(e.status);
    }
    await context.close();
  });
});

describe('the extraction and source APIs', () => {
  it('extracts the article’s figures for an editor, and refuses what it cannot read', async () => {
    expect((await post('/api/extract', { text: 'x' }, false)).status).toBe(401);
    const both = await post('/api/extract', { text: 'x', documentId: 1 });
    expect(both.status).toBe(400);
    expect((await both.json()).errors[0]).toMatchObject({ path: 'documentId' });
    const long = await post('/api/extract', { text: 'a'.repeat(1_000_001) });
    expect(long.status).toBe(400);
    expect((await long.json()).errors[0]).toMatchObject({ path: 'text' });
    expect((await post('/api/extract', { documentId: 999_999 })).status).toBe(404);

    const res = await post('/api/extract', { text: article, documentDate: '2004-06-29' });
    expect(res.status).toBe(200);
    const body = await res.json();
    const oil = body.claims.find((c: { value: unknown }) => c.value === 400);
    expect(oil).toMatchObject({
      unit: 'million tonnes per year',
      indicator: { slug: 'oil-consumption' },
      entity: { code: 'CHN' },
      period: '2020',
      kind: 'projection',
    });
    expect(article.slice(oil.quote.start, oil.quote.end)).toBe(oil.quote.text);
    const q = body.quantities.find((x: { text: string }) => x.text === '400 million tons');
    expect(q).toMatchObject({ value: 400000000, unitNormalized: expect.any(String) });
    expect(body.claims.length).toBeLessThanOrEqual(8);
  });

  it('answers a source with its quotes and offsets, linked from the claims', async () => {
    expect((await fetch(`${baseUrl}/api/sources/999999`)).status).toBe(404);
    expect((await fetch(`${baseUrl}/api/sources/abc`)).status).toBe(404);
    const claims = (await (await fetch(`${baseUrl}/api/claims`)).json()).claims;
    const first = claims.find((c: { claim: { quote: unknown } }) => c.claim.quote);
    expect(first.claim.source.api).toBe(`/api/sources/${first.claim.source.id}`);
    const res = await fetch(`${baseUrl}${first.claim.source.api}`);
    expect(res.status).toBe(200);
    const source = await res.json();
    expect(source.source).toMatchObject({
      id: first.claim.source.id,
      citation: expect.any(String),
    });
    expect(source.source).not.toHaveProperty('text');
    const quote = source.quotes.find((x: { id: number }) => x.id === first.claim.quote.id);
    expect(quote.text).toBe(first.claim.quote.text);
    expect(quote.endOffset).toBeGreaterThan(quote.startOffset);
    const indicator = await (await fetch(`${baseUrl}/api/indicators/population-density`)).json();
    for (const s of indicator.indicator.series) expect(s.source).toBe(`/api/sources/${s.sourceId}`);
  });

  it('stores a PDF uploaded through the API as its text, and refuses a scan', async () => {
    const upload = (pdf: Uint8Array, title: string) => {
      const form = new FormData();
      form.set('publisher', 'Example Desk');
      form.set('publishedAt', '2021');
      form.set('title', title);
      form.set('file', new Blob([Buffer.from(pdf)], { type: 'application/pdf' }), 'note.pdf');
      return fetch(`${baseUrl}/api/sources`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}` },
        body: form,
      });
    };
    const ok = await upload(
      makePdf([['Kazakhstan is five times the size of France, the note said.']]),
      'PDF note (API test)',
    );
    expect(ok.status).toBe(201);
    const { source } = await ok.json();
    const extracted = await (await post('/api/extract', { documentId: source.id })).json();
    expect(extracted.claims[0]).toMatchObject({ value: 5, entity: { code: 'KAZ' } });
    const scan = await upload(makePdf([[]]), 'Scanned note (API test)');
    expect(scan.status).toBe(400);
    expect((await scan.json()).errors[0]).toMatchObject({
      path: 'file',
      message: expect.stringMatching(/no text layer/),
    });
  });
});
