// The scale bench (`npm run bench -- --only scale`): the production server on a
// database of 1M observations in one indicator plus 2,000 live series, and on one of
// 10M observations across 40 indicators. For each page and download it prints p50
// and p99 latency under 10 concurrent clients (autocannon, loopback only, a fixed
// number of requests, each drawing its series, range or download at random:
// selections.ts), the response size gzip-compressed and not, and the server's peak RSS.
// Beside them, the same server sending one of its static scripts under the same load
// (the floor any page stands on) and the JavaScript each page loads (page-weight.ts).
// With --scale-import it also imports 1M values through POST /api/imports while
// readers load an indicator page, and reports the readers' p99 and errors. Each row also
// gives the server's CPU time per request, which other work on the machine inflates far
// less than it inflates latency. BENCH_SERVER_FLAGS adds Node flags to the server (for
// example "--cpu-prof --cpu-prof-dir=/tmp/prof" to profile what a row costs).
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import autocannon from 'autocannon';
import { copyDatabase } from '../../lib/store/copy';
import { createScratchDatabase } from '../../lib/store/postgres-admin';
import pg from 'pg';
import { runRawExport } from './export';
import { rawCopyExport } from './postgres';
import { measurePageWeights, PAGE_WEIGHT_BUDGET_KB, type PageWeight } from './page-weight';
import { buildScaleDb, SHAPES, type ScaleDb } from './scale-db';
import { benchRequests, nextPath, type PathSource } from './selections';
import { SERVER_ENV, SERVER_NODE_FLAGS } from '../server-flags.mjs';
import { serverCount } from '../server-count.mjs';
import {
  cpuMsOf,
  freePort,
  peakRssEach,
  peakRssOf,
  resetPeakRss,
  warmedUp,
} from '../server-process';

const root = path.resolve(import.meta.dirname, '..', '..');
const nextBin = path.join(root, 'node_modules', 'next', 'dist', 'bin', 'next');
const TOKEN = 'scale-bench-token-0123456789abcdef';

export const SCALE_TARGETS = {
  p50Ms: 150,
  p99Ms: 500,
  maxBytes: 1024 * 1024,
  rssMB: 500,
  exportRatio: 1.5,
};

export type ScaleRow = {
  name: string;
  path: string;
  status: number;
  p50: number;
  p99: number;
  requests: number;
  errors: number;
  /** The server's CPU time per request (all its threads and processes), in ms. */
  cpuMs: number | null;
  bytes: number;
  gzipBytes: number;
};

export type ScaleStore = 'sqlite' | 'postgresql';

export type ScaleResult = {
  shape: string;
  /** The store the server ran on: the SQLite file, or a PostgreSQL copy of it. */
  store: ScaleStore;
  /** Building the SQLite database, plus copying it into PostgreSQL on that store. */
  observations: number;
  liveSeries: number;
  buildDbMs: number;
  rows: ScaleRow[];
  /** A static script of the build under the same load: what the server takes to answer at all. */
  floor: ScaleRow | null;
  /** Gzipped JavaScript per page (null when Chromium is missing). */
  pageWeights: PageWeight[] | null;
  peakRssMB: number;
  /** The largest peak of any one server process (the whole server when there is one). */
  largestProcessMB: number;
  /** Peak RSS in each phase (null where it cannot be reset between phases). */
  phaseRssMB: { pages: number; export: number; import: number | null } | null;
  /** The largest one process's peak in each phase: which phase sets `largestProcessMB`. */
  phaseLargestMB: { pages: number; export: number; import: number | null } | null;
  /**
   * The whole-database CSV through HTTP with gzip accepted, beside the store's raw
   * baseline: better-sqlite3 to CSV, or PostgreSQL's `COPY (…) TO STDOUT` of the same rows.
   */
  export: {
    httpMs: number;
    wireBytes: number;
    rawMs: number;
    rawBytes: number;
    ratio: number;
  } | null;
  importWhileReading: {
    importMs: number;
    importStatus: number;
    readerP50: number;
    readerP99: number;
    readerErrors: number;
    readerRequests: number;
  } | null;
};

/**
 * Server processes per bench run: as many as `npm start` runs on this machine (one per
 * core, scripts/server-count.mjs), or `BENCH_SERVERS` (1 for a single process).
 */
export const benchServers = serverCount({
  env: { SOURCED_SERVERS: process.env.BENCH_SERVERS ?? process.env.SOURCED_SERVERS },
  cores: os.availableParallelism(),
});

/** "2 processes" or "1 process", for the tables' titles. */
export const serverProcesses = () => `${benchServers} process${benchServers === 1 ? '' : 'es'}`;

