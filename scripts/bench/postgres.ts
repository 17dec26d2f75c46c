// The PostgreSQL part of `npm run bench` (scripts/bench/run.ts): the same 1M-value import
// and whole-database export as on SQLite, on a PostgreSQL server, each beside a raw
// baseline measured in the same run on the same server:
//
//   import: the real path (read the file → valuesFromFile → commitImport through the
//           PostgreSQL store) against a raw COPY of the same rows into "Observation";
//   export: the full-provenance export as the server streams it (the store's
//           fullExport → file) against a raw `COPY (SELECT …) TO STDOUT WITH CSV` of
//           the same rows, in the same order, with the columns the export is made of
//           (observation, series, indicator, entity and source columns, the quote,
//           unformatted) → file: what PostgreSQL itself takes to write the same data,
//           a file of the same order of size. Beside it, for reference, the old
//           narrower baseline: 5 columns of every observation row (a third of the bytes).
//
// With a production build (`npm run build`), the export is also downloaded through HTTP
// from `next start` on the same database (GET /api/export.csv, as a user fetches it),
// in the same alternating rounds.
//
// The server comes from --postgres <url> or TEST_DATABASE (scratch databases are
// created on it and dropped after). Without one, the part is skipped with a note.
// The export database is the SQLite export bench's, moved up with db:copy, so the
// check that both stores export the same bytes comes for free.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import pg from 'pg';
import copyStreams from 'pg-copy-streams';
import { pipeline } from 'node:stream/promises';
import { createPrismaClient } from '../../lib/db/client';
import { applyMigrations } from '../../lib/db/migrate';
import { seedArticle } from '../../lib/article/seed';
import { openStore } from '../../lib/store';
import { copyDatabase } from '../../lib/store/copy';
import { createScratchDatabase } from '../../lib/store/postgres-admin';
import { importMetaSchema } from '../../lib/schemas';
import { FULL_CSV_HEADER } from '../../lib/export/full-export';
import { fullExportStream } from '../../lib/export/full-export-stream';
import { EXPORT_TARGET_RATIO, FileSink, prepareExportDb, scanCsv } from './export';
import { SERVER_ENV, SERVER_NODE_FLAGS } from '../server-flags.mjs';
import {
  BENCH_META,
  checkImportRuns,
  entityName,
  FIRST_YEAR,
  generateCells,
  importFile,
  peakRssMB,
  rowsFor,
  storedCounts,
  syntheticCodes,
  writeBenchFiles,
  YEARS,
  type ImportRuns,
  type ImportStepName,
} from './lib';

export const PG_IMPORT_TARGET_RATIO = 2;
export const PG_EXPORT_TARGET_RATIO = EXPORT_TARGET_RATIO;

export type PostgresBenchResult = {
  server: string;
  import: {
    values: number;
    parseMs: number;
    commitMs: number;
    totalMs: number;
    identicalMs: number;
    revisedMs: number;
    rawCopyMs: number;
    rawSetupMs: number;
    ratio: number;
    peakRssMB: number;
  };
  export: {
    rows: number;
    fullMs: number;
    bytes: number;
    /** The same rows and columns as PostgreSQL's own CSV (the target's baseline). */
    rawCopyMs: number;
    rawRows: number;
    rawBytes: number;
    ratio: number;
    /** 5 columns of every observation row, for reference. */
    narrowCopyMs: number;
    narrowBytes: number;
    narrowRatio: number;
    /** GET /api/export.csv from `next start` (null without a production build). */
    httpMs: number | null;
    httpRatio: number | null;
    sameAsSqlite: boolean;
  };
  targets: { importRatio: number; exportRatio: number };
  pass: { importRatio: boolean; exportRatio: boolean; correct: boolean; all: boolean };
  problems: string[];
};

async function preparePostgres(serverUrl: string, name: string) {
  const db = await createScratchDatabase(serverUrl, `sourced_bench_${name}`);
  await applyMigrations(db.url);
  const prisma = createPrismaClient(db.url);
  try {
    await seedArticle(prisma);
  } finally {
    await prisma.$disconnect();
  }
  return db;
}

