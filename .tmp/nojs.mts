import { launchBrowser } from '../tests/e2e/browser';
const browser = await launchBrowser();
for (const [w, name] of [[1280, 'wide'], [375, 'phone']] as const) {
  const page = await browser.newPage({ viewport: { width: w, height: 1000 }, javaScriptEnabled: false, colorScheme: w < 600 ? 'dark' : 'light' });
  await page.goto('http://127.0.0.1:3918/indicators/scale-daily-1?find=AB');
  await page.waitForLoadState('load');
  await page.screenshot({ path: `/tmp/nojs-${name}.png` });
  await page.close();
}
await browser.close();
