// The indicator page's controls as islands: the page loads the one small script that
// enhances the server's form, the picker's search and the time slider's live track load
// on their first use, and what the reader did before a piece of code arrived still counts.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page, Route } from 'playwright-core';
import { launchBrowser } from './browser';

const baseUrl = inject('baseUrl');
const token = inject('editorToken');
const SLUG = 'islands-many';
const PATH = `/indicators/${SLUG}`;
// More entities than the form lists as checkboxes, so the page has the picker's search.
const ENTITIES =
  'Albania Bolivia Chad Denmark Ecuador Fiji Ghana Haiti Iceland Jordan Kenya Nepal Oman Zambia'
    .split(' ')
    .map((name) => [name, name.slice(0, 3).toUpperCase()] as const);

/**
 * Text only each island's chunk holds (in the production build's minified code): the
 * picker's list of matches, and the selector of the slider's live track.
 */
const PICKER = 'Matching series';
const SLIDER = 'input[name="from"]';

let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
  const lines = ['entity,code,period,value'];
  ENTITIES.forEach(([name, code], i) => {
    for (let y = 1990; y <= 2020; y++) lines.push(`${name},${code},${y},${10 + i + y - 1990}`);
  });
  const form = new FormData();
  form.set('file', new Blob([lines.join('\n')], { type: 'text/csv' }), `${SLUG}.csv`);
  form.set(
    'meta',
    JSON.stringify({
      indicator: { slug: SLUG, title: 'Islands many', unitLong: 'index points', unitShort: 'pts' },
      kind: 'observed',
      unit: 'index points',
      createEntities: true,
      source: { title: 'Islands panel', producer: 'Islands lab', url: 'https://example.org/i' },
    }),
  );
  const res = await fetch(`${baseUrl}/api/imports`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}` },
    body: form,
  });
  expect(res.status, (await res.clone().text()).slice(0, 300)).toBe(201);
}, 120_000);
afterAll(() => browser?.close());

/**
 * Watches the page's scripts: which island chunks it has fetched, and holds back those
 * whose text includes `hold` until `release()`.
 */
async function watchScripts(page: Page, hold: string | null = null) {
  const fetched = new Set<string>();
  let release = () => {};
  const released = new Promise<void>((resolve) => (release = resolve));
  await page.route('**/_next/static/chunks/**/*.js', async (route: Route) => {
    const response = await route.fetch();
    const body = await response.text();
    for (const marker of [PICKER, SLIDER]) if (body.includes(marker)) fetched.add(marker);
    if (hold && body.includes(hold)) await released;
    await route.fulfill({ response, body });
  });
  return { fetched, release };
}

async function open(hold: string | null = null, path = PATH) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const scripts = await watchScripts(page, hold);
  await page.goto(`${baseUrl}${path}`, { waitUntil: 'networkidle' });
  // Set on this document: still there after a change of view means no page load.
  await page.evaluate(() => Object.assign(window, { sameDocument: true }));
  return { page, ...scripts };
}

const sameDocument = (page: Page) =>
  page.evaluate(() => (window as { sameDocument?: boolean }).sameDocument === true);

describe('the indicator page’s controls as islands', () => {
  it('loads neither the picker nor the slider’s track with the page', async () => {
    const { page, fetched } = await open();
    expect([...fetched]).toEqual([]);
    // The controls are the server's native ones until then.
    expect(await page.getByLabel('Find a series').getAttribute('role')).toBeNull();
    expect(await page.getByRole('checkbox').count()).toBeGreaterThan(0);
    await page.context().close();
  });

  it('loads the picker on the search box’s first use and keeps what was typed before it arrived', async () => {
    const { page, fetched, release } = await open(PICKER);
    const search = page.getByLabel('Find a series');
    await search.pressSequentially('zamb');
    await expect.poll(() => fetched.has(PICKER)).toBe(true);
    // Typed while the picker's code was on its way: the box is still the plain one.
    expect(await search.getAttribute('role')).toBeNull();
    expect(await search.inputValue()).toBe('zamb');
    release();
    await expect
      .poll(() => page.getByRole('option').allInnerTexts())
      .toEqual([expect.stringContaining('Zambia')]);
    expect(await search.getAttribute('role')).toBe('combobox');
    await search.press('Enter');
    await page.waitForURL(/series=/);
    await expect
      .poll(() => page.getByRole('checkbox', { name: /Islands lab \(Zambia\)/ }).isChecked())
      .toBe(true);
    expect(await sameDocument(page)).toBe(true);
    await page.context().close();
  });

  it('loads the slider’s live track on first use; a thumb moved before it arrived still counts', async () => {
    const { page, fetched, release } = await open(SLIDER);
    const from = page.getByRole('slider', { name: 'From year' });
    await from.focus();
    await from.press('ArrowRight');
    await from.press('ArrowRight');
    await expect.poll(() => fetched.has(SLIDER)).toBe(true);
    release();
    // The range applies once it rests, as one change of view, without a page load.
    await page.waitForURL(/from=1992/);
    await expect
      .poll(() => page.locator('[data-testid="time-range"] output').innerText())
      .toBe('1992–2020');
    expect(await sameDocument(page)).toBe(true);
    await page.context().close();
  });

  it('keeps the focus through a change of view, and shows the view a preset chose over a moved thumb', async () => {
    const { page } = await open();
    const log = page.getByRole('radio', { name: 'Log' });
    await log.check();
    await page.waitForURL(/scale=log/);
    // The server's page for the new view updates the form in place: the focus stays.
    await expect
      .poll(() => page.locator('details.settings > summary .meta').textContent())
      .toContain('log axis');
    expect(await log.evaluate((el) => el === document.activeElement)).toBe(true);
    const from = page.getByRole('slider', { name: 'From year' });
    await from.fill('2000');
    await page.waitForURL(/from=2000/);
    // The views replace each other in the URL (no history entry each); a preset is a link.
    await page.getByRole('link', { name: 'All', exact: true }).click();
    await page.waitForURL((url) => !url.searchParams.has('from'));
    await expect.poll(() => from.inputValue()).toBe('1990');
    expect(await page.locator('[data-testid="time-range"] output').innerText()).toBe('1990–2020');
    expect(await log.isChecked()).toBe(true);
    await page.getByRole('link', { name: 'Last 10 years' }).click();
    await page.waitForURL(/from=2011/);
    await expect.poll(() => from.inputValue()).toBe('2011');
    expect(await sameDocument(page)).toBe(true);
    await page.context().close();
  });

  it('applies a control changed before the page’s script ran', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    let release = () => {};
    const released = new Promise<void>((resolve) => (release = resolve));
    await page.route('**/_next/static/chunks/**/*.js', async (route) => {
      await released;
      await route.continue();
    });
    // The page's scripts are held, so the document's load never ends: its HTML is enough.
    await page.goto(`${baseUrl}${PATH}`, { waitUntil: 'commit' });
    await page.locator('footer').waitFor({ state: 'attached' });
    await page.evaluate(() => Object.assign(window, { sameDocument: true }));
    // No script yet: the native controls take the reader's input.
    await page.getByRole('radio', { name: 'Log' }).check();
    const box = page.locator('[data-series-toggle]:checked').first();
    const hidden = (await box.getAttribute('value'))!;
    await box.uncheck();
    release();
    await page.waitForURL((url) => url.searchParams.get('scale') === 'log');
    const shown = new URL(page.url()).searchParams.get('series')?.split(',') ?? [];
    expect(shown.length).toBeGreaterThan(0);
    expect(shown).not.toContain(hidden);
    expect(await page.getByRole('radio', { name: 'Log' }).isChecked()).toBe(true);
    // Out of view, it is no longer among the boxes the form lists (past twelve series).
    expect(await page.locator(`[data-series-toggle="${hidden}"]:checked`).count()).toBe(0);
    expect(await sameDocument(page)).toBe(true);
    await context.close();
  });
});
