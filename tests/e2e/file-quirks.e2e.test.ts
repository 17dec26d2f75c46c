// A national office's file as an analyst gets it: no country column, several measures in two
// columns, and dates that could be day or month first. The mapping step asks each question,
// the preview changes with each answer, the file is saved, and next year's file of the same
// table, read with the recipe saved from the first, lands as revisions of the same series: in
// the browser, and through the API with `meta.recipe` alone.
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

const vintage = (rows: string[]) =>
  Buffer.from(['Measure;Unit;Date;Value', ...rows, ''].join('\r\n'), 'utf8');
const FIRST = vintage([
  'Population;Thousands;01/07/2021;19000,5',
  'Population;Percent change;01/07/2021;1,3',
  'Births;Thousands;01/07/2021;400,1',
  'Population;Thousands;01/07/2022;19600,2',
  'Population;Percent change;01/07/2022;3,1',
  'Births;Thousands;01/07/2022;410',
]);
const SECOND = vintage([
  'Population;Thousands;01/07/2021;19000,5',
  'Births;Thousands;01/07/2021;400,1',
  'Population;Thousands;01/07/2022;19650,0',
  'Population;Percent change;01/07/2022;3,4',
  'Population;Thousands;01/07/2023;20000,0',
]);
const THIRD = vintage([
  'Population;Thousands;01/07/2021;19000,5',
  'Population;Thousands;01/07/2022;19650,0',
  'Population;Thousands;01/07/2023;20100,0',
]);
const RECIPE = 'Population yearly';

const SLUG = 'population-quirks-test';
const source = {
  title: 'Population by measure (quirks test)',
  producer: 'Quirks test office',
  url: 'https://example.org/quirks-test',
};

