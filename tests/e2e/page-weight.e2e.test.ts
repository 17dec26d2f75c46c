import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { exploreChart, launchBrowser } from './browser';

// Exact figures: the server that holds only the article's data.
const baseUrl = inject('pristineUrl');
const BUDGET_KB = 200;
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(() => browser?.close());

/**
 * Gzipped size of every script the page loads, lazy chunks included, once it is idle;
 * with `use`, also those loaded once the reader has pointed at the chart.
 */
async function scriptWeight(path: string, use = false) {
  const page = await browser.newPage();
  const sizes = new Map<string, number>();
  const pending: Promise<void>[] = [];
  page.on('response', (response) => {
    if (response.request().resourceType() !== 'script') return;
    pending.push(
      response.body().then((body) => {
        sizes.set(response.url(), zlib.gzipSync(body).length);
      }),
    );
  });
  await page.goto(`${baseUrl}${path}`, { waitUntil: 'networkidle' });
  const drawnBeforeUse = await page.locator('.chart-area svg.recharts-surface').count();
  if (use) await exploreChart(page);
  await page.waitForLoadState('networkidle');
  await Promise.all(pending);
  await page.close();
  const total = [...sizes.values()].reduce((a, b) => a + b, 0);
  return { total, files: sizes.size, drawnBeforeUse };
}

describe('page weight', () => {
  it.each([
    '/',
    '/claims',
    '/indicators/population-density',
    '/indicators/oil-consumption',
    '/embed/indicators/oil-consumption',
  ])(`%s loads at most ${BUDGET_KB} KB of gzipped JavaScript`, async (path) => {
    const { total, files, drawnBeforeUse } = await scriptWeight(path);
    console.log(`page weight ${path}: ${(total / 1024).toFixed(1)} KB gzip in ${files} scripts`);
    expect(files).toBeGreaterThan(0);
    expect(total / 1024).toBeLessThanOrEqual(BUDGET_KB);
    // The interactive chart is an island: loaded when used, not with the page.
    expect(drawnBeforeUse).toBe(0);
  });

  it('loads the interactive chart once the reader points at it', async () => {
    const looked = await scriptWeight('/indicators/oil-consumption');
    const used = await scriptWeight('/indicators/oil-consumption', true);
    console.log(
      `page weight after using the chart: ${(used.total / 1024).toFixed(1)} KB gzip in ${used.files} scripts`,
    );
    expect(used.total - looked.total).toBeGreaterThan(50 * 1024);
  });
});
