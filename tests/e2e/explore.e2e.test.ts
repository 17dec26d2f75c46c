// The chart page as analysts use it, at a desktop width and at a phone's: labelled
// lines and ticks that never collide, the chart without JavaScript, the entity picker,
// transforms, framed image downloads, the embed, no sideways scrolling, dark mode.
import fs from 'node:fs';
import http from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Locator, Page } from 'playwright-core';
import { launchBrowser, exploreChart } from './browser';

const require = createRequire(import.meta.url);
const baseUrl = inject('baseUrl');
const token = inject('editorToken');
const chartSvg = '.chart-area svg.recharts-surface';
const YEARS = Array.from({ length: 33 }, (_, i) => 1990 + i);
const THREE = [
  ['China', 'CHN', 100],
  ['Kazakhstan', 'KAZ', 98],
  ['Mongolia', 'MNG', 99],
] as const;
const MANY = [
  ['Albania', 'ALB'],
  ['Bolivia', 'BOL'],
  ['Chad', 'TCD'],
  ['Denmark', 'DNK'],
  ['Ecuador', 'ECU'],
  ['Fiji', 'FJI'],
  ['Ghana', 'GHA'],
  ['Haiti', 'HTI'],
  ['Iceland', 'ISL'],
  ['Jordan', 'JOR'],
  ['Kenya', 'KEN'],
  ['Nepal', 'NPL'],
  ['Oman', 'OMN'],
  ['Peru', 'PER'],
  ['Qatar', 'QAT'],
  ['Rwanda', 'RWA'],
  ['Togo', 'TGO'],
  ['Uganda', 'UGA'],
  ['Yemen', 'YEM'],
  ['Zambia', 'ZMB'],
] as const;
let browser: Browser;

