// A file whose columns Sourced cannot name: mapped in the browser's preview, saved, then sent
// again with the same mapping through the API, which must find the very same series.
import iconv from 'iconv-lite';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchBrowser } from './browser';

const baseUrl = inject('baseUrl');
const token = inject('editorToken');
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(() => browser?.close());

// European Excel habits: semicolons, decimal commas, Windows-1252; and columns named so that
// nothing can be recognised by name. The first text column is a comment, not the country.
const FILE = iconv.encode(
  [
    'Remarque;Pays ou zone;Période;Habitants par km²',
    'estimation;China;2021;150,41',
    'estimation;China;2022;150,27',
    'révisé;Kazakhstan;2021;7,02',
    'révisé;Kazakhstan;2022;7,13',
    '',
  ].join('\r\n'),
  'windows-1252',
);

const SLUG = 'density-mapping-test';

const source = {
  title: 'Densité de population (mapping test)',
  producer: 'Mapping test bureau',
  url: 'https://example.org/mapping-test',
};

describe('mapping the columns of an unrecognised file', () => {
  it('maps them in the preview, saves, and the API imports the same file the same way', async () => {
    const context = await browser.newContext({ viewport: { width: 1200, height: 1000 } });
    const page = await context.newPage();
    await page.goto(`${baseUrl}/login?next=${encodeURIComponent('/data/new')}`);
    await page.getByLabel('Editor token').fill(token);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL('**/data/new');

    // An indicator of its own, so the other browser tests' views of the article's are unchanged.
    await page.getByLabel('A new indicator').check();
    await page.getByLabel('Slug', { exact: true }).fill(SLUG);
    await page.getByLabel('Title', { exact: true }).fill('Population density (mapping test)');
    await page.getByLabel('Unit (long)').fill('people per km²');
    await page.getByLabel('Unit (short)').fill('people/km²');
    await page.getByLabel('Decimals').fill('2');
    await page.getByLabel('Unit of the values').fill('people per km²');
    await page.getByLabel('Source title').fill(source.title);
    await page.getByLabel('Producer or publisher').fill(source.producer);
    await page.getByLabel('URL', { exact: true }).fill(source.url);
    await page.getByLabel('CSV file').setInputFiles({
      name: 'densite.csv',
      mimeType: 'text/csv',
      buffer: FILE,
    });
    await page.getByRole('button', { name: 'Preview' }).click();

    // The guess is shown, with the mapping step open and Save off.
    const step = page.getByTestId('mapping-step');
    await step.waitFor();
    await expect
      .poll(() => page.getByTestId('file-reading').innerText())
      .toContain('windows-1252 (detected), semicolon-separated, decimal comma');
    expect(await step.getByRole('status').first().innerText()).toContain(
      'not recognised with confidence',
    );
    expect(await page.getByLabel('Entity column (name or code)').inputValue()).toBe('Remarque');
    expect(await page.getByRole('button', { name: 'Save' }).isDisabled()).toBe(true);
    const lines = () => page.locator('.results .recharts-line').count();
    // The guessed entity column names no country: nothing to draw, no series planned.
    expect(await page.locator('.results .chart-area').count()).toBe(0);
    expect(await page.locator('[data-testid="import-entities"] tbody tr').count()).toBe(0);

    if (process.env.SOURCED_SCREENSHOTS) {
      await page.screenshot({
        path: `${process.env.SOURCED_SCREENSHOTS}/mapping-guessed.png`,
        fullPage: true,
      });
    }

    // Map the entity column: the preview runs again by itself.
    await page.getByLabel('Entity column (name or code)').selectOption('Pays ou zone');
    await expect
      .poll(() => page.getByTestId('import-summary').innerText(), { timeout: 20_000 })
      .toBe('Ready to save 4 new values in 2 series.');
    expect(await page.getByRole('combobox', { name: /^Period column/ }).inputValue()).toBe(
      'Période',
    );
    expect(await page.getByRole('checkbox', { name: /Habitants par km²/ }).isChecked()).toBe(true);
    // Two preview lines, one per new series, on the chart.
    await page.locator('.results svg.recharts-surface').waitFor();
    await expect.poll(lines).toBe(2);
    const rows = await page.locator('[data-testid="import-entities"] tbody tr').allInnerTexts();
    expect(rows.map((r) => r.split('\t').slice(0, 3))).toEqual([
      ['China (CHN)', 'Mapping test bureau (China)', '2'],
      ['Kazakhstan (KAZ)', 'Mapping test bureau (Kazakhstan)', '2'],
    ]);
    const mappingText = await page.getByTestId('report-mapping').locator('code').last().innerText();
    const mapping = JSON.parse(mappingText) as Record<string, unknown>;
    expect(mapping).toEqual({
      entity: 'Pays ou zone',
      period: 'Période',
      values: ['Habitants par km²'],
    });

    // SOURCED_SCREENSHOTS=dir keeps pictures of the page before and after mapping.
    const shots = process.env.SOURCED_SCREENSHOTS;
    if (shots) await page.screenshot({ path: `${shots}/mapping-done.png`, fullPage: true });
    await page.getByRole('button', { name: 'Save' }).click();
    await expect
      .poll(() => page.getByTestId('import-summary').innerText())
      .toBe('Saved 4 new values in 2 series.');
    await context.close();

    // The stored series.
    const indicator = (await (await fetch(`${baseUrl}/api/indicators/${SLUG}`)).json())
      .indicator as { series: { id: number; label: string }[] };
    const saved = indicator.series.filter((s) => s.label.startsWith('Mapping test bureau'));
    const observations = async (id: number) =>
      (
        (await (await fetch(`${baseUrl}/api/series/${id}/observations`)).json()) as {
          observations: { period: string; value: number }[];
        }
      ).observations.map((o) => [o.period, o.value]);
    expect(await Promise.all(saved.map(async (s) => [s.label, await observations(s.id)]))).toEqual([
      [
        'Mapping test bureau (China)',
        [
          ['2021', 150.41],
          ['2022', 150.27],
        ],
      ],
      [
        'Mapping test bureau (Kazakhstan)',
        [
          ['2021', 7.02],
          ['2022', 7.13],
        ],
      ],
    ]);

    // The same file with the same mapping through the API: the same series, nothing new.
    const post = async (meta: Record<string, unknown>) => {
      const form = new FormData();
      form.set('file', new Blob([new Uint8Array(FILE)], { type: 'text/csv' }), 'densite.csv');
      form.set('meta', JSON.stringify(meta));
      const res = await fetch(`${baseUrl}/api/imports`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}` },
        body: form,
      });
      return { status: res.status, body: await res.json() };
    };
    const meta = {
      indicator: SLUG,
      kind: 'observed',
      unit: 'people per km²',
      source,
      mapping,
    };
    const again = await post(meta);
    expect(again.status).toBe(200);
    expect(again.body.message).toBe('Nothing to change: all 4 values are already stored.');
    expect(again.body.file.mapping).toEqual(mapping);
    expect(
      again.body.entities.map((e: { seriesId: number; unchanged: number }) => [
        e.seriesId,
        e.unchanged,
      ]),
    ).toEqual(saved.map((s) => [s.id, 2]));

    // Without the mapping the API refuses the guess rather than import it.
    const guessed = await post({ ...meta, mapping: undefined });
    expect(guessed.status).toBe(400);
    expect(guessed.body.errors.map((e: { reason: string }) => e.reason)).toContain(
      'the columns were recognised from their contents, not their names: check the column mapping (entity, period, values) and confirm it (in the API: send it as meta.mapping)',
    );
  });
});
