import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchBrowser, exploreChart } from './browser';
import { densityRows, worldBankFile } from './support/files';

const baseUrl = inject('baseUrl');
const token = inject('editorToken');
let browser: Browser;

// An indicator of its own: other test files add series to the article's indicators,
// and which series an indicator page shows by default depends on how many it has.
const SLUG = 'import-flow-density';
const TITLE = 'Population density (import flow test)';

beforeAll(async () => {
  browser = await launchBrowser();
  const created = await fetch(`${baseUrl}/api/series`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({
      indicator: { slug: SLUG, title: TITLE, unitLong: 'people per km²', unitShort: 'people/km²' },
      entity: 'FRA',
      kind: 'observed',
      label: 'Import flow baseline',
      unit: 'people per km²',
      source: {
        title: 'Import flow test',
        producer: 'Sourced tests',
        url: 'https://example.org/if',
      },
      observations: [{ period: '2020', value: 119 }],
    }),
  });
  expect(created.status).toBe(201);
});
afterAll(() => browser?.close());

describe('adding a World Bank file in the browser', () => {
  it('logs in, previews a bad row, fixes it, saves, and shows the new series', async () => {
    const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
    const page = await context.newPage();

    // 1. Log in.
    await page.goto(`${baseUrl}/login?next=${encodeURIComponent(`/data/new?indicator=${SLUG}`)}`);
    await page.getByLabel('Editor token').fill(token);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL(`**/data/new?indicator=${SLUG}`);

    // 2. Upload a World Bank-format file for an existing indicator, with one bad value.
    const rows = densityRows();
    rows[1]!.values[41] = 'n/a'; // Kazakhstan, 2001
    await page.getByLabel('Only these entities').fill('CHN, KAZ');
    await page.getByLabel('Source title').fill('World Development Indicators');
    await page.getByLabel('Producer or publisher').fill('World Bank');
    await page
      .getByLabel('URL', { exact: true })
      .fill('https://data.worldbank.org/indicator/EN.POP.DNST');
    await page.getByLabel('License (optional)').fill('CC BY 4.0');
    const upload = (content: string) =>
      page.getByLabel('CSV file').setInputFiles({
        name: 'API_EN.POP.DNST_DS2_en_csv_v2_1.csv',
        mimeType: 'text/csv',
        buffer: Buffer.from(content),
      });
    await upload(worldBankFile(rows));
    await page.getByRole('button', { name: 'Preview' }).click();

    // 3. The preview names the bad row, and Save stays off.
    const errors = page.locator('[data-testid="import-errors"] tbody tr');
    await errors.first().waitFor();
    const cells = await errors.first().locator('td').allInnerTexts();
    expect(cells[0]).toBe('7'); // line 7 of the file: preamble (4), header (5), China (6), Kazakhstan (7)
    expect(cells[1]).toBe('2001');
    expect(cells[2]).toContain('n/a');
    expect(await page.getByRole('button', { name: 'Save' }).isDisabled()).toBe(true);

    // 4. Fix the row, preview again, save.
    await upload(worldBankFile(densityRows()));
    await page.getByRole('button', { name: 'Preview' }).click();
    await expect
      .poll(() => page.getByTestId('import-summary').innerText())
      .toBe('Ready to save 128 new values in 2 series.');
    await page.locator('.results svg.recharts-surface').waitFor();
    await page.getByRole('button', { name: 'Save' }).click();
    await expect
      .poll(() => page.getByTestId('import-summary').innerText())
      .toBe('Saved 128 new values in 2 series.');

    // The new series are on the chart and in the Sources panel.
    await page.getByRole('link', { name: `See ${TITLE}` }).click();
    await page.waitForURL(`**/indicators/${SLUG}`);
    await exploreChart(page);
    for (const name of [/World Bank \(China\)/, /World Bank \(Kazakhstan\)/])
      expect(await page.getByRole('checkbox', { name }).isChecked()).toBe(true);
    // The baseline and the two new series.
    expect(await page.locator('.chart-area .recharts-line').count()).toBe(3);
    const sources = await page.locator('.sources').innerText();
    expect(sources).toContain('World Bank (China)');
    expect(sources).toContain('World Bank, “World Development Indicators”');
    expect(sources).toContain('License: CC BY 4.0');

    // Archiving hides a series (nothing is deleted), and Restore brings it back.
    const kazakhstan = page.locator('li.source-item', { hasText: 'World Bank (Kazakhstan)' });
    await kazakhstan.getByRole('button', { name: 'Archive this series' }).click();
    await expect
      .poll(() => page.getByRole('checkbox', { name: /World Bank \(Kazakhstan\)/ }).count(), {
        timeout: 15_000,
      })
      .toBe(0);
    const archived = page.locator('li', { hasText: /World Bank \(Kazakhstan\) \(KAZ\), archived/ });
    await archived.getByRole('button', { name: 'Restore' }).click();
    await expect
      .poll(() => page.getByRole('checkbox', { name: /World Bank \(Kazakhstan\)/ }).count(), {
        timeout: 15_000,
      })
      .toBe(1);
    await context.close();
  });

  it('sends a visitor without the token to the login page, and back to the form after it', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${baseUrl}/data/new?indicator=population-density`);
    // No form for a visitor: only the way to log in.
    expect(await page.locator('main').innerText()).toContain('Adding data needs the editor token.');
    expect(await page.getByLabel('Source title').count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Preview' }).count()).toBe(0);

    await page.getByRole('link', { name: 'Log in as editor' }).click();
    await page.waitForURL(
      `${baseUrl}/login?next=${encodeURIComponent('/data/new?indicator=population-density')}`,
    );
    await page.getByLabel('Editor token').fill(token);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL(`${baseUrl}/data/new?indicator=population-density`);
    await page.getByLabel('Source title').waitFor();
    expect(await page.getByRole('button', { name: 'Preview' }).count()).toBe(1);
    await context.close();
  });
});