async function importCsv(lines: string[], slug: string, title: string) {
  const form = new FormData();
  form.set('file', new Blob([lines.join('\n')], { type: 'text/csv' }), `${slug}.csv`);
  form.set(
    'meta',
    JSON.stringify({
      indicator: { slug, title, unitLong: 'index points', unitShort: 'pts' },
      kind: 'observed',
      unit: 'index points',
      createEntities: true,
      source: { title: 'Explore panel', producer: 'Explore lab', url: 'https://example.org/x' },
    }),
  );
  const res = await fetch(`${baseUrl}/api/imports`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}` },
    body: form,
  });
  expect(res.status, (await res.clone().text()).slice(0, 300)).toBe(201);
}

beforeAll(async () => {
  browser = await launchBrowser();
  // Three lines that end close together, so their labels must be spread apart.
  const three = ['entity,code,period,value'];
  for (const [name, code, start] of THREE)
    for (const y of YEARS) three.push(`${name},${code},${y},${start + 2 * (y - 1990)}`);
  await importCsv(three, 'explore-three', 'Explore three');
  const many = ['entity,code,period,value'];
  MANY.forEach(([name, code], i) => {
    for (const y of YEARS) many.push(`${name},${code},${y},${10 + i + (y - 1990) / 2}`);
  });
  await importCsv(many, 'explore-many', 'Explore many');
}, 120_000);
afterAll(() => browser?.close());

async function open(
  path: string,
  options: { width: number; javaScript?: boolean; dark?: boolean },
): Promise<Page> {
  const context = await browser.newContext({
    viewport: { width: options.width, height: 900 },
    javaScriptEnabled: options.javaScript ?? true,
    colorScheme: options.dark ? 'dark' : 'light',
    acceptDownloads: true,
  });
  const page = await context.newPage();
  await page.goto(`${baseUrl}${path}`);
  return page;
}

type Rect = { x: number; y: number; width: number; height: number };
const boxes = (l: Locator) =>
  l.evaluateAll((els) =>
    els.map((e) => {
      const r = e.getBoundingClientRect();
      return { x: r.x, y: r.y, width: r.width, height: r.height, text: e.textContent ?? '' };
    }),
  );

/** Pairs of boxes that overlap (by more than a rounding pixel). */
function overlapping(list: (Rect & { text: string })[]) {
  const out: string[] = [];
  for (const [i, a] of list.entries())
    for (const b of list.slice(i + 1))
      if (
        a.x + 0.5 < b.x + b.width &&
        b.x + 0.5 < a.x + a.width &&
        a.y + 0.5 < b.y + b.height &&
        b.y + 0.5 < a.y + a.height
      )
        out.push(`${a.text} / ${b.text}`);
  return out;
}

async function seriesId(slug: string, code: string): Promise<number> {
  const json = await (await fetch(`${baseUrl}/api/indicators/${slug}`)).json();
  return json.indicator.series.find((s: { entity: { code: string } }) => s.entity.code === code).id;
}

/** Relative luminance contrast of two CSS colours (rgb() or #rrggbb). */
function contrast(a: string, b: string) {
  const rgb = (c: string) => {
    const hex = c.match(/^#([0-9a-f]{6})$/i)?.[1];
    const parts = hex
      ? [0, 2, 4].map((i) => parseInt(hex.slice(i, i + 2), 16))
      : c
          .match(/\d+(\.\d+)?/g)!
          .slice(0, 3)
          .map(Number);
    const [r, g, bl] = parts.map((v) => {
      const s = v / 255;
      return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r! + 0.7152 * g! + 0.0722 * bl!;
  };
  const [hi, lo] = [rgb(a), rgb(b)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
}

describe.each([1280, 375])('at %i px', (width) => {
  it('labels three entities at their line ends, with no overlapping labels or ticks', async () => {
    const page = await open('/indicators/explore-three', { width });
    await exploreChart(page);
    const chart = page.locator(chartSvg);
    // The chart has a name, so it may take the keyboard focus it takes.
    expect(await page.getByRole('application', { name: /^Chart of Explore three/ }).count()).toBe(
      1,
    );
    const labels = await boxes(chart.locator('[data-line-label]'));
    expect(labels.map((l) => l.text).sort()).toEqual(['China', 'Kazakhstan', 'Mongolia']);
    expect(overlapping(labels)).toEqual([]);
    for (const l of labels) expect(l.x + l.width).toBeLessThanOrEqual(width);
    const ticks = await boxes(chart.locator('.recharts-cartesian-axis-tick-value'));
    expect(ticks.length).toBeGreaterThan(4);
    expect(overlapping(ticks)).toEqual([]);
    expect(overlapping([...ticks, ...labels])).toEqual([]);
    await page.context().close();
  });

  it('shows the chart as an SVG image with JavaScript disabled, drawn for the width', async () => {
    const page = await open('/indicators/explore-three', { width, javaScript: false });
    const img = page.locator('.chart-area img.static-chart:visible');
    expect(await img.count()).toBe(1);
    expect(await img.getAttribute('alt')).toMatch(/^Chart of Explore three/);
    const drawn = await img.evaluate((i: HTMLImageElement) => ({
      src: i.currentSrc,
      naturalWidth: i.naturalWidth,
      shownWidth: i.getBoundingClientRect().width,
    }));
    // The phone gets the drawing made for a phone, not the desktop one scaled down.
    expect(new URL(drawn.src).searchParams.get('size')).toBe(width < 600 ? 'narrow' : 'wide');
    expect(drawn.naturalWidth).toBeGreaterThan(0);
    expect(drawn.naturalWidth).toBeGreaterThanOrEqual(drawn.shownWidth * 0.8);
    // The image itself, opened as a document: labels and ticks that do not collide.
    const response = await page.goto(drawn.src);
    expect(response?.headers()['content-type']).toMatch(/^image\/svg\+xml/);
    const svg = page.locator('svg').first();
    expect(await svg.getAttribute('role')).toBe('img');
    expect(await svg.getAttribute('aria-label')).toMatch(/^Chart of Explore three/);
    const labels = await boxes(svg.locator('[data-line-label]'));
    expect(labels.map((l) => l.text).sort()).toEqual(['China', 'Kazakhstan', 'Mongolia']);
    expect(overlapping(labels)).toEqual([]);
    const ticks = await boxes(svg.locator('.chart-tick'));
    expect(ticks.length).toBeGreaterThan(4);
    expect(overlapping(ticks)).toEqual([]);
    expect(await svg.locator('path[stroke]').count()).toBe(3);
    await page.context().close();
  });

  it('adds an entity picked through search, without a page load, and puts it in the URL', async () => {
    const zambia = await seriesId('explore-many', 'ZMB');
    const page = await open('/indicators/explore-many', { width });
    await exploreChart(page);
    await page.evaluate(() => Object.assign(window, { sameDocument: true }));
    expect(await page.locator(`${chartSvg} [data-line-label]`).count()).toBe(6);
    const settings = page.locator('details.settings > summary');
    if (await settings.isVisible()) await settings.click();
    // The page carries the series in view only; the list is fetched when the search is used.
    expect(await page.content()).not.toContain('Zambia');
    const listed = page.waitForRequest((r) =>
      r.url().includes('/api/indicators/explore-many/series'),
    );
    // The server's "Find a series" box, which the picker makes a combobox on first use.
    const search = page.getByLabel('Find a series');
    await search.fill('zamb');
    await listed;
    await expect.poll(() => search.getAttribute('role')).toBe('combobox');
    await expect
      .poll(() => page.getByRole('option').allInnerTexts())
      .toEqual([expect.stringContaining('Zambia')]);
    // The interactive chart fetches the new view's series from the read API, in one request.
    const fetched = page.waitForRequest((r) => {
      const url = new URL(r.url());
      return (
        url.pathname === '/api/indicators/explore-many' &&
        (url.searchParams.get('series') ?? '').split(',').includes(String(zambia))
      );
    });
    await search.press('Enter');
    await fetched;
    await expect
      .poll(() => page.locator(`${chartSvg} [data-line-label]`).allTextContents())
      .toContain('Zambia');
    expect(await page.locator(`${chartSvg} .recharts-line`).count()).toBe(7);
    await page.waitForURL((url) =>
      (url.searchParams.get('series') ?? '').split(',').includes(String(zambia)),
    );
    expect(await page.evaluate(() => (window as { sameDocument?: boolean }).sameDocument)).toBe(
      true,
    );
    // The server's page for the view lists it; unticking it takes it out of the chart and the URL.
    await page.getByRole('checkbox', { name: /Explore lab \(Zambia\)/ }).uncheck();
    await page.waitForURL(
      (url) => !(url.searchParams.get('series') ?? '').includes(String(zambia)),
    );
    await expect.poll(() => page.locator(`${chartSvg} .recharts-line`).count()).toBe(6);
    await page.context().close();
  });

  it('applies relative change to the chart, the table and the downloaded CSV alike', async () => {
    const page = await open('/indicators/explore-three', { width });
    await exploreChart(page);
    const unit = () => page.locator(`${chartSvg} [data-unit]`).textContent();
    const yTicks = () =>
      page
        .locator(`${chartSvg} .recharts-yAxis-tick-labels .recharts-cartesian-axis-tick-value`)
        .allTextContents();
    expect(await unit()).toBe('pts');
    const before = await yTicks();
    await page.getByRole('radio', { name: 'Relative change' }).check();
    await page.waitForURL(/transform=relative/);
    await expect.poll(unit).toBe('%');
    expect(await yTicks()).not.toEqual(before);
    // China: 100 in 1990, 102 in 1991, 164 in 2022.
    const rows = page.locator('[data-testid="data-table"] tbody tr');
    await expect
      .poll(() => page.locator('[data-testid="data-table"] thead').innerText())
      .toContain('Relative change (%)');
    const cell = (i: number) => rows.nth(i).locator('[data-transformed]').innerText();
    expect([await cell(0), await cell(1)]).toEqual(['0.0', '2.0']);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Download CSV' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('explore-three_chart_relative-change.csv');
    const [header, ...csv] = parse(fs.readFileSync((await download.path())!, 'utf8'), {
      bom: true,
    }) as string[][];
    expect(header!.slice(0, 3)).toEqual(['Entity', 'Code', 'Year']);
    const value = (entity: string, year: string) =>
      csv
        .find((r) => r[0] === entity && r[2] === year)!
        .slice(3)
        .find((v) => v !== '');
    expect(value('China', '1990')).toBe('0');
    expect(value('China', '1991')).toBe('2');
    expect(value('China', '2022')).toBe('64');
    expect(Number(value('Kazakhstan', '2022'))).toBeCloseTo((162 / 98 - 1) * 100, 2);
    await page.context().close();
  });

  it('downloads PNG and SVG images that carry the legend, the unit and the source line', async () => {
    const page = await open('/indicators/explore-three', { width });
    await exploreChart(page);
    const grab = async (testId: string) => {
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByTestId(testId).click(),
      ]);
      return {
        name: download.suggestedFilename(),
        bytes: fs.readFileSync((await download.path())!),
      };
    };
    const svg = await grab('download-svg');
    expect(svg.name).toBe('explore-three_chart.svg');
    const text = svg.bytes.toString('utf8');
    for (const expected of [
      'Explore three',
      'index points (pts)',
      'Explore lab (China) (observed)',
      'Explore lab (Kazakhstan) (observed)',
      'Explore lab (Mongolia) (observed)',
      'Source: Explore lab',
      `${baseUrl}/indicators/explore-three`,
    ])
      expect(text, expected).toContain(expected);
    expect(text).toContain('data-legend');

    const png = await grab('download-png');
    expect(png.name).toBe('explore-three_chart.png');
    expect(png.bytes.subarray(0, 8)).toEqual(
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    );
    // The image is the framed chart (taller than the chart box, at twice its size) ...
    const chartHeight = await page.locator('.chart-area').evaluate((e) => e.clientHeight);
    expect(png.bytes.readUInt32BE(20)).toBeGreaterThan(2 * chartHeight + 100);
    // ... and carries its title, legend, sources and URL as text chunks.
    const chunks: Record<string, string> = {};
    for (let at = 8; at < png.bytes.length;) {
      const length = png.bytes.readUInt32BE(at);
      const type = png.bytes.toString('latin1', at + 4, at + 8);
      if (type === 'iTXt') {
        const data = png.bytes.subarray(at + 8, at + 8 + length);
        const keyword = data.subarray(0, data.indexOf(0)).toString('latin1');
        chunks[keyword] = data.subarray(data.indexOf(0) + 5).toString('utf8');
      }
      at += 12 + length;
    }
    expect(chunks.Title).toBe('Explore three');
    expect(chunks.Description).toContain('Explore lab (Mongolia) (observed)');
    expect(chunks.Source).toContain('Source: Explore lab');
    expect(chunks.URL).toBe(`${baseUrl}/indicators/explore-three`);
    await page.context().close();
  });

  it('embeds the chart, legend and source in a page of another origin', async () => {
    const response = await fetch(`${baseUrl}/embed/indicators/explore-three?transform=index`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-security-policy')).toContain('frame-ancestors *');
    // Another origin: a page served from another port that frames the chart.
    const host = http.createServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/html' });
      res.end(`<!doctype html><title>Elsewhere</title>
        <iframe id="embed" src="${baseUrl}/embed/indicators/explore-three?transform=index"
          width="${width - 20}" height="560"></iframe>
        <iframe id="page" src="${baseUrl}/indicators/explore-three" width="300" height="200"></iframe>`);
    });
    await new Promise<void>((resolve) => host.listen(0, '127.0.0.1', resolve));
    const { port } = host.address() as AddressInfo;
    const context = await browser.newContext({ viewport: { width, height: 900 } });
    const page = await context.newPage();
    await page.goto(`http://127.0.0.1:${port}/article`);
    const frame = page.frameLocator('#embed');
    await exploreChart(frame);
    expect(await frame.locator('.embed-title').innerText()).toBe('Explore three');
    expect(await frame.locator('.site-header').isVisible()).toBe(false);
    expect(await frame.locator('.legend').innerText()).toContain('Mongolia');
    expect(await frame.getByTestId('embed-source').innerText()).toContain('Source: Explore lab');
    expect(await frame.locator(`${chartSvg} [data-unit]`).textContent()).toBe('index');
    const scroll = await frame.locator('html').evaluate((e) => e.scrollWidth - e.clientWidth);
    expect(scroll).toBeLessThanOrEqual(0);
    // Any other page refuses to be framed (the site's policy: frame-ancestors 'none').
    const page2 = await (await page.$('#page'))!.contentFrame();
    await expect.poll(() => page2!.url()).toMatch(/^chrome-error:/);
    const other = await fetch(`${baseUrl}/indicators/explore-three`);
    expect(other.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    await context.close();
    host.close();
  });

  it('is never wider than the screen', async () => {
    const paths = [
      '/',
      '/indicators/population-density',
      '/indicators/explore-three?transform=change',
      '/indicators/explore-many',
      '/claims',
      '/sources/1',
      '/data/new',
      '/login',
      '/embed/indicators/explore-three',
    ];
    const page = await open('/', { width });
    for (const path of paths) {
      await page.goto(`${baseUrl}${path}`);
      if (path.includes('/indicators/')) await exploreChart(page);
      const overflow = await page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      );
      expect(overflow, path).toBeLessThanOrEqual(0);
    }
    await page.context().close();
  });

  it('has no serious or critical accessibility violations (axe)', async () => {
    for (const dark of [false, true])
      for (const path of [
        '/',
        '/indicators/explore-three?transform=relative',
        '/indicators/explore-many',
        '/embed/indicators/explore-three',
      ]) {
        const page = await open(path, { width, dark });
        if (path.includes('/indicators/')) await exploreChart(page);
        if (path === '/indicators/explore-many') {
          const settings = page.locator('details.settings > summary');
          if (await settings.isVisible()) await settings.click();
          await page.getByLabel('Find a series').fill('a');
          await page.getByRole('listbox', { name: 'Matching series' }).waitFor();
        }
        await page.addScriptTag({ path: require.resolve('axe-core/axe.min.js') });
        const violations = await page.evaluate(async () => {
          const axe = (window as unknown as { axe: { run: (o: object) => Promise<AxeResult> } })
            .axe;
          type AxeResult = {
            violations: { id: string; impact: string; nodes: { target: string[] }[] }[];
          };
          const result = await axe.run({ resultTypes: ['violations'] });
          return result.violations
            .filter((v) => v.impact === 'serious' || v.impact === 'critical')
            .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
        });
        expect(violations, `${path}${dark ? ' (dark)' : ''}`).toEqual([]);
        await page.context().close();
      }
  });

  it('follows a dark colour scheme with series at 3:1 and text at 4.5:1', async () => {
    const page = await open('/indicators/explore-many', { width, dark: true });
    await exploreChart(page);
    const colours = await page.evaluate(() => {
      const css = (el: Element | null, prop: string) =>
        el ? getComputedStyle(el).getPropertyValue(prop) : '';
      const q = (s: string) => document.querySelector(s);
      return {
        background: css(document.documentElement, 'background-color'),
        text: [
          css(document.body, 'color'),
          css(q('.meta'), 'color'),
          css(q('main a'), 'color'),
          css(q('.recharts-cartesian-axis-tick-value'), 'fill'),
          css(q('[data-line-label]'), 'fill'),
          css(q('[data-testid="data-table"] td'), 'color'),
        ],
        series: [
          ...document.querySelectorAll('.chart-area .recharts-line path.recharts-curve'),
        ].map((p) => p.getAttribute('stroke') ?? ''),
      };
    });
    expect(colours.background).toBe('rgb(18, 20, 24)');
    expect(colours.series.length).toBe(6);
    for (const c of colours.series)
      expect(contrast(c, colours.background), c).toBeGreaterThanOrEqual(3);
    for (const c of colours.text)
      expect(contrast(c, colours.background), c).toBeGreaterThanOrEqual(4.5);
    await page.context().close();
  });
});