export async function startServer(url: string, port: number): Promise<ChildProcess> {
  const extraFlags = (process.env.BENCH_SERVER_FLAGS ?? '').split(' ').filter(Boolean);
  const command =
    benchServers > 1
      ? [path.join(root, 'scripts', 'serve-cluster.mjs'), String(benchServers), 'start']
      : [nextBin, 'start'];
  const server = spawn(
    process.execPath,
    [...SERVER_NODE_FLAGS, ...extraFlags, ...command, '-p', String(port)],
    {
      cwd: root,
      env: {
        ...SERVER_ENV,
        ...process.env,
        DATABASE_URL: url,
        PORT: String(port),
        SOURCED_EDITOR_TOKEN: TOKEN,
        NEXT_TELEMETRY_DISABLED: '1',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  // Read for the warm-up's line (stdout) or its failure (stderr, still shown).
  let log = '';
  server.stdout!.on('data', (chunk: Buffer) => (log += chunk));
  server.stderr!.on('data', (chunk: Buffer) => {
    log += chunk;
    process.stderr.write(chunk);
  });
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`the server exited with ${server.exitCode}`);
    try {
      if ((await fetch(`http://127.0.0.1:${port}/api/indicators`)).ok) break;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  try {
    if (Date.now() >= deadline) throw new Error('the server did not start within 60 s');
    // Readers come once the server is ready, as a load balancer sends them.
    if (process.env.SOURCED_WARM_UP !== '0') await warmedUp(() => log, benchServers);
    return server;
  } catch (error) {
    server.kill();
    throw error;
  }
}

/** The bytes sent with gzip accepted (as a browser asks), and their decompressed size. */
export function sizes(
  base: string,
  p: string,
): Promise<{ status: number; bytes: number; gzipBytes: number }> {
  return new Promise((resolve, reject) => {
    http
      .get(base + p, { headers: { 'accept-encoding': 'gzip' }, agent: false }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const wire = Buffer.concat(chunks);
          const gzipped = res.headers['content-encoding'] === 'gzip';
          resolve({
            status: res.statusCode ?? 0,
            bytes: gzipped ? zlib.gunzipSync(wire).length : wire.length,
            gzipBytes: wire.length,
          });
        });
        res.on('error', reject);
      })
      .on('error', reject);
  });
}

/**
 * Fetches a download as a browser does (gzip accepted) and times it to the last byte, on
 * a connection of its own: the raw baseline before it blocks this process for longer than
 * the server keeps an idle connection open, and a reused one would be found closed.
 */
function timedDownload(url: string): Promise<{ ms: number; wireBytes: number; status: number }> {
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers: { 'accept-encoding': 'gzip' }, agent: false }, (res) => {
        let wireBytes = 0;
        res.on('data', (c: Buffer) => (wireBytes += c.length));
        res.on('end', () =>
          resolve({ ms: performance.now() - t0, wireBytes, status: res.statusCode ?? 0 }),
        );
        res.on('error', reject);
      })
      .on('error', reject);
  });
}

/** Best of `repeat` alternating runs of the HTTP export and the raw baseline. */
async function rawExport(store: ScaleStore, dbUrl: string, out: string) {
  if (store === 'sqlite') return runRawExport(dbUrl, out);
  const ms = await rawCopyExport(dbUrl, out);
  return { ms, bytes: fs.statSync(out).size };
}

async function exportRuns(store: ScaleStore, base: string, dbUrl: string, dir: string, repeat = 2) {
  let best = { httpMs: Infinity, wireBytes: 0, rawMs: Infinity, rawBytes: 0 };
  for (let i = 0; i < repeat; i++) {
    const raw = await rawExport(store, dbUrl, path.join(dir, 'raw.csv'));
    fs.rmSync(path.join(dir, 'raw.csv'), { force: true });
    const got = await timedDownload(`${base}/api/export.csv`);
    if (got.status !== 200) throw new Error(`/api/export.csv answered ${got.status}`);
    best = {
      httpMs: Math.min(best.httpMs, got.ms),
      wireBytes: got.wireBytes,
      rawMs: Math.min(best.rawMs, raw.ms),
      rawBytes: raw.bytes,
    };
  }
  return { ...best, ratio: best.httpMs / best.rawMs };
}

