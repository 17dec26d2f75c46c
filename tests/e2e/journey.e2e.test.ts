import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { ARTICLE_INDICATORS, ARTICLE_QUOTES } from '@/lib/article/eurasia-daily-monitor-2004';
import { launchBrowser } from './browser';

// Exact figures: the server that holds only the article's data.
const baseUrl = inject('pristineUrl');
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(() => browser?.close());

async function open(
  path: string,
  options: { width?: number; javaScript?: boolean } = {},
): Promise<Page> {
  const context = await browser.newContext({
    viewport: { width: options.width ?? 1200, height: 900 },
    javaScriptEnabled: options.javaScript ?? true,
  });
  const page = await context.newPage();
  await page.goto(`${baseUrl}${path}`);
  return page;
}

const chartSvg = '.chart-area svg.recharts-surface';

describe('overview', () => {
  it('lists all five indicators with the article’s numbers', async () => {
    const page = await open('/');
    const cards = page.locator('li.card');
    // The article's five, and land area, an operand of "five times the size of France".
    expect(await cards.count()).toBe(6);
    for (const i of ARTICLE_INDICATORS)
      expect(await page.locator(`li.card[data-indicator="${i.slug}"]`).count()).toBe(1);
    const text = (await page.locator('main').innerText()).replace(/\s+/g, ' ');
    for (const figure of [
      '50% projected for 2010',
      '400 Mt/yr projected for 2020',
      '130 people/km² reported, 2004',
      '5 people/km² reported, 2004',
      '12 M people/yr reported, 2004',
      '5 × France reported, 2004',
    ]) {
      expect(text).toContain(figure);
    }
    expect(await page.locator('li.card svg.mini-chart').count()).toBe(6);
    await page.context().close();
  });
});

describe('every indicator page', () => {
  for (const indicator of ARTICLE_INDICATORS) {
    it(`${indicator.slug}: draws a chart, tables the same numbers and quotes its sources`, async () => {
      const page = await open(`/indicators/${indicator.slug}`);
      await page.waitForSelector(chartSvg);
      const table = await page.locator('[data-testid="data-table"] tbody tr').allInnerTexts();
      const expected = indicator.series.flatMap((s) => s.observations.map((o) => String(o.value)));
      expect(table).toHaveLength(expected.length);
      for (const [i, value] of expected.entries()) expect(table[i]).toContain(value);
      // The chart labels each of these few values.
      const chartText = await page.locator('.chart-area').innerText();
      for (const value of expected) expect(chartText).toContain(value);

      const sources = await page.locator('.sources').innerText();
      for (const s of indicator.series) {
        for (const o of s.observations) {
          const quote = ARTICLE_QUOTES[o.quote];
          expect(sources).toContain(quote.text);
          if (quote.citedOutlet) expect(sources).toContain(`Cited outlet: ${quote.citedOutlet}`);
        }
      }
      expect(await page.locator('#chart-description').innerText()).toMatch(/chart of/i);
      await page.context().close();
    });
  }
});

describe('navigation', () => {
  it('goes overview → indicator → source, and back to the chart from a quote', async () => {
    const page = await open('/');
    await page.getByRole('link', { name: 'Population density' }).click();
    await page.waitForURL('**/indicators/population-density');
    await page.waitForSelector(chartSvg);
    await page
      .locator('.sources')
      .getByRole('link', { name: /Eurasia Daily Monitor/ })
      .first()
      .click();
    await page.waitForURL(/\/sources\/\d+$/);
    expect(await page.locator('h1').innerText()).toBe(
      'China’s Relations With Kazakhstan Are Warming, But To What End?',
    );
    const quotes = await page.locator('ol.sources blockquote').allInnerTexts();
    expect(quotes).toEqual(
      Object.values(ARTICLE_QUOTES)
        .sort((a, b) => a.startOffset - b.startOffset)
        .map((q) => q.text),
    );
    await page
      .locator('ol.sources')
      .getByRole('link', { name: 'China’s oil import share' })
      .click();
    await page.waitForURL('**/indicators/oil-import-share');
    await page.waitForSelector(chartSvg);
    await page.context().close();
  });

  it('answers an unknown indicator with a not-found page', async () => {
    const page = await open('/indicators/no-such-thing');
    expect(await page.locator('h1').innerText()).toBe('Not found');
    await page.context().close();
  });
});

