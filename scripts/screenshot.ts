// Screenshots of a running server: `node --import tsx scripts/screenshot.ts <base-url> <path> <out.png> [width]`.
import { launchBrowser } from '../tests/e2e/browser';

const [base = 'http://localhost:3000', route = '/', out = 'screenshot.png', width = '1200'] =
  process.argv.slice(2);
const browser = await launchBrowser();
try {
  const page = await browser.newPage({ viewport: { width: Number(width), height: 900 } });
  await page.goto(new URL(route, base).toString());
  if (route.startsWith('/indicators/')) await page.waitForSelector('.chart-area svg');
  await page.screenshot({ path: out, fullPage: true });
  console.log(`Saved ${out}`);
} finally {
  await browser.close();
}
