// "Download CSV" gives exactly what the chart and its table show, before and after
// the view changes.
import fs from 'node:fs';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser } from './browser';
import { densityRows, worldBankFile } from './support/files';

const baseUrl = inject('baseUrl');
const token = inject('editorToken');
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
  // Some observed data beside the article's figures, through the API.
  const form = new FormData();
  form.set('file', new Blob([worldBankFile(densityRows())], { type: 'text/csv' }), 'wb.csv');
  form.set(
    'meta',
    JSON.stringify({
      indicator: 'population-density',
      kind: 'observed',
      unit: 'people per km²',
      entities: ['CHN', 'KAZ'],
      label: 'WB download test',
      source: {
        title: 'Download test data',
        producer: 'World Bank',
        url: 'https://example.org/wb',
      },
    }),
  );
  const res = await fetch(`${baseUrl}/api/imports`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}` },
    body: form,
  });
  expect(res.status).toBeLessThan(300);
});
afterAll(() => browser?.close());

/**
 * The data table as sorted `entity|year|column|value` entries, naming columns the way
 * the CSV does. (Two series with one label for one entity get distinct CSV columns,
 * `label [series N]`; the entries compare them by label.)
 */
async function tableOnScreen(page: Page) {
  const rows = await page
    .locator('[data-testid="data-table"] tbody tr')
    .evaluateAll((trs) =>
      trs.map((tr) => Array.from(tr.querySelectorAll('td')).map((td) => td.textContent ?? '')),
    );
  return rows
    .map(([series, entity, kind, period, value]) => {
      const name = entity!.replace(/ \([A-Z]{3}\)$/, '');
      const column = kind === 'Projection' ? `${series} (Projected)` : series!;
      return `${name}|${period}|${column}|${value!.replace(/,/g, '')}`;
    })
    .sort();
}

async function downloadCsv(page: Page) {
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: 'Download CSV' }).click(),
  ]);
  const file = await download.path();
  const text = fs.readFileSync(file!, 'utf8');
  const [header, ...rows] = parse(text, { bom: true }) as string[][];
  const cells: string[] = [];
  for (const row of rows) {
    header!.slice(3).forEach((column, i) => {
      const value = row[i + 3];
      if (value !== '')
        cells.push(`${row[0]}|${row[2]}|${column.replace(/ \[series \d+\]$/, '')}|${value}`);
    });
  }
  return { text, header: header!, cells: cells.sort(), filename: download.suggestedFilename() };
}

describe('Download CSV', () => {
  it('downloads what the table shows, and the new view after a change', async () => {
    const context = await browser.newContext({
      acceptDownloads: true,
      viewport: { width: 1200, height: 900 },
    });
    const page = await context.newPage();
    await page.goto(`${baseUrl}/indicators/population-density`);
    await page.locator('.chart-area svg.recharts-surface').waitFor();
    await page
      .locator('.data-details summary')
      .click()
      .catch(() => undefined);

    const first = await downloadCsv(page);
    expect(first.text.startsWith('\ufeffEntity,Code,Year,')).toBe(true);
    expect(first.text.split('\r\n').length).toBeGreaterThan(10);
    expect(first.filename).toBe('population-density_chart.csv');
    expect(first.cells).toEqual(await tableOnScreen(page));
    expect(first.cells.length).toBeGreaterThanOrEqual(2 + 128);

    // Change the time range and hide a series.
    await page.locator('select[name="from"]').selectOption('2000');
    await page.waitForURL(/from=2000/);
    await page.locator('select[name="to"]').selectOption('2010');
    await page.waitForURL(/to=2010/);
    await page
      .getByRole('checkbox', { name: /WB download test/ })
      .first()
      .uncheck();
    await page.waitForURL(/series=/);
    await page.waitForFunction(
      () => document.querySelectorAll('[data-testid="data-table"] tbody tr').length === 13,
    );

    const second = await downloadCsv(page);
    expect(second.filename).toBe('population-density_chart_2000-2010.csv');
    const onScreen = await tableOnScreen(page);
    expect(second.cells).toEqual(onScreen);
    const keys = second.cells;
    expect(keys.every((k) => /\|(200\d|2010)\|/.test(k))).toBe(true);
    // The hidden series (China's) is gone; Kazakhstan's, with the same label, stays.
    expect(
      keys
        .filter((k) => k.includes('|WB download test|'))
        .map((k) => k.split('|').slice(0, 2).join(' ')),
    ).toEqual(Array.from({ length: 11 }, (_, i) => `Kazakhstan ${2000 + i}`));
    expect(keys).toContain('China|2004|EDM 2004: Chinese foreign minister (China)|130');
    await context.close();
  });
});
