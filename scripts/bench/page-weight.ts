// JavaScript per page, as a reader's browser loads it: every script a page fetches until
// the network is idle (lazy chunks loaded at start-up included, islands that load only
// when used left out), each gzipped, summed. Headless Debian Chromium (playwright-core)
// against the production server the scale bench started.
import zlib from 'node:zlib';
import { launchBrowser } from '../../tests/e2e/browser';

export const PAGE_WEIGHT_BUDGET_KB = 200;

export type PageWeight = { path: string; scripts: number; gzipKB: number };

export async function measurePageWeights(base: string, paths: string[]): Promise<PageWeight[]> {
  const browser = await launchBrowser();
  try {
    const weights: PageWeight[] = [];
    for (const path of paths) {
      const page = await browser.newPage();
      const sizes = new Map<string, number>();
      const pending: Promise<void>[] = [];
      page.on('response', (response) => {
        if (response.request().resourceType() !== 'script') return;
        pending.push(
          response
            .body()
            .then((body) => void sizes.set(response.url(), zlib.gzipSync(body).length))
            .catch(() => undefined),
        );
      });
      await page.goto(base + path, { waitUntil: 'networkidle' });
      await Promise.all(pending);
      await page.close();
      const total = [...sizes.values()].reduce((a, b) => a + b, 0);
      weights.push({ path, scripts: sizes.size, gzipKB: total / 1024 });
    }
    return weights;
  } finally {
    await browser.close();
  }
}
