// The Add data form's file goes the API's streamed way (issue #21): the page's script posts it
// to /api/imports/form, never to the form's server action, and the preview chart comes back
// with it. Without JavaScript the form cannot send it that way, and says so beside the field.
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchBrowser } from './browser';
import { logInThroughForm } from './support/login';

const baseUrl = inject('baseUrl');
const token = inject('editorToken');
let browser: Browser;
let session = { name: '', value: '' };

beforeAll(async () => {
  browser = await launchBrowser();
  // A session opened through the login form, as an editor has one.
  const { cookie } = await logInThroughForm(browser, baseUrl, token);
  const eq = cookie.indexOf('=');
  session = { name: cookie.slice(0, eq), value: cookie.slice(eq + 1) };
});
afterAll(() => browser?.close());

const CSV = Buffer.from(
  ['entity,code,period,value', 'China,CHN,1991,41.5', 'China,CHN,1992,42.5', ''].join('\n'),
);

async function editorPage(options: { javaScriptEnabled?: boolean } = {}) {
  const context: BrowserContext = await browser.newContext(options);
  await context.addCookies([{ ...session, url: baseUrl }]);
  const page = await context.newPage();
  await page.goto(`${baseUrl}/data/new?indicator=oil-import-share`);
  await page.getByLabel('Source title').fill('Form upload e2e');
  await page.getByLabel('Producer or publisher').fill('Sourced tests');
  await page.getByLabel('URL', { exact: true }).fill('https://example.org/form-upload-e2e');
  await page.getByLabel('CSV file').setInputFiles({
    name: 'shares.csv',
    mimeType: 'text/csv',
    buffer: CSV,
  });
  return { context, page };
}

describe('the Add data form’s file', () => {
  it('is posted to /api/imports/form, and its preview lines come back beside the indicator', async () => {
    const { context, page } = await editorPage();
    const posts: string[] = [];
    page.on('request', (r) => r.method() === 'POST' && posts.push(new URL(r.url()).pathname));
    const answer = page.waitForResponse((r) => r.url().includes('/api/imports/form'));
    await page.getByRole('button', { name: 'Preview' }).click();
    const response = await answer;
    expect(response.status()).toBe(200);
    expect(new URL(response.url()).search).toBe('?dryRun=1');
    const body = (await response.json()) as { chart: { id: number; label: string }[] };
    expect(body.chart.filter((s) => s.id < 0).map((s) => s.label)).toEqual([
      expect.stringMatching(/^Preview: /),
    ]);
    await expect
      .poll(() => page.getByTestId('import-summary').innerText())
      .toBe('Ready to save 2 new values in 1 series.');
    expect(posts).toEqual(['/api/imports/form']);
    await context.close();
  });

  it('sent without JavaScript is refused beside the field, unread', async () => {
    const { context, page } = await editorPage({ javaScriptEnabled: false });
    await page.getByRole('button', { name: 'Preview' }).click();
    await page.waitForLoadState();
    expect(await page.locator('.problems').innerText()).toContain(
      'file: is sent by the page’s script',
    );
    await context.close();
  });
});
