// `npm run bench:claims`: the scorecard at scale, through HTTP from the production
// server, beside a raw better-sqlite3 baseline of the same lookups in the same run.
//
//   node --experimental-wasm-modules --import tsx scripts/bench/claims.ts
//     [--series 2000] [--per-series 500] [--requests 10] [--json]
//
// A fresh install (the article and the shipped outcomes) plus --series observed series of
// --per-series monthly values each (1,000,000 observations by default) spread over the
// claims' indicators and hundreds of entities, China among them with a long daily series
// of its own: what the scorecard must not read. Needs a production build (`npx next build`).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { openWriterConnection } from '../../lib/db/client';
import { periodWindow } from '../../lib/domain/claims';
import { freshInstall, mulberry32, syntheticCodes } from './lib';
import { SERVER_ENV, SERVER_NODE_FLAGS } from '../server-flags.mjs';
import { freePort, peakRssOf } from '../server-process';

const root = path.resolve(import.meta.dirname, '..', '..');
const nextBin = path.join(root, 'node_modules', 'next', 'dist', 'bin', 'next');

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}
const SERIES = arg('series', 2000);
const PER_SERIES = arg('per-series', 500);
const REQUESTS = arg('requests', 10);
const json = process.argv.includes('--json');
/** Keep the database (its path is printed) to look at it afterwards. */
const keep = process.argv.includes('--keep');
const log = (line: string) => {
  if (!json) console.log(line);
};

const INDICATORS = [
  'oil-consumption',
  'oil-production',
  'population-density',
  'land-area',
  'urban-population',
];

async function build(url: string) {
  await freshInstall(url);
  const db = openWriterConnection(url);
  const random = mulberry32(9);
  const entities = Math.ceil(SERIES / INDICATORS.length);
  const codes = syntheticCodes(entities + 10).filter(
    (c) => !['CHN', 'KAZ', 'FRA', 'WLD'].includes(c),
  );
  const at = new Date().toISOString().replace('Z', '+00:00');
  db.transaction(() => {
    const source = Number(
      db
        .prepare('INSERT INTO "Source" (title, publisher, url, "createdAt") VALUES (?, ?, ?, ?)')
        .run('Bench data', 'Sourced bench', 'https://example.org/bench', at).lastInsertRowid,
    );
    const indicatorId = (slug: string) =>
      (db.prepare('SELECT id FROM "Indicator" WHERE slug = ?').get(slug) as { id: number }).id;
    const entity = db.prepare('INSERT INTO "Entity" (code, name) VALUES (?, ?)');
    const series = db.prepare(
      'INSERT INTO "Series" ("indicatorId", "entityId", kind, label, "sourceId", "recordedAt") VALUES (?, ?, ?, ?, ?, ?)',
    );
    const obs = db.prepare(
      'INSERT INTO "Observation" ("seriesId", period, precision, value, revision, "recordedAt") VALUES (?, ?, ?, ?, 1, ?)',
    );
    const entityIds = codes
      .slice(0, entities)
      .map((c) => Number(entity.run(c, `Bench ${c}`).lastInsertRowid));
    let made = 0;
    for (const slug of INDICATORS) {
      const ind = indicatorId(slug);
      for (const e of entityIds) {
        if (made++ >= SERIES) break;
        const s = Number(series.run(ind, e, 'observed', `bench ${e}`, source, at).lastInsertRowid);
        for (let m = 0; m < PER_SERIES; m++) {
          const y = 1980 + Math.floor(m / 12);
          const period = `${y}-${String((m % 12) + 1).padStart(2, '0')}`;
          obs.run(s, period, 'month', Math.round(random() * 1e6) / 100, at);
        }
      }
    }
    // China: a daily consumption series of its own (the candidates near 2020 are ~1,100 of them).
    const chn = (db.prepare('SELECT id FROM "Entity" WHERE code = ?').get('CHN') as { id: number })
      .id;
    const daily = Number(
      series.run(indicatorId('oil-consumption'), chn, 'observed', 'bench daily', source, at)
        .lastInsertRowid,
    );
    for (let d = Date.UTC(1990, 0, 1); d < Date.UTC(2021, 0, 1); d += 86_400_000)
      obs.run(daily, new Date(d).toISOString().slice(0, 10), 'day', 600 + random() * 100, at);
  }).immediate();
  const total = (db.prepare('SELECT count(*) AS n FROM "Observation"').get() as { n: number }).n;
  const live = (
    db.prepare('SELECT count(*) AS n FROM "Series" WHERE "archivedAt" IS NULL').get() as {
      n: number;
    }
  ).n;
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  return { total, live };
}