describe('chart controls', () => {
  it('a series toggle changes the URL, the chart and the table', async () => {
    const page = await open('/indicators/population-density');
    await page.waitForSelector(chartSvg);
    expect(await page.locator('.chart-area').getAttribute('data-chart-type')).toBe('bar');
    expect(await page.locator('.chart-area .recharts-bar-rectangle').count()).toBe(2);

    const kaz = page.getByRole('checkbox', { name: /Kazakhstan/ });
    await kaz.uncheck();
    await page.waitForURL(/series=\d+$/);
    await page.waitForFunction(
      () => document.querySelectorAll('[data-testid="data-table"] tbody tr').length === 1,
    );
    expect(await page.locator('.chart-area').getAttribute('data-chart-type')).toBe('line');
    const labels = await page
      .locator('.chart-area .recharts-label-list')
      .evaluateAll((els) => els.map((e) => e.textContent));
    expect(labels).toEqual(['130']);
    expect(await page.locator('[data-testid="data-table"] tbody').innerText()).toContain('China');

    // The URL alone reproduces the view.
    const shared = await open(new URL(page.url()).pathname + new URL(page.url()).search);
    await shared.waitForSelector(chartSvg);
    expect(await shared.getByRole('checkbox', { name: /Kazakhstan/ }).isChecked()).toBe(false);
    expect(await shared.locator('[data-testid="data-table"] tbody tr').count()).toBe(1);
    await shared.context().close();
    await page.context().close();
  });

  it('works from the keyboard with a visible focus', async () => {
    const page = await open('/indicators/population-density');
    await page.waitForSelector(chartSvg);
    const china = page.getByRole('checkbox', { name: /China/ });
    await china.focus();
    const outline = await china.evaluate((el) => getComputedStyle(el).outlineStyle);
    expect(outline).not.toBe('none');
    await page.keyboard.press('Space');
    await page.waitForURL(/series=\d+$/);
    expect(await china.isChecked()).toBe(false);
    await page.keyboard.press('Space');
    await page.waitForURL((url) => !url.search.includes('series='));
    await page.getByRole('radio', { name: 'Log' }).check();
    await page.waitForURL(/scale=log/);
    await page.context().close();
  });

  it('the time range filters the table and is kept in the URL', async () => {
    const page = await open('/indicators/oil-import-share');
    await page.waitForSelector(chartSvg);
    await page.locator('select[name="from"]').selectOption('2010');
    await page.waitForURL(/from=2010/);
    expect(await page.locator('[data-testid="data-table"] tbody tr').count()).toBe(1);
    await page.context().close();
  });
});

describe('without JavaScript and on a phone', () => {
  it('serves the table and the quotes without any script', async () => {
    const page = await open('/indicators/population-density', { javaScript: false });
    const table = await page.locator('[data-testid="data-table"] tbody').innerText();
    expect(table).toContain('130');
    expect(table).toContain('5');
    expect(await page.locator('.sources').innerText()).toContain('Ak Zhol Kazakstan, June 11');
    // The controls still work, as a plain form.
    await page.getByRole('checkbox', { name: /Kazakhstan/ }).uncheck();
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.waitForURL(/series=/);
    expect(await page.locator('[data-testid="data-table"] tbody tr').count()).toBe(1);
    await page.context().close();
  });

  it('fits a 375 px wide screen without sideways scrolling', async () => {
    for (const path of ['/', '/indicators/population-density', '/sources/1', '/claims']) {
      const page = await open(path, { width: 375 });
      if (path.startsWith('/indicators')) await page.waitForSelector(chartSvg);
      const overflow = await page.evaluate(
        () => document.documentElement.scrollWidth - window.innerWidth,
      );
      expect(overflow, path).toBeLessThanOrEqual(0);
      await page.context().close();
    }
  });
});
