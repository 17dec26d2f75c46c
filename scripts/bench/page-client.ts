// What a reader's browser and the server spend on the indicator page, against the
// production build (`node scripts/build.mjs` first): the JavaScript each page loads
// (page-weight.ts), the main thread's script time and long tasks of an indicator page's
// load at 4× CPU throttling (median of five loads, or `loads`), and the server's CPU time per render
// of that page (each request a new URL, so the page cache does not answer it).
// `node --import tsx scripts/bench/page-client.ts [renders=300] [loads=5]`
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { launchBrowser } from '../../tests/e2e/browser';
import { startServer } from '../../tests/e2e/global-setup';
import { cpuMsOf } from '../server-process';
import { measurePageWeights } from './page-weight';

const PAGES = [
  '/',
  '/claims',
  '/indicators/population-density',
  '/indicators/oil-consumption',
  '/embed/indicators/oil-consumption',
];
const INDICATOR = '/indicators/oil-consumption';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Script and task time (ms) and long tasks of one throttled page load, until idle. */
async function clientWork(base: string, loads: number) {
  const browser = await launchBrowser();
  try {
    const runs: { script: number; task: number; longTasks: number; longMs: number }[] = [];
    for (let i = 0; i < loads; i++) {
      const page = await browser.newPage();
      const cdp = await page.context().newCDPSession(page);
      await cdp.send('Performance.enable');
      await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
      await page.addInitScript(() => {
        const w = window as unknown as { longTasks: number[] };
        w.longTasks = [];
        new PerformanceObserver((list) => {
          for (const e of list.getEntries()) w.longTasks.push(e.duration);
        }).observe({ type: 'longtask', buffered: true });
      });
      await page.goto(base + INDICATOR, { waitUntil: 'networkidle' });
      const { metrics } = await cdp.send('Performance.getMetrics');
      const metric = (name: string) => (metrics.find((m) => m.name === name)?.value ?? 0) * 1000;
      const long = await page.evaluate(
        () => (window as unknown as { longTasks: number[] }).longTasks,
      );
      runs.push({
        script: metric('ScriptDuration'),
        task: metric('TaskDuration'),
        longTasks: long.length,
        longMs: long.reduce((a, b) => a + b, 0),
      });
      await page.close();
    }
    return {
      scriptMs: median(runs.map((r) => r.script)),
      taskMs: median(runs.map((r) => r.task)),
      longTasks: median(runs.map((r) => r.longTasks)),
      longTaskMs: median(runs.map((r) => r.longMs)),
    };
  } finally {
    await browser.close();
  }
}

/** The server's CPU time per render of the indicator page, in ms. */
async function serverCpu(base: string, pid: number, renders: number) {
  for (let i = 0; i < 20; i++) await (await fetch(`${base}${INDICATOR}?warm=${i}`)).text();
  const before = cpuMsOf(pid);
  for (let i = 0; i < renders; i++) {
    const response = await fetch(`${base}${INDICATOR}?r=${i}`);
    if (!response.ok) throw new Error(`${INDICATOR}: ${response.status}`);
    await response.text();
  }
  return (cpuMsOf(pid) - before) / renders;
}

async function main() {
  const renders = Number(process.argv[2] ?? 300);
  const loads = Number(process.argv[3] ?? 5);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sourced-page-client-'));
  const server = await startServer(dir, 'page-client', {});
  try {
    for (const w of await measurePageWeights(server.baseUrl, PAGES))
      console.log(`${w.path}: ${w.gzipKB.toFixed(1)} KB gzip in ${w.scripts} scripts`);
    const work = await clientWork(server.baseUrl, loads);
    console.log(
      `${INDICATOR} at 4× CPU throttling: script ${work.scriptMs.toFixed(0)} ms, tasks ` +
        `${work.taskMs.toFixed(0)} ms, ${work.longTasks} long tasks (${work.longTaskMs.toFixed(0)} ms)`,
    );
    const cpu = await serverCpu(server.baseUrl, server.pid, renders);
    console.log(`${INDICATOR}: ${cpu.toFixed(2)} ms server CPU per render (${renders} renders)`);
  } finally {
    await server.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

await main();