describe('answering what a real file asks', () => {
  it('filters two columns, answers the date order and the one country, saves, then revises', async () => {
    const context = await browser.newContext({ viewport: { width: 1200, height: 1000 } });
    const page = await context.newPage();
    await page.goto(`${baseUrl}/login?next=${encodeURIComponent('/data/new')}`);
    await page.getByLabel('Editor token').fill(token);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL('**/data/new');
    await page.getByLabel('A new indicator').check();
    await page.getByLabel('Slug', { exact: true }).fill(SLUG);
    await page.getByLabel('Title', { exact: true }).fill('Population (quirks test)');
    await page.getByLabel('Unit (long)').fill('thousand people');
    await page.getByLabel('Unit (short)').fill('thousand');
    await page.getByLabel('Unit of the values').fill('thousand people');
    await page.getByLabel('Source title').fill(source.title);
    await page.getByLabel('Producer or publisher').fill(source.producer);
    await page.getByLabel('URL', { exact: true }).fill(source.url);
    await page.getByTestId('save-recipe').fill(RECIPE);
    await page.getByLabel('CSV file').setInputFiles({
      name: 'population.csv',
      mimeType: 'text/csv',
      buffer: FIRST,
    });
    await page.getByRole('button', { name: 'Preview' }).click();
    const step = page.getByTestId('mapping-step');
    await step.waitFor();
    const summary = () => page.getByTestId('import-summary').innerText();
    const errors = () => page.getByTestId('import-errors').innerText();

    // The whole file is about one country: no entity column, the country given once.
    await page.getByLabel('Entity column (name or code)').selectOption('');
    await expect.poll(() => errors()).toContain('the one entity the whole file is about');
    await page.getByTestId('file-entity').fill('KAZ');
    await page.getByTestId('file-entity').blur();
    // "Measure" reads as the column naming the measure; the measures are chosen by filters here.
    await expect.poll(() => errors()).toContain('the file holds 2 measures in column "Measure"');
    await page.getByLabel('Series column (names the measure)').selectOption('');
    // The dates: 01/07/2021 could be 1 July or 7 January, so the step asks.
    await expect.poll(() => errors()).toContain('could be day first or month first');
    expect(await page.getByTestId('need-dates').isVisible()).toBe(true);
    await page.getByTestId('date-order').selectOption('dmy');
    // Now the file's repeats show: several measures, in the columns Measure and Unit.
    await expect.poll(() => errors()).toContain('the file holds several measures');
    expect(await page.getByTestId('need-measures').isVisible()).toBe(true);

    // A filter on each of the two columns.
    await page.getByTestId('add-filter').selectOption('Measure');
    await page.getByTestId('filter-Measure').waitFor();
    await expect
      .poll(() => page.getByTestId('add-filter').locator('option').allInnerTexts())
      .toContain('Unit (2 values)');
    await page.getByTestId('add-filter').selectOption('Unit');
    await page.getByTestId('filter-Unit').waitFor();
    // "Unit" read as each value's unit: "Thousands" is not the declared unit's name.
    await expect.poll(() => errors()).toContain('unit "Thousands" differs from the declared unit');
    await page.getByLabel('Unit column').selectOption('');
    await expect
      .poll(() => summary(), { timeout: 20_000 })
      .toBe('Ready to save 2 new values in 1 series.');
    const warnings = await page.getByTestId('import-warnings').innerText();
    expect(warnings).toContain('skipped 4 rows not chosen by the filters on "Measure" and "Unit"');

    const mapping = JSON.parse(
      await page.getByTestId('report-mapping').locator('code').last().innerText(),
    ) as Record<string, unknown>;
    expect(mapping).toMatchObject({
      unit: '',
      seriesColumn: '',
      period: 'Date',
      dates: 'dmy',
      filters: [
        { column: 'Measure', values: ['Population'] },
        { column: 'Unit', values: ['Thousands'] },
      ],
    });
    await page.getByRole('button', { name: 'Save' }).click();
    await expect
      .poll(() => summary())
      .toBe(`Saved 2 new values in 1 series. Saved the recipe “${RECIPE}”.`);

    // Next year's file, read with the recipe: the form is filled by it, and Preview shows
    // revisions of the same series, not a new one.
    await page.goto(`${baseUrl}/data/new`);
    await page
      .getByTestId('recipe')
      .selectOption({ label: `${source.producer}: ${RECIPE} (${source.title})` });
    await expect.poll(() => page.getByTestId('recipe-summary').innerText()).toContain('for KAZ');
    expect(await page.getByLabel('Source title').inputValue()).toBe(source.title);
    await page.getByLabel('CSV file').setInputFiles({
      name: 'population-2024.csv',
      mimeType: 'text/csv',
      buffer: SECOND,
    });
    await page.getByRole('button', { name: 'Preview' }).click();
    await expect
      .poll(() => summary(), { timeout: 20_000 })
      .toBe('Ready to save 1 new value, 1 revised (old revisions kept), 1 unchanged in 1 series.');
    expect(await page.getByTestId('import-changes').innerText()).toContain('2022-07-01');
    await page.getByRole('button', { name: 'Save' }).click();
    await expect
      .poll(() => summary())
      .toBe(
        `Saved 1 new value, 1 revised (old revisions kept), 1 unchanged in 1 series. Saved the recipe “${RECIPE}”.`,
      );
    await context.close();

    // The year after, through the API: the recipe's name is the whole meta.
    const form = new FormData();
    form.set('meta', JSON.stringify({ recipe: RECIPE }));
    form.set('file', new Blob([THIRD]), 'population-2025.csv');
    const response = await fetch(`${baseUrl}/api/imports`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
      body: form,
    });
    const report = (await response.json()) as {
      ok: boolean;
      counts: Record<string, number>;
      changes: { period: string; old: number; new: number; revision: number }[];
      recipe: { name: string; sourceId: number };
    };
    expect(response.status).toBe(201);
    expect(report.counts).toMatchObject({ added: 0, changed: 1, unchanged: 2 });
    expect(report.changes).toEqual([
      expect.objectContaining({ period: '2023-07-01', old: 20000, new: 20100, revision: 2 }),
    ]);
    expect(report.recipe.name).toBe(RECIPE);
    // The recipe is shown with its source.
    const stored = (await (
      await fetch(`${baseUrl}/api/sources/${report.recipe.sourceId}`)
    ).json()) as {
      recipes: { name: string; recipe: { mapping: { dates: string } } }[];
    };
    expect(stored.recipes.map((r) => [r.name, r.recipe.mapping.dates])).toEqual([[RECIPE, 'dmy']]);
    const sourcePage = await (await fetch(`${baseUrl}/sources/${report.recipe.sourceId}`)).text();
    expect(sourcePage).toContain('Import recipes');
    const indicator = (await (await fetch(`${baseUrl}/api/indicators/${SLUG}`)).json())
      .indicator as { series: { label: string }[] };
    expect(indicator.series.map((s) => s.label)).toEqual(['Quirks test office (Kazakhstan)']);
  });
});
