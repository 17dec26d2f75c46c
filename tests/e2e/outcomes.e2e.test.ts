// A fresh database (the pristine server: migrated and seeded, nothing else) shows the
// article against real data: observed or derived lines on every article indicator, and
// every claim whose target has passed scored, with its source and licence.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { ARTICLE_INDICATORS } from '@/lib/article/eurasia-daily-monitor-2004';
import { launchBrowser, exploreChart } from './browser';

const baseUrl = inject('pristineUrl');
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(() => browser?.close());

describe('a fresh database', () => {
  for (const indicator of ARTICLE_INDICATORS) {
    it(`${indicator.slug}: draws an observed or derived line next to the article’s figure`, async () => {
      const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
      await page.goto(`${baseUrl}/indicators/${indicator.slug}`);
      await exploreChart(page);
      // Observed series are drawn by the indicator's chart; lines a derivation computes
      // from other indicators' series (the import share, the migration proxy, the
      // area ratio) by the chart below it.
      const description = [
        await page.locator('#chart-description').innerText(),
        (await page.getByTestId('derived-chart').count())
          ? await page.getByTestId('derived-chart').locator('svg.wide').getAttribute('aria-label')
          : '',
      ].join(' ');
      expect(description).toMatch(/\((observed|derived), [^)]+\): \d+ values from/);
      // A drawn line of many points, not only the article's dots.
      const longest = await page
        .locator(
          '.chart-area path.recharts-line-curve, [data-testid="derived-chart"] svg.wide path',
        )
        .evaluateAll((paths) =>
          Math.max(0, ...paths.map((p) => (p.getAttribute('d') ?? '').split(/[LC]/).length)),
        );
      expect(longest).toBeGreaterThan(10);
      await page.close();
    });
  }

  it('scores every claim of the article on /claims: no claim with a past target is left unscored', async () => {
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    await page.goto(`${baseUrl}/claims`);
    const rows = page.locator('tr[data-claim]');
    expect(await rows.count()).toBe(7);
    const statuses = await rows.evaluateAll((r) => r.map((x) => x.getAttribute('data-status')));
    expect(statuses.every((s) => ['held', 'overshot', 'undershot'].includes(s!))).toBe(true);
    const text = await page.locator('[data-testid="scorecard"]').innerText();
    for (const unscored of ['Pending', 'Not yet due', 'No data', 'Waiting for operand data'])
      expect(text).not.toContain(unscored);

    for (let i = 0; i < 7; i++) {
      const observed = await rows.nth(i).locator('td').nth(3).innerText();
      expect(observed).toMatch(/World Bank|Our World in Data/);
      expect(observed).toContain('CC BY 4.0');
    }
    const titled = (title: string) =>
      rows.filter({ has: page.getByRole('link', { name: title, exact: true }) });
    const oil = titled('China’s annual oil consumption: China');
    expect(await oil.getAttribute('data-status')).toBe('undershot');
    const oilText = await oil.innerText();
    expect(oilText).toContain('681 Mt/yr');
    expect(oilText).toContain('7,916 TWh/yr ÷ 11.63 = 681 Mt/yr');
    expect(oilText).toContain('−41.2%');

    const migration = titled('Rural–urban migration in China: China');
    expect(await migration.locator('td').nth(3).innerText()).toContain('Proxy');
    expect(await migration.innerText()).toMatch(/natural growth/);

    const share = titled('China’s oil import share: China');
    expect(await share.getAttribute('data-status')).toBe('held');
    expect(await share.innerText()).toContain('1 − Oil production (China) ÷');
    await page.close();
  });

  it('labels the proxy on the migration chart too', async () => {
    const page = await browser.newPage();
    await page.goto(`${baseUrl}/indicators/rural-urban-migration`);
    expect(await page.getByTestId('derived-chart').innerText()).toMatch(/Proxy/);
    expect(await page.getByTestId('derived-source').innerText()).toContain('Proxy');
    await page.close();
  });
});