/** `requests` requests from 10 clients; `serverPid` adds the server's CPU time per request. */
export async function load(base: string, p: PathSource, requests: number, serverPid?: number) {
  const cpu0 = serverPid ? cpuMsOf(serverPid) : 0;
  const r = await autocannon({
    url: base + nextPath(p),
    connections: 10,
    amount: requests,
    timeout: 30,
    headers: { 'accept-encoding': 'gzip' },
    requests: [{ setupRequest: (req) => ({ ...req, path: nextPath(p) }) }],
  });
  return {
    p50: r.latency.p50,
    p99: r.latency.p99,
    requests: r.requests.total,
    errors: r.errors + r.timeouts + r.non2xx,
    cpuMs: serverPid ? (cpuMsOf(serverPid) - cpu0) / Math.max(1, r.requests.total) : null,
  };
}

export type ScaleOptions = {
  shapes: (keyof typeof SHAPES)[];
  /** Requests per page, spread over 10 connections. */
  requests: number;
  importFile: string | null;
  /** Pages and page weight only: no full export, no import (a quick run). */
  pagesOnly?: boolean;
  /** The stores to run on: the SQLite file, and/or its copy in PostgreSQL. */
  stores: ScaleStore[];
  /** A PostgreSQL server to create the scratch database on (for `postgresql`). */
  postgres: string | null;
  log: (line: string) => void;
};

