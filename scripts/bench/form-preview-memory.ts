// Measures the server's main thread while the Add data form previews a large CSV (issue #21:
// the form's file goes through the streamed upload, not the server's main thread). Starts the
// production build of `--root` (default: this tree) on a scratch database, with
// main-thread-memory.mjs preloaded, previews the file twice in Chromium (the second time with
// its entities confirmed, so the preview is clean and draws its lines), and prints the main
// thread's peak heap and array buffers and the process's peak RSS (worker included) for each.
//
//   node --import tsx scripts/bench/form-preview-memory.ts [--root DIR] [--mb 50]
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import countries from 'i18n-iso-countries';
import { chromium } from 'playwright-core';
import { SERVER_ENV, SERVER_NODE_FLAGS } from '../../scripts/server-flags.mjs';
import { freePort, setUpDatabase } from '../server-process';

const arg = (name: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const root = path.resolve(arg('root') ?? path.join(import.meta.dirname, '..', '..'));
const mb = Number(arg('mb') ?? 50);
const MB = 1024 * 1024;

/** What main-thread-memory.mjs writes: the main thread's memory, and how late its samples were. */
type Usage = Record<'rss' | 'heapUsed' | 'external' | 'arrayBuffers' | 'lagMs', number>;

/** A tidy CSV of about `mb` MB: every ISO code from 1990-01-01 on, one row a day. */
function writeCsv(file: string) {
  const codes = Object.keys(countries.getAlpha3Codes());
  const out = fs.openSync(file, 'w');
  fs.writeSync(out, 'entity,code,period,value,note\n');
  let size = 0;
  let day = 0;
  while (size < mb * MB) {
    const date = new Date(Date.UTC(1990, 0, 1 + day++)).toISOString().slice(0, 10);
    const lines = codes
      .slice(0, 200)
      .map((c, i) => `${c},${c},${date},${(day * 0.37 + i).toFixed(4)},bench row\n`)
      .join('');
    size += Buffer.byteLength(lines);
    fs.writeSync(out, lines);
  }
  fs.closeSync(out);
}

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'form-preview-memory-'));
  const csv = path.join(dir, 'bench.csv');
  writeCsv(csv);
  const memoryFile = path.join(dir, 'memory.json');
  const token = 'form-preview-memory-token-0123456789';
  const env = {
    ...process.env,
    ...SERVER_ENV,
    DATABASE_URL: `file:${path.join(dir, 'bench.db')}`,
    SOURCED_EDITOR_TOKEN: token,
    NEXT_TELEMETRY_DISABLED: '1',
    MAIN_THREAD_MEMORY_FILE: memoryFile,
    // The form's memory alone: a warm-up (lib/web/warm-up.ts) would add its pages'.
    SOURCED_WARM_UP: '0',
  };
  const setupError = setUpDatabase(env);
  if (setupError !== null) throw new Error(setupError);
  const port = await freePort();
  const server = spawn(
    process.execPath,
    [
      ...SERVER_NODE_FLAGS,
      '--import',
      pathToFileURL(path.join(import.meta.dirname, 'main-thread-memory.mjs')).href,
      path.join(root, 'node_modules/next/dist/bin/next'),
      'start',
      '-p',
      String(port),
      '-H',
      '127.0.0.1',
    ],
    { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let log = '';
  server.stdout.on('data', (d) => (log += d));
  server.stderr.on('data', (d) => (log += d));
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`${base}/api/indicators`)).ok) break;
    } catch {}
    if (i > 240) throw new Error(`the server did not start:\n${log}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  const peaks = async () => {
    server.kill('SIGUSR2');
    for (let i = 0; i < 200 && !fs.existsSync(memoryFile); i++)
      await new Promise((r) => setTimeout(r, 50));
    const m = JSON.parse(fs.readFileSync(memoryFile, 'utf8')) as Record<'peak' | 'now', Usage>;
    fs.rmSync(memoryFile);
    return m;
  };
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox'],
  });
  try {
    const context = await browser.newContext();
    const page = await context.newPage();
    // Logged in through the form, as an editor is: the session is a row the server keeps.
    await page.goto(`${base}/login`);
    await page.getByLabel('Editor token').fill(token);
    await Promise.all([
      page.waitForURL((url) => url.pathname !== '/login'),
      page.getByRole('button', { name: 'Log in' }).click(),
    ]);
    const posts: string[] = [];
    page.on('request', (r) => r.method() === 'POST' && posts.push(new URL(r.url()).pathname));
    await page.goto(`${base}/data/new?indicator=oil-import-share`);
    await page.getByLabel('Source title').fill('Bench');
    await page.getByLabel('Producer or publisher').fill('Sourced bench');
    await page.getByLabel('URL', { exact: true }).fill('https://example.org/bench');
    await page.getByLabel('CSV file').setInputFiles(csv);
    const idle = await peaks();
    const preview = async (label: string) => {
      const started = Date.now();
      await page.getByRole('button', { name: 'Preview' }).click();
      await page
        .locator('[data-testid="import-summary"], .results .problem, .results .problems')
        .first()
        .waitFor({ timeout: 600_000 });
      await page.getByText('Working…').waitFor({ state: 'detached', timeout: 600_000 });
      const seconds = (Date.now() - started) / 1000;
      const m = await peaks();
      const summary = (await page.locator('.results').innerText())
        .split('\n')
        .slice(0, 4)
        .join(' / ');
      console.log(
        `${label}: ${seconds.toFixed(1)} s; main thread peak heap ${(m.peak.heapUsed / MB).toFixed(0)} MB, ` +
          `array buffers ${(m.peak.arrayBuffers / MB).toFixed(0)} MB, external ${(m.peak.external / MB).toFixed(0)} MB; ` +
          `process peak RSS ${(m.peak.rss / MB).toFixed(0)} MB; main event loop held up to ${m.peak.lagMs.toFixed(0)} ms — “${summary}”`,
      );
    };
    console.log(
      `${root}: ${(fs.statSync(csv).size / MB).toFixed(1)} MB CSV; idle main thread heap ${(idle.now.heapUsed / MB).toFixed(0)} MB, RSS ${(idle.now.rss / MB).toFixed(0)} MB`,
    );
    await preview('preview 1 (new entities to confirm)');
    const confirm = page.locator('input[name="createEntities"]');
    if (await confirm.count()) await confirm.check();
    await preview('preview 2 (clean, lines drawn)');
    const errors = page.locator('[data-testid="import-errors"] tbody tr');
    if (await errors.count()) console.log(`first problem: ${await errors.first().innerText()}`);
    const lines = await page.locator('.results .recharts-line').count();
    console.log(`chart lines: ${lines}; POSTs: ${[...new Set(posts)].join(', ')}`);
  } finally {
    await browser.close();
    server.kill();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
