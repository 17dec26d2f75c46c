// An indicator with 250 series of 520 daily values: the page opens on a default
// selection, says that its chart is downsampled, and stays light.
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { syntheticCodes } from '../../scripts/bench/lib';
import { launchBrowser, exploreChart } from './browser';
import { rawGet } from './support/raw-get';

const baseUrl = inject('baseUrl');
const token = inject('editorToken');
const ENTITIES = 250;
// More than the 2 × 250 points a series keeps when six share the chart.
const DAYS = 520;
let browser: Browser;

/** The test server takes at most 5,000 rows an upload: the panel goes in pieces. */
const ENTITIES_PER_UPLOAD = 9;

beforeAll(async () => {
  browser = await launchBrowser();
  const codes = syntheticCodes(ENTITIES);
  for (let first = 0; first < ENTITIES; first += ENTITIES_PER_UPLOAD) {
    const lines = ['entity,code,period,value'];
    for (let e = first; e < Math.min(first + ENTITIES_PER_UPLOAD, ENTITIES); e++)
      for (let d = 0; d < DAYS; d++) {
        const day = new Date(Date.UTC(2024, 0, 1) + d * 86_400_000).toISOString().slice(0, 10);
        lines.push(
          `E ${codes[e]},${codes[e]},${day},${(100 + e + Math.sin(d / 9) * 5).toFixed(1)}`,
        );
      }
    const form = new FormData();
    form.set('file', new Blob([lines.join('\n')], { type: 'text/csv' }), 'many.csv');
    form.set(
      'meta',
      JSON.stringify({
        indicator:
          first === 0
            ? {
                slug: 'many-entities',
                title: 'Many entities',
                unitLong: 'points',
                unitShort: 'pts',
              }
            : 'many-entities',
        kind: 'observed',
        unit: 'points',
        createEntities: true,
        source: { title: 'Generated panel', producer: 'Test lab', url: 'https://example.org/p' },
      }),
    );
    const res = await fetch(`${baseUrl}/api/imports`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}` },
      body: form,
    });
    expect(res.status, (await res.clone().text()).slice(0, 500)).toBe(201);
  }
}, 300_000);
afterAll(() => browser?.close());

describe('an indicator with 250 series', () => {
  it('opens on six series, lists the rest, and says the chart is downsampled', async () => {
    const response = await fetch(`${baseUrl}/indicators/many-entities`);
    const html = await response.text();
    expect(response.status).toBe(200);
    expect(html.length).toBeLessThan(1024 * 1024);

    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    await page.goto(`${baseUrl}/indicators/many-entities`);
    await exploreChart(page);
    // Hundreds of series are reached through the search picker: the form lists those in
    // view, and the search box becomes the picker once used.
    expect(await page.locator('[data-series-toggle]').count()).toBe(6);
    expect(await page.locator('[data-series-toggle]:checked').count()).toBe(6);
    expect(await page.locator('.chart-area .recharts-line').count()).toBe(6);
    const note = await page.getByTestId('downsampled-note').innerText();
    expect(note).toContain('6 series have 3,120 values in this range');
    expect(await page.getByTestId('other-series').innerText()).toContain(
      '244 series from Test lab',
    );
    expect(await page.getByTestId('table-pager').innerText()).toContain('of 3,120');
    expect(new URL(page.url()).search).toBe('');

    // Adding a seventh series through the search puts it in the URL and on the chart.
    const code = syntheticCodes(ENTITIES)[100]!;
    const settings = page.locator('details.settings > summary');
    if (await settings.isVisible()) await settings.click();
    await page.getByTestId('entity-search').fill(`E ${code}`);
    await expect
      .poll(() => page.getByTestId('entity-search').getAttribute('role'))
      .toBe('combobox');
    await page
      .locator('[role="option"]', { hasText: `E ${code}` })
      .first()
      .click();
    await page.waitForURL(/series=/);
    await expect.poll(() => page.locator('.chart-area .recharts-line').count()).toBe(7);
    await page.close();
  });

  it('finds a series without JavaScript, and lists no more than it shows', async () => {
    const code = syntheticCodes(ENTITIES)[200]!;
    const page = await browser.newPage({ javaScriptEnabled: false });
    await page.goto(`${baseUrl}/indicators/many-entities`);
    // The form lists the series in view; the other 244 are a search away.
    expect(await page.locator('[data-series-toggle]').count()).toBe(6);
    const settings = page.locator('details.settings > summary');
    if (await settings.isVisible()) await settings.click();
    await page.getByLabel('Find a series').fill(`E ${code}`);
    await page.getByRole('button', { name: 'Find' }).click();
    await page.waitForURL(/find=/);
    const found = page.locator('label', { hasText: `E ${code}` }).locator('[data-series-toggle]');
    expect(await found.count()).toBe(1);
    await found.check();
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.waitForURL(/series=/);
    expect(await page.locator('[data-series-toggle]:checked').count()).toBe(7);
    await page.close();
  });

  it('exports all 130,000 rows, gzipped by the threads that write them, as one thread writes them', async () => {
    const get = (path: string, acceptEncoding?: string) =>
      rawGet(`${baseUrl}${path}`, acceptEncoding);
    const path = '/indicators/many-entities/data-full.csv?bom=0';
    const gzipped = await get(path, 'gzip, deflate, br');
    expect(gzipped.headers['content-encoding']).toBe('gzip');
    expect(gzipped.headers['content-type']).toBe('text/csv; charset=utf-8');
    const plain = await get(path);
    expect(plain.headers['content-encoding']).toBeUndefined();
    // Parts written by two threads, joined into one valid gzip stream of the same bytes.
    const text = zlib.gunzipSync(gzipped.body).toString('utf8');
    expect(text).toBe(plain.body.toString('utf8'));
    const lines = text.trimEnd().split('\r\n');
    expect(lines[0]!.startsWith('indicator,entity,code,period,value,')).toBe(true);
    expect(lines).toHaveLength(ENTITIES * DAYS + 1);
    // Each series' days in order, series after series, none twice.
    const keys = lines.slice(1).map((line) => line.split(',').slice(1, 4).join(','));
    expect(new Set(keys).size).toBe(ENTITIES * DAYS);
    const code = syntheticCodes(ENTITIES)[0]!;
    expect(keys.slice(0, 2)).toEqual([
      `E ${code},${code},2024-01-01`,
      `E ${code},${code},2024-01-02`,
    ]);
  });
});