export async function runScaleBench(options: ScaleOptions): Promise<ScaleResult[]> {
  if (!fs.existsSync(path.join(root, '.next', 'BUILD_ID'))) {
    throw new Error('the scale bench runs the production build: run `npm run build` first');
  }
  const results: ScaleResult[] = [];
  for (const shape of options.shapes) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `sourced-scale-${shape}-`));
    try {
      options.log(`Building the ${shape} database in ${dir} …`);
      const t0 = performance.now();
      const db: ScaleDb = await buildScaleDb(path.join(dir, 'scale.db'), SHAPES[shape]);
      const buildDbMs = performance.now() - t0;
      // Copied before the SQLite run, whose import through the API changes the file: both
      // stores then start from the same data, and both runs import into them.
      const wantsPostgres = options.stores.includes('postgresql');
      if (wantsPostgres && !options.postgres)
        throw new Error('the PostgreSQL scale run needs --postgres <url>');
      const t1 = performance.now();
      const scratch = wantsPostgres
        ? await onPostgres(options.postgres!, db.url, options.log)
        : null;
      const copyMs = performance.now() - t1;
      try {
        if (options.stores.includes('sqlite'))
          results.push(await measureServer(options, shape, 'sqlite', db, db.url, dir, buildDbMs));
        if (scratch)
          results.push(
            await measureServer(
              options,
              shape,
              'postgresql',
              db,
              scratch.url,
              dir,
              buildDbMs + copyMs,
            ),
          );
      } finally {
        await scratch?.drop();
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
  return results;
}

/**
 * The SQLite database moved into a scratch PostgreSQL database with db:copy (ids kept, so
 * the bench's picks name the same rows), then analysed, as an operator would after a load.
 */
async function onPostgres(server: string, sqliteUrl: string, log: (line: string) => void) {
  const scratch = await createScratchDatabase(server, 'sourced_scale');
  try {
    log(`  copying into PostgreSQL (${scratch.name}) …`);
    await copyDatabase(sqliteUrl, scratch.url);
    const client = new pg.Client({ connectionString: scratch.url });
    await client.connect();
    try {
      await client.query('VACUUM ANALYZE');
    } finally {
      await client.end();
    }
    return scratch;
  } catch (error) {
    await scratch.drop();
    throw error;
  }
}

/** Every page and download of the bench against a production server on `url`. */
async function measureServer(
  options: ScaleOptions,
  shape: keyof typeof SHAPES,
  store: ScaleStore,
  db: ScaleDb,
  url: string,
  dir: string,
  buildDbMs: number,
): Promise<ScaleResult> {
  options.log(`  ${shape} on ${store}:`);
  const port = await freePort();
  const server = await startServer(url, port);
  const base = `http://127.0.0.1:${port}`;
  try {
    const { bigSlug, threeSeries, sourceId } = db.probe;
    const measure = async (name: string, p: PathSource): Promise<ScaleRow> => {
      const first = nextPath(p);
      const size = await sizes(base, first);
      const l = await load(base, p, options.requests, server.pid);
      options.log(
        `  ${name}: ${size.status}, p50 ${l.p50} ms, p99 ${l.p99} ms, ${l.errors} errors, CPU ${cpu(l.cpuMs)}`,
      );
      return { name, path: first, ...size, ...l };
    };
    const floorPath = await staticScriptOf(base);
    const floor = floorPath ? await measure('floor: a static script', floorPath) : null;
    const rows: ScaleRow[] = [];
    for (const { name, path: p } of benchRequests(db, SHAPES[shape].wide.indicators))
      rows.push(await measure(name, p));
    const pageWeights = await pageWeightsOf(base, [
      '/',
      '/claims',
      `/indicators/${bigSlug}`,
      `/indicators/${bigSlug}?series=${threeSeries.join(',')}`,
      '/indicators/scale-wide-1',
      `/sources/${sourceId}`,
    ]);
    const pid = server.pid!;
    let largestProcessMB = 0;
    let phaseLargest = 0;
    const peak = () => {
      phaseLargest = Math.max(...peakRssEach(pid));
      largestProcessMB = Math.max(largestProcessMB, phaseLargest);
      return peakRssOf(pid);
    };
    const phases = { pages: peak(), export: 0, import: null as number | null };
    const largestIn = { pages: phaseLargest, export: 0, import: null as number | null };
    const perPhase = resetPeakRss(pid);
    if (!options.pagesOnly)
      options.log(
        `  the full CSV export through HTTP, beside ${store === 'sqlite' ? 'raw better-sqlite3' : 'COPY … TO STDOUT'} …`,
      );
    const exported = options.pagesOnly ? null : await exportRuns(store, base, url, dir);
    phases.export = peak();
    largestIn.export = phaseLargest;
    resetPeakRss(pid);
    let importWhileReading: ScaleResult['importWhileReading'] = null;
    if (options.importFile && !options.pagesOnly) {
      options.log('  importing 1M values through POST /api/imports while readers load …');
      // `meta` first, as the README advises: the server then parses the file as it arrives.
      const form = new FormData();
      form.set(
        'meta',
        JSON.stringify({
          indicator: {
            slug: 'scale-import',
            title: 'Scale import',
            unitLong: 'annual %',
            unitShort: '%',
          },
          kind: 'observed',
          unit: '%',
          createEntities: true,
          source: { title: 'Scale import', producer: 'Bench', url: 'https://example.org/i' },
        }),
      );
      form.set(
        'file',
        new Blob([fs.readFileSync(options.importFile)], { type: 'text/csv' }),
        'bench.csv',
      );
      const i0 = performance.now();
      const imported = fetch(`${base}/api/imports`, {
        method: 'POST',
        headers: { authorization: `Bearer ${TOKEN}`, origin: base },
        body: form,
      });
      const readerRun = autocannon({
        url: `${base}/indicators/${bigSlug}?series=${threeSeries.join(',')}`,
        connections: 10,
        duration: 60,
      });
      const res = await imported;
      const importMs = performance.now() - i0;
      (readerRun as unknown as { stop: () => void }).stop();
      const r = await readerRun;
      phases.import = peak();
      largestIn.import = phaseLargest;
      importWhileReading = {
        importMs,
        importStatus: res.status,
        readerP50: r.latency.p50,
        readerP99: r.latency.p99,
        readerErrors: r.errors + r.timeouts + r.non2xx,
        readerRequests: r.requests.total,
      };
    }
    return {
      shape,
      store,
      observations: db.observations,
      liveSeries: db.liveSeries,
      buildDbMs,
      rows,
      floor,
      pageWeights,
      peakRssMB: perPhase ? Math.max(phases.pages, phases.export, phases.import ?? 0) : peak(),
      largestProcessMB,
      phaseRssMB: perPhase ? phases : null,
      phaseLargestMB: perPhase ? largestIn : null,
      export: exported,
      importWhileReading,
    };
  } finally {
    server.kill();
    await new Promise((r) => server.once('exit', r));
  }
}

/** One of the scripts the overview loads, for the floor row. */
export async function staticScriptOf(base: string): Promise<string | null> {
  const html = await (await fetch(`${base}/`)).text();
  return /src="(\/_next\/static\/[^"]+\.js)"/.exec(html)?.[1] ?? null;
}

async function pageWeightsOf(base: string, paths: string[]): Promise<PageWeight[] | null> {
  try {
    return await measurePageWeights(base, paths);
  } catch (error) {
    console.error(`page weight not measured: ${(error as Error).message}`);
    return null;
  }
}

const kb = (n: number) => `${(n / 1024).toFixed(0)} KB`;
export const cpu = (ms: number | null) => (ms === null ? '–' : `${ms.toFixed(1)} ms`);