/** The raw baseline: the file's rows (built in memory, not timed) COPYed into the table. */
async function rawCopyImport(url: string, requestedValues: number) {
  const rowCount = rowsFor(requestedValues);
  const codes = syntheticCodes(rowCount);
  const lines: string[] = [];
  const at = new Date().toISOString().replace('T', ' ').replace('Z', '');
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const t0 = performance.now();
    const meta = importMetaSchema.parse(BENCH_META);
    const ind = meta.indicator as Exclude<typeof meta.indicator, string>;
    await client.query('BEGIN');
    const source = await client.query<{ id: number }>(
      'INSERT INTO "Source" (title, publisher, url, "createdAt") VALUES ($1, $2, $3, $4) RETURNING id',
      [meta.source.title, meta.source.producer, meta.source.url ?? null, at],
    );
    const indicator = await client.query<{ id: number }>(
      'INSERT INTO "Indicator" (slug, title, description, "unitLong", "unitShort", decimals, "createdAt") VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id',
      [ind.slug, ind.title, '', ind.unitLong, ind.unitShort, ind.decimals, at],
    );
    await client.query(
      'INSERT INTO "Entity" (code, name) SELECT * FROM unnest($1::text[], $2::text[]) ON CONFLICT (code) DO NOTHING',
      [codes, codes.map(entityName)],
    );
    const series = await client.query<{ id: number; code: string }>(
      `INSERT INTO "Series" ("indicatorId", "entityId", kind, label, "sourceId", "recordedAt")
       SELECT $1, e.id, $2, 'bench ' || e.code, $3, $4 FROM "Entity" e WHERE e.code = ANY($5::text[])
       RETURNING id, (SELECT code FROM "Entity" WHERE id = "entityId")`,
      [indicator.rows[0]!.id, meta.kind, source.rows[0]!.id, at, codes],
    );
    await client.query('COMMIT');
    const setupMs = performance.now() - t0;
    const seriesOf = new Map(series.rows.map((r) => [r.code, r.id]));
    const periods = Array.from({ length: YEARS }, (_, i) => String(FIRST_YEAR + i));
    let batch = '';
    for (const c of generateCells(rowCount)) {
      if (c.base === null) continue;
      batch += `${seriesOf.get(codes[c.row]!)}\t${periods[c.year]}\tyear\t${Number(c.base)}\t1\t${at}\n`;
      if (batch.length > 1 << 20) {
        lines.push(batch);
        batch = '';
      }
    }
    if (batch) lines.push(batch);

    const t1 = performance.now();
    await client.query('BEGIN');
    const stream = client.query(
      copyStreams.from(
        'COPY "Observation" ("seriesId", period, precision, value, revision, "recordedAt") FROM STDIN',
      ),
    );
    await pipeline(
      (async function* () {
        yield* lines;
      })(),
      stream,
    );
    await client.query('COMMIT');
    const copyMs = performance.now() - t1;
    return { setupMs, copyMs };
  } finally {
    await client.end();
  }
}

/** The raw baseline: the export's rows and raw columns, as PostgreSQL's own CSV. */
export const RAW_EXPORT_SQL = `SELECT i.slug, e.name, e.code, o.period, o.value,
       COALESCE(s.unit, i."unitLong") AS unit, s.kind, s.label, src.publisher, src.title,
       src.volume, src.issue, src."publishedOn", src.url, src.citation, src."accessedOn",
       q.text AS quote, q."citedOutlet", o."recordedAt", o.revision
FROM "Observation" o
JOIN "Series" s ON s.id = o."seriesId"
JOIN "Indicator" i ON i.id = s."indicatorId"
JOIN "Entity" e ON e.id = s."entityId"
JOIN "Source" src ON src.id = s."sourceId"
LEFT JOIN "Quote" q ON q.id = o."quoteId"
WHERE o."supersededAt" IS NULL AND s."archivedAt" IS NULL
ORDER BY o."seriesId", o.period`;

/** The narrower baseline the target was first measured against: 5 columns, every row. */
export const NARROW_EXPORT_SQL =
  'SELECT "seriesId", period, value, revision, "recordedAt" FROM "Observation"';