/** The scorecard's reads, by hand: each claim's comparable series, then its window of values. */
function rawScorecard(file: string) {
  const db = new Database(file, { readonly: true });
  const claims = db
    .prepare(
      `SELECT s."indicatorId", s."entityId", o.period FROM "Series" s JOIN "Observation" o ON o."seriesId" = s.id
       WHERE s.kind IN ('projection', 'reported') AND s."archivedAt" IS NULL AND o."supersededAt" IS NULL`,
    )
    .all() as { indicatorId: number; entityId: number; period: string }[];
  const derivations = db.prepare('SELECT * FROM "Derivation"').all() as {
    indicatorId: number | null;
    entityId: number | null;
    aIndicatorId: number;
    aEntityId: number;
    bIndicatorId: number | null;
    bEntityId: number | null;
  }[];
  const series = db.prepare(
    `SELECT id FROM "Series" WHERE "indicatorId" = ? AND "entityId" = ? AND kind = 'observed' AND "archivedAt" IS NULL`,
  );
  const window = db.prepare(
    `SELECT period, value FROM "Observation" WHERE "seriesId" = ? AND "supersededAt" IS NULL AND period >= ? AND period < ?`,
  );
  const exact = db.prepare(
    `SELECT period, value FROM "Observation" WHERE "seriesId" = ? AND "supersededAt" IS NULL AND period = ?`,
  );
  // As the scorecard does: the target period itself, and the window only when it is missing.
  const read = (indicatorId: number, entityId: number, target: string) => {
    const ids = (series.all(indicatorId, entityId) as { id: number }[]).map((s) => s.id);
    let n = 0;
    for (const id of ids) n += exact.all(id, target).length;
    if (n > 0) return n;
    const w = periodWindow(target);
    for (const id of ids) n += window.all(id, w.from, w.to).length;
    return n;
  };
  const started = performance.now();
  let rows = 0;
  for (const c of claims) {
    rows += read(c.indicatorId, c.entityId, c.period);
    for (const d of derivations) {
      if (d.indicatorId !== c.indicatorId || d.entityId !== c.entityId) continue;
      rows += read(d.aIndicatorId, d.aEntityId, c.period);
      if (d.bIndicatorId !== null && d.bEntityId !== null)
        rows += read(d.bIndicatorId, d.bEntityId, c.period);
    }
  }
  const ms = performance.now() - started;
  db.close();
  return { ms, rows, claims: claims.length };
}

async function timeRequests(url: string) {
  const times: number[] = [];
  let bytes = 0;
  for (let i = 0; i < REQUESTS; i++) {
    const t = performance.now();
    const res = await fetch(url);
    const body = await res.arrayBuffer();
    if (!res.ok) throw new Error(`${url}: ${res.status}`);
    times.push(performance.now() - t);
    bytes = body.byteLength;
  }
  times.sort((a, b) => a - b);
  return {
    medianMs: Math.round(times[Math.floor(times.length / 2)]!),
    maxMs: Math.round(times.at(-1)!),
    kb: Math.round(bytes / 1024),
  };
}

async function main() {
  if (!fs.existsSync(path.join(root, '.next', 'BUILD_ID')))
    throw new Error('No production build: run `npx next build` first.');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sourced-bench-claims-'));
  const file = path.join(dir, 'bench.db');
  const url = `file:${file}`;
  const server: { pid?: number; kill?: () => void } = {};
  try {
    const t0 = performance.now();
    const size = await build(url);
    log(
      `Database: ${size.total.toLocaleString('en-US')} observations, ${size.live} live series (built in ${Math.round((performance.now() - t0) / 1000)} s)`,
    );
    const raw = rawScorecard(file);
    const port = await freePort();
    const child = spawn(
      process.execPath,
      [...SERVER_NODE_FLAGS, nextBin, 'start', '-p', String(port), '-H', '127.0.0.1'],
      {
        cwd: root,
        // Its own requests from the start: a warm-up (lib/web/warm-up.ts) would race them.
        env: {
          ...SERVER_ENV,
          ...process.env,
          DATABASE_URL: url,
          NEXT_TELEMETRY_DISABLED: '1',
          SOURCED_WARM_UP: '0',
        },
        stdio: 'ignore',
      },
    );
    server.pid = child.pid;
    server.kill = () => child.kill('SIGTERM');
    const base = `http://127.0.0.1:${port}`;
    for (let i = 0; ; i++) {
      try {
        if ((await fetch(`${base}/api/claims`)).ok) break;
      } catch {
        // not listening yet
      }
      if (i > 240) throw new Error('the server did not start');
      await new Promise((r) => setTimeout(r, 250));
    }
    const routes = [
      '/api/claims',
      '/claims',
      '/indicators/oil-consumption',
      '/indicators/rural-urban-migration',
      '/',
    ];
    const http: Record<string, Awaited<ReturnType<typeof timeRequests>>> = {};
    for (const r of routes) http[r] = await timeRequests(`${base}${r}`);
    const result = {
      observations: size.total,
      liveSeries: size.live,
      raw: { ms: Math.round(raw.ms * 10) / 10, rows: raw.rows, claims: raw.claims },
      http,
      serverPeakRssMB: Math.round(peakRssOf(child.pid!)),
    };
    if (json) console.log(JSON.stringify(result));
    else {
      log(
        `Raw baseline (better-sqlite3, the same window lookups for ${raw.claims} claims): ${result.raw.ms} ms, ${raw.rows} rows read`,
      );
      for (const [r, t] of Object.entries(http))
        log(`GET ${r}: median ${t.medianMs} ms, max ${t.maxMs} ms, ${t.kb} KB`);
      log(`Server peak RSS: ${result.serverPeakRssMB} MB`);
    }
  } finally {
    server.kill?.();
    await new Promise((r) => setTimeout(r, 500));
    if (keep) log(`Kept ${file}`);
    else fs.rmSync(dir, { recursive: true, force: true });
  }
}

await main();