export function scaleMisses(results: ScaleResult[]): string[] {
  const misses: string[] = [];
  for (const r of results) {
    for (const row of r.rows) {
      const where = `${r.shape} ${r.store} ${row.name}`;
      if (row.status !== 200) misses.push(`${where}: status ${row.status}`);
      if (row.errors > 0) misses.push(`${where}: ${row.errors} errors under load`);
      if (row.p50 > SCALE_TARGETS.p50Ms) misses.push(`${where}: p50 ${row.p50} ms`);
      if (row.p99 > SCALE_TARGETS.p99Ms) misses.push(`${where}: p99 ${row.p99} ms`);
      const isDownload = row.path.endsWith('.csv');
      if (!isDownload && row.bytes > SCALE_TARGETS.maxBytes)
        misses.push(`${where}: ${kb(row.bytes)}`);
    }
    for (const w of r.pageWeights ?? [])
      if (w.gzipKB > PAGE_WEIGHT_BUDGET_KB)
        misses.push(`${r.shape} ${r.store} ${w.path}: ${w.gzipKB.toFixed(1)} KB of JavaScript`);
    if (r.largestProcessMB > SCALE_TARGETS.rssMB)
      misses.push(
        `${r.shape} ${r.store}: a server process's peak RSS ${r.largestProcessMB.toFixed(0)} MB`,
      );
    const iw = r.importWhileReading;
    if (iw && (iw.readerP99 > SCALE_TARGETS.p99Ms || iw.readerErrors > 0 || iw.importStatus >= 300))
      misses.push(
        `${r.shape} ${r.store}: during the import, reader p99 ${iw.readerP99} ms, ${iw.readerErrors} errors, import status ${iw.importStatus}`,
      );
  }
  return misses;
}

export function printScaleBench(results: ScaleResult[], print: (line: string) => void) {
  for (const r of results) {
    print('');
    print(
      `Scale: ${r.observations.toLocaleString('en-US')} observations, ${r.liveSeries.toLocaleString('en-US')} live series (${r.shape}) on ${r.store === 'sqlite' ? 'SQLite' : 'PostgreSQL'}; production server (${serverProcesses()}), 10 concurrent clients`,
    );
    print('| request | status | p50 | p99 | server CPU per request | requests | size | gzip |');
    print('|---|---|---|---|---|---|---|---|');
    for (const row of r.floor ? [r.floor, ...r.rows] : r.rows) {
      print(
        `| ${row.name} | ${row.status} | ${row.p50} ms | ${row.p99} ms | ${cpu(row.cpuMs)} | ${row.requests} | ${kb(row.bytes)} | ${kb(row.gzipBytes)} |`,
      );
    }
    if (r.pageWeights) {
      print(`JavaScript per page, gzip (budget ${PAGE_WEIGHT_BUDGET_KB} KB):`);
      for (const w of r.pageWeights)
        print(`  ${w.path}: ${w.gzipKB.toFixed(1)} KB in ${w.scripts} scripts`);
    }
    const e = r.export;
    if (e)
      print(
        `Full CSV export through HTTP (gzip accepted): ${(e.httpMs / 1000).toFixed(2)} s, ${(e.wireBytes / 1024 / 1024).toFixed(1)} MB sent; raw ${r.store === 'sqlite' ? 'better-sqlite3 to CSV' : 'COPY … TO STDOUT'}: ${(e.rawMs / 1000).toFixed(2)} s (${(e.rawBytes / 1024 / 1024).toFixed(1)} MB): ${e.ratio.toFixed(2)}× raw (target ≤ ${SCALE_TARGETS.exportRatio}×)`,
      );
    const phases = r.phaseRssMB;
    print(
      `Server peak RSS over the whole run: ${r.peakRssMB.toFixed(0)} MB` +
        (phases
          ? ` (pages ${phases.pages.toFixed(0)} MB, export ${phases.export.toFixed(0)} MB${phases.import === null ? '' : `, import ${phases.import.toFixed(0)} MB`})`
          : '') +
        (benchServers > 1
          ? `; the largest of the ${benchServers} processes ${r.largestProcessMB.toFixed(0)} MB` +
            (r.phaseLargestMB
              ? ` (pages ${r.phaseLargestMB.pages.toFixed(0)} MB, export ${r.phaseLargestMB.export.toFixed(0)} MB${r.phaseLargestMB.import === null ? '' : `, import ${r.phaseLargestMB.import.toFixed(0)} MB`})`
              : '')
          : ''),
    );
    const iw = r.importWhileReading;
    if (iw) {
      print(
        `During a 1M-value import through the API (${(iw.importMs / 1000).toFixed(1)} s, status ${iw.importStatus}): reader p50 ${iw.readerP50} ms, p99 ${iw.readerP99} ms, ${iw.readerErrors} errors in ${iw.readerRequests} requests`,
      );
    }
  }
  const misses = scaleMisses(results);
  print(misses.length ? `Missed: ${misses.join('; ')}` : 'Every scale target met.');
}
