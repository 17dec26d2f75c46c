import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchBrowser } from './browser';

// Exact figures: the server that holds only the article's data.
const baseUrl = inject('pristineUrl');
const BUDGET_KB = 300;
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(() => browser?.close());

/** Gzipped size of every script the page loads, lazy chunks included, once it is idle. */
async function scriptWeight(path: string, waitFor?: string) {
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
  if (waitFor) await page.waitForSelector(waitFor);
  await page.waitForLoadState('networkidle');
  await Promise.all(pending);
  await page.close();
  const total = [...sizes.values()].reduce((a, b) => a + b, 0);
  return { total, files: sizes.size };
}

describe('page weight', () => {
  it.each([
    ['/', undefined],
    ['/indicators/population-density', '.chart-area svg.recharts-surface'],
    ['/indicators/oil-consumption', '.chart-area svg.recharts-surface'],
  ])(`%s loads at most ${BUDGET_KB} KB of gzipped JavaScript`, async (path, waitFor) => {
    const { total, files } = await scriptWeight(path, waitFor);
    console.log(`page weight ${path}: ${(total / 1024).toFixed(1)} KB gzip in ${files} scripts`);
    expect(files).toBeGreaterThan(0);
    expect(total / 1024).toBeLessThanOrEqual(BUDGET_KB);
  });
});
