// "Download CSV" gives exactly what the chart and its table show, before and after
// the view changes.
import fs from 'node:fs';
import zlib from 'node:zlib';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { formatValue } from '@/lib/domain/format';
import { launchBrowser, exploreChart } from './browser';
import { rawGet } from './support/raw-get';
import { densityRows, worldBankFile } from './support/files';

const baseUrl = inject('baseUrl');
const token = inject('editorToken');
let browser: Browser;
/**
 * The article's two density series and the two imported here. The page opens on
 * exactly these, so series that other test files add to the indicator (and the
 * default selection they change) do not alter what this test sees.
 */
let ownSeries: number[] = [];

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
  expect(res.status).toBe(201);
  const imported = (await res.json()).entities.map((e: { seriesId: number }) => e.seriesId);
  const detail = await (await fetch(`${baseUrl}/api/indicators/population-density`)).json();
  const article = detail.indicator.series
    .filter((s: { label: string }) => s.label.startsWith('EDM 2004: Chinese foreign minister'))
    .map((s: { id: number }) => s.id);
  expect(article).toHaveLength(2);
  ownSeries = [...article, ...imported];
});
afterAll(() => browser?.close());

/**
 * The data table as sorted `entity|year|column|value` entries, naming columns the way
 * the CSV does, over all its pages (50 rows each: the pager's Next links are followed
 * in another tab). Two series with one label for one entity get distinct CSV columns,
 * `label [series N]`; the entries compare them by label.
 */