/** `COPY (sql) TO STDOUT WITH CSV HEADER` into a file; milliseconds. */
export async function rawCopyExport(url: string, out: string, sql = RAW_EXPORT_SQL) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const t0 = performance.now();
    await pipeline(
      client.query(copyStreams.to(`COPY (${sql}) TO STDOUT WITH CSV HEADER`)),
      fs.createWriteStream(out),
    );
    return performance.now() - t0;
  } finally {
    await client.end();
  }
}

const root = path.resolve(import.meta.dirname, '..', '..');

/** `next start` on `url`, once it answers; null without a production build. */
async function productionServer(
  url: string,
): Promise<{ base: string; server: ChildProcess } | null> {
  if (!fs.existsSync(path.join(root, '.next', 'BUILD_ID'))) return null;
  const port = await new Promise<number>((resolve, reject) => {
    const probe = net.createServer();
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
    probe.on('error', reject);
  });
  const next = path.join(root, 'node_modules', 'next', 'dist', 'bin', 'next');
  const server = spawn(
    process.execPath,
    [...SERVER_NODE_FLAGS, next, 'start', '-p', String(port), '-H', '127.0.0.1'],
    {
      cwd: root,
      env: {
        ...SERVER_ENV,
        ...process.env,
        DATABASE_URL: url,
        SOURCED_EDITOR_TOKEN: 'bench-postgres-editor-token-0123456789',
        NEXT_TELEMETRY_DISABLED: '1',
        // Its own requests from the start: a warm-up (lib/web/warm-up.ts) would race them.
        SOURCED_WARM_UP: '0',
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  const base = `http://127.0.0.1:${port}`;
  for (const deadline = Date.now() + 60_000; Date.now() < deadline;) {
    if (server.exitCode !== null) throw new Error(`next start exited with ${server.exitCode}`);
    try {
      if ((await fetch(`${base}/api/indicators`)).ok) return { base, server };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  server.kill();
  throw new Error('next start did not answer within 60 s');
}

/** A download to a file, to its last byte (no compression asked for, as curl does). */
function download(url: string, out: string): Promise<number> {
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    http
      .get(url, (res) => {
        if (res.statusCode !== 200) reject(new Error(`${url}: ${res.statusCode}`));
        pipeline(res, fs.createWriteStream(out)).then(
          () => resolve(performance.now() - t0),
          reject,
        );
      })
      .on('error', reject);
  });
}

export async function fullExport(url: string, out: string): Promise<number> {
  const store = openStore(url);
  const sink = new FileSink(out);
  const t0 = performance.now();
  try {
    for await (const chunk of fullExportStream(store, undefined, { bom: true }))
      sink.writeBytes(chunk);
  } finally {
    sink.close();
    await store.close();
  }
  return performance.now() - t0;
}

export async function runPostgresBench(options: {
  server: string;
  values: number;
  dir: string;
  log: (line: string) => void;
}): Promise<PostgresBenchResult> {
  const { server, values, dir, log } = options;
  const problems: string[] = [];
  const drops: (() => Promise<void>)[] = [];
  try {
    // Import.
    log(`PostgreSQL import bench: ${values.toLocaleString('en-US')} values …`);
    const files = writeBenchFiles(dir, values);
    const importDb = await preparePostgres(server, 'import');
    drops.push(importDb.drop);
    const rawDb = await preparePostgres(server, 'raw');
    drops.push(rawDb.drop);
    const runs = {} as ImportRuns;
    for (const [step, file] of [
      ['first', files.base],
      ['identical', files.base],
      ['revised', files.revised],
    ] as [ImportStepName, string][]) {
      log(`  import path run: ${step} …`);
      const result = await importFile(importDb.url, file);
      runs[step] = {
        phase: 'import',
        step,
        rssAtStartMB: 0,
        result,
        after: await storedCounts(importDb.url),
      };
    }
    problems.push(
      ...checkImportRuns(runs, { values: files.values, changed: files.changed }).map(
        (p) => `PostgreSQL import: ${p}`,
      ),
    );
    log('  raw COPY …');
    const raw = await rawCopyImport(rawDb.url, values);
    const rawCounts = await storedCounts(rawDb.url);
    if (rawCounts.rows !== files.values)
      problems.push(`PostgreSQL raw COPY: ${rawCounts.rows} rows, expected ${files.values}`);
    fs.rmSync(files.base, { force: true });
    fs.rmSync(files.revised, { force: true });
    await Promise.all(drops.splice(0).map((d) => d()));

    // Export: the SQLite export bench's database, moved up.
    log(`PostgreSQL export bench: ${values.toLocaleString('en-US')} observations …`);
    const sqlite = await prepareExportDb(path.join(dir, 'export-pg.db'), values);
    const exportDb = await createScratchDatabase(server, 'sourced_bench_export');
    drops.push(exportDb.drop);
    await copyDatabase(sqlite.url, exportDb.url);
    const vacuum = new pg.Client({ connectionString: exportDb.url });
    await vacuum.connect();
    await vacuum.query('VACUUM ANALYZE');
    await vacuum.end();
    const rawOut = path.join(dir, 'export-pg-raw.csv');
    const narrowOut = path.join(dir, 'export-pg-narrow.csv');
    const fullOut = path.join(dir, 'export-pg-full.csv');
    const httpOut = path.join(dir, 'export-pg-http.csv');
    const web = await productionServer(exportDb.url);
    if (!web) log('  (no production build: the download through HTTP is left out)');
    // Alternating, best of three each: other work on the host moves single runs a lot.
    const rawMs: number[] = [];
    const narrowMs: number[] = [];
    const fullMs: number[] = [];
    const httpMs: number[] = [];
    try {
      for (let round = 0; round < 3; round++) {
        log(`  raw COPY TO (same rows and columns), run ${round + 1} of 3 …`);
        rawMs.push(await rawCopyExport(exportDb.url, rawOut));
        log(`  raw COPY TO (5 columns), run ${round + 1} of 3 …`);
        narrowMs.push(await rawCopyExport(exportDb.url, narrowOut, NARROW_EXPORT_SQL));
        log(`  full-provenance export, run ${round + 1} of 3 …`);
        fullMs.push(await fullExport(exportDb.url, fullOut));
        if (web) {
          log(`  GET /api/export.csv, run ${round + 1} of 3 …`);
          httpMs.push(await download(`${web.base}/api/export.csv`, httpOut));
        }
      }
    } finally {
      web?.server.kill();
    }
    if (web && !fs.readFileSync(httpOut).equals(fs.readFileSync(fullOut)))
      problems.push('GET /api/export.csv differs from the store export');
    const rawRows = scanCsv(rawOut, '', 0).records;
    if (rawRows !== sqlite.values + sqlite.otherCurrentRows)
      problems.push(`PostgreSQL raw export: ${rawRows} rows, expected as many as the export's`);
    // The same bytes as the SQLite store's export of the same data.
    const sqliteOut = path.join(dir, 'export-sqlite-full.csv');
    await fullExport(sqlite.url, sqliteOut);
    const sameAsSqlite = fs.readFileSync(sqliteOut).equals(fs.readFileSync(fullOut));
    if (!sameAsSqlite)
      problems.push('PostgreSQL full export differs from the SQLite export of the same data');
    const header = fs.readFileSync(fullOut, 'utf8').slice(0, 300).split('\r\n')[0]!;
    if (!header.endsWith(FULL_CSV_HEADER.join(',')))
      problems.push(`PostgreSQL full export header: ${header}`);
    const bytes = fs.statSync(fullOut).size;
    const rawBytes = fs.statSync(rawOut).size;
    const narrowBytes = fs.statSync(narrowOut).size;
    for (const f of [rawOut, narrowOut, fullOut, httpOut, sqliteOut]) fs.rmSync(f, { force: true });

    const first = runs.first.result;
    const importRatio = first.totalMs / raw.copyMs;
    const exportRatio = Math.min(...fullMs) / Math.min(...rawMs);
    const narrowRatio = Math.min(...fullMs) / Math.min(...narrowMs);
    const pass = {
      importRatio: importRatio <= PG_IMPORT_TARGET_RATIO,
      exportRatio: exportRatio <= PG_EXPORT_TARGET_RATIO,
      correct: problems.length === 0,
      all: false,
    };
    pass.all = pass.importRatio && pass.exportRatio && pass.correct;
    return {
      server: server.replace(/\/\/([^:@/]+):[^@]*@/, '//$1:***@'),
      import: {
        values: files.values,
        parseMs: first.parseMs,
        commitMs: first.commitMs,
        totalMs: first.totalMs,
        identicalMs: runs.identical.result.totalMs,
        revisedMs: runs.revised.result.totalMs,
        rawCopyMs: raw.copyMs,
        rawSetupMs: raw.setupMs,
        ratio: importRatio,
        peakRssMB: peakRssMB(),
      },
      export: {
        rows: sqlite.values + sqlite.otherCurrentRows,
        fullMs: Math.min(...fullMs),
        bytes,
        rawCopyMs: Math.min(...rawMs),
        rawRows,
        rawBytes,
        ratio: exportRatio,
        narrowCopyMs: Math.min(...narrowMs),
        narrowBytes,
        narrowRatio,
        httpMs: httpMs.length ? Math.min(...httpMs) : null,
        httpRatio: httpMs.length ? Math.min(...httpMs) / Math.min(...rawMs) : null,
        sameAsSqlite,
      },
      targets: { importRatio: PG_IMPORT_TARGET_RATIO, exportRatio: PG_EXPORT_TARGET_RATIO },
      pass,
      problems,
    };
  } finally {
    await Promise.all(drops.map((d) => d()));
  }
}

export function printPostgresBench(r: PostgresBenchResult, print: (line: string) => void) {
  const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  const mark = (ok: boolean) => (ok ? 'PASS' : 'MISS');
  print(`PostgreSQL (${r.server})`);
  print(
    `Import of ${r.import.values.toLocaleString('en-US')} values (a generated World Bank file)`,
  );
  print(
    `  import path        ${s(r.import.totalMs)}  (parse ${s(r.import.parseMs)}, plan + COPY ${s(r.import.commitMs)})`,
  );
  print(`  identical again    ${s(r.import.identicalMs)}`);
  print(`  revised (1%)       ${s(r.import.revisedMs)}`);
  print(
    `  raw COPY           ${s(r.import.rawCopyMs)}  (series rows first: ${s(r.import.rawSetupMs)})`,
  );
  print(
    `  ratio import/raw   ${r.import.ratio.toFixed(2)}×   (target ≤ ${r.targets.importRatio}×)   ${mark(r.pass.importRatio)}`,
  );
  const mb = (bytes: number) => `${(bytes / 1e6).toFixed(0)} MB`;
  print(`Export of ${r.export.rows.toLocaleString('en-US')} observations, full provenance`);
  print(`  full export        ${s(r.export.fullMs)}  (${mb(r.export.bytes)})`);
  print(
    `  raw COPY TO CSV    ${s(r.export.rawCopyMs)}  (same ${r.export.rawRows.toLocaleString('en-US')} rows, their raw columns: ${mb(r.export.rawBytes)})`,
  );
  print(
    `  ratio export/raw   ${r.export.ratio.toFixed(2)}×   (target ≤ ${r.targets.exportRatio}×)   ${mark(r.pass.exportRatio)}`,
  );
  if (r.export.httpMs !== null && r.export.httpRatio !== null)
    print(
      `  GET /api/export.csv ${s(r.export.httpMs)}  (next start, same bytes)   ratio to raw ${r.export.httpRatio.toFixed(2)}×`,
    );
  print(
    `  for reference: raw COPY of 5 columns ${s(r.export.narrowCopyMs)} (${mb(r.export.narrowBytes)}), ratio ${r.export.narrowRatio.toFixed(2)}×`,
  );
  print(`  same bytes as the SQLite export: ${r.export.sameAsSqlite ? 'yes' : 'NO'}`);
  print(
    `correctness         ${r.problems.length === 0 ? 'PASS' : `FAIL\n  ${r.problems.join('\n  ')}`}`,
  );
}
