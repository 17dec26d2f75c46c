// Launches Debian's Chromium through playwright-core; the browsers Playwright would
// download cannot be fetched on these machines.
import fs from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export function chromiumPath(): string {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'];
  const found = candidates.find((p): p is string => !!p && fs.existsSync(p));
  if (!found)
    throw new Error('Chromium not found: apt-get install -y chromium, or set CHROMIUM_PATH');
  return found;
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS, headless: true });
}

/**
 * Uses the indicator chart as a reader does, pointing at it, so that its interactive
 * version (recharts) loads, and waits until it is drawn.
 */
export async function exploreChart(page: Pick<Page, 'locator'>): Promise<void> {
  const chart = page.locator('.chart-area').first();
  await chart.hover();
  // A pointer that was already there moves nowhere: focus is the keyboard's way in.
  await chart.focus();
  await page.locator('.chart-area svg.recharts-surface').first().waitFor({ timeout: 30_000 });
}