async function tableOnScreen(page: Page) {
  const rows: string[][] = [];
  const walker = await page.context().newPage();
  let url: string | null = page.url();
  while (url) {
    await walker.goto(url);
    rows.push(
      ...(await walker
        .locator('[data-testid="data-table"] tbody tr')
        .evaluateAll((trs) =>
          trs.map((tr) => Array.from(tr.querySelectorAll('td')).map((td) => td.textContent ?? '')),
        )),
    );
    const next = walker.getByTestId('table-pager').getByRole('link', { name: 'Next' });
    url = (await next.count()) ? new URL((await next.getAttribute('href'))!, url).href : null;
  }
  await walker.close();
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
        // The table rounds as a reader expects (density: no decimals, three significant
        // figures); the download keeps every digit. Compared after the same rounding.
        cells.push(
          `${row[0]}|${row[2]}|${column.replace(/ \[series \d+\]$/, '')}|${formatValue(Number(value), 0).replace(/,/g, '')}`,
        );
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
    await page.goto(`${baseUrl}/indicators/population-density?series=${ownSeries.join(',')}`);
    await exploreChart(page);
    // 2 article values and 2 × 64 imported: the table shows 50 at a time, with a pager.
    expect(await page.locator('[data-testid="data-table"] tbody tr').count()).toBe(50);
    expect(await page.getByTestId('table-pager').locator('span').innerText()).toBe(
      'Rows 1–50 of 130',
    );

    const first = await downloadCsv(page);
    expect(first.text.startsWith('\ufeffEntity,Code,Year,')).toBe(true);
    expect(first.text.split('\r\n').length).toBeGreaterThan(10);
    expect(first.text).toContain(',101.2'); // China 1984: the download keeps full precision
    expect(first.filename).toBe('population-density_chart.csv');
    expect(first.cells).toEqual(await tableOnScreen(page));
    expect(first.cells).toHaveLength(130);

    // Change the time range and hide a series.
    await page.getByRole('slider', { name: 'From year' }).fill('2000');
    await page.waitForURL(/from=2000/);
    await page.getByRole('slider', { name: 'To year' }).fill('2010');
    await page.waitForURL(/to=2010/);
    // A few series are checkboxes; past twelve (other test files add series to this
    // indicator), the selected ones are a list with remove buttons.
    const remove = page.getByRole('button', { name: /^Remove WB download test — China/ });
    if (await remove.count()) await remove.click();
    else
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

  it('saves the chart as SVG and PNG with its title and sources', async () => {
    const context = await browser.newContext({
      acceptDownloads: true,
      viewport: { width: 1000, height: 800 },
    });
    const page = await context.newPage();
    await page.goto(`${baseUrl}/indicators/oil-import-share`);
    await exploreChart(page);
    const grab = async (name: string) => {
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('button', { name }).click(),
      ]);
      return {
        name: download.suggestedFilename(),
        bytes: fs.readFileSync((await download.path())!),
      };
    };
    const svg = await grab('Chart as SVG');
    expect(svg.name).toBe('oil-import-share_chart.svg');
    const text = svg.bytes.toString('utf8');
    expect(text.startsWith('<svg')).toBe(true);
    expect(text).toContain('China’s oil import share');
    expect(text).toContain('Source: Eurasia Daily Monitor');
    const png = await grab('Chart as PNG');
    expect(png.name).toBe('oil-import-share_chart.png');
    expect(png.bytes.subarray(0, 8)).toEqual(
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    );
    expect(png.bytes.length).toBeGreaterThan(5000);
    await context.close();
  });

  it('writes a byte-order mark on every CSV, and none with ?bom=0 (checked on the raw bytes)', async () => {
    const fullHeader =
      'indicator,entity,code,period,value,unit,kind,series,source,citation,quote,cited_outlet,recorded_at,revision\r\n';
    const claimsHeader =
      'claim,predicted,observed,unit,target_period,observed_period,status,error,error_percent,kind,indicator,entity,code,made_by,stated_on,quote,cited_outlet,source,observed_source,observed_derivation,observed_is_proxy\r\n';
    const csvs: [string, string][] = [
      ['/indicators/population-density/data-full.csv', fullHeader],
      ['/api/export.csv', fullHeader],
      ['/indicators/population-density/data.csv', 'Entity,Code,Year,'],
      ['/claims.csv', claimsHeader],
    ];
    const bytesOf = async (url: string) =>
      Buffer.from(await (await fetch(`${baseUrl}${url}`)).arrayBuffer());
    const bom = Buffer.from([0xef, 0xbb, 0xbf]);
    for (const [url, header] of csvs) {
      const withBom = await bytesOf(url);
      expect(withBom.subarray(0, 3), url).toEqual(bom);
      expect(withBom.subarray(3, 3 + Buffer.byteLength(header)).toString('utf8'), url).toBe(header);
      const without = await bytesOf(`${url}?bom=0`);
      expect(without.subarray(0, Buffer.byteLength(header)).toString('utf8'), url).toBe(header);
      expect(without.length, url).toBe(withBom.length - 3);
    }
  });

  it('sends the chart CSV and the full CSV gzipped to a client that takes gzip, and plain otherwise', async () => {
    const get = async (path: string, acceptEncoding?: string) => {
      const { headers, body } = await rawGet(`${baseUrl}${path}`, acceptEncoding);
      return { encoding: headers['content-encoding'], body };
    };
    for (const path of [
      `/indicators/population-density/data.csv?series=${ownSeries.join(',')}`,
      '/indicators/population-density/data-full.csv',
      '/api/export.csv',
    ]) {
      const plain = await get(path);
      expect(plain.encoding, path).toBeUndefined();
      // Twice: the second chart CSV comes from the cache, gzipped once.
      for (let i = 0; i < 2; i++) {
        const gzipped = await get(path, 'gzip');
        expect(gzipped.encoding, path).toBe('gzip');
        expect(zlib.gunzipSync(gzipped.body).equals(plain.body), path).toBe(true);
      }
      expect((await get(path, 'gzip;q=0, identity')).encoding, path).toBeUndefined();
    }
  });

  it('serves the stable URLs with the frozen headers', async () => {
    const full = await fetch(`${baseUrl}/indicators/population-density/data-full.csv`);
    expect(full.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(full.headers.get('content-disposition')).toBe(
      'attachment; filename="population-density_full.csv"',
    );
    const all = await (await fetch(`${baseUrl}/api/export.csv`)).text();
    expect(all).toContain('oil-import-share,China,CHN,2010,50,percent of oil needs,projection');
    const meta = await (
      await fetch(`${baseUrl}/indicators/population-density/metadata.json?from=2000`)
    ).json();
    expect(meta.activeFilters).toMatchObject({ from: 2000, to: null, scale: 'linear' });
    expect(meta.sources.map((s: { publisher: string }) => s.publisher)).toContain(
      'Eurasia Daily Monitor',
    );
    const zip = await fetch(`${baseUrl}/indicators/population-density/data.zip`);
    expect(zip.headers.get('content-type')).toBe('application/zip');
    const { unzipSync, strFromU8 } = await import('fflate');
    const files = unzipSync(new Uint8Array(await zip.arrayBuffer()));
    expect(Object.keys(files).sort()).toEqual([
      'population-density_chart.csv',
      'population-density_full.csv',
      'population-density_metadata.json',
      'readme.md',
    ]);
    expect(strFromU8(files['readme.md']!)).toContain('## How to cite');
  });

  it('shows and exports any compatible unit set in the URL, keeping the stored one', async () => {
    const res = await fetch(
      `${baseUrl}/indicators/oil-consumption/data.csv?unit=${encodeURIComponent('kb/d')}`,
    );
    expect(res.headers.get('content-disposition')).toBe(
      'attachment; filename="oil-consumption_chart_in-kb-d.csv"',
    );
    const [header, ...rows] = parse(await res.text(), { bom: true }) as string[][];
    const column = header!.indexOf('EDM 2004: expected consumption (Projected)');
    const row = rows.find((r) => r[0] === 'China' && r[2] === '2020');
    // 400 Mt/yr × 7.33 bbl/t ÷ 365 days = 8,032.88 thousand barrels a day.
    expect(Number(row![column])).toBeCloseTo(8032.9, 1);
    const meta = await (
      await fetch(`${baseUrl}/indicators/oil-consumption/metadata.json?unit=kb/d`)
    ).json();
    expect(meta.activeFilters.unit).toBe('thousand barrels per day');

    const page = await browser.newPage();
    await page.goto(`${baseUrl}/indicators/oil-consumption`);
    await exploreChart(page);
    await page.locator('select[name="unit"]').selectOption('thousand barrels per day');
    await page.waitForURL(/unit=thousand/);
    await expect
      .poll(() => page.locator('[data-testid="data-table"] thead').innerText())
      .toContain('kb/d');
    // Rounded as a reader expects on screen; the CSV above keeps 8,032.9.
    expect(await page.locator('[data-testid="data-table"] tbody').innerText()).toContain('8,033');
    // The full export keeps values as recorded.
    const full = await (await fetch(`${baseUrl}/indicators/oil-consumption/data-full.csv`)).text();
    expect(full).toContain('oil-consumption,China,CHN,2020,400,million tonnes per year,projection');
    await page.close();
  });
});
