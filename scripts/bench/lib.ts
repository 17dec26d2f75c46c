// The pieces of `npm run bench` (scripts/bench/run.ts), exported so the smoke test
// (tests/bench/bench-smoke.test.ts) runs the same code on a small file.
//
// A bench compares the real import path (parse → validate → plan → write, in
// lib/import) with the fastest thing better-sqlite3 can do with the same rows: one
// prepared INSERT per row inside one transaction, into the same Observation table.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createPrismaClient, openWriterConnection } from '../../lib/db/client';
import { WORLD_BANK_AGGREGATE_CODES } from '../../lib/formats';
import { commitImport, type ImportReport } from '../../lib/import/import-data';
import { openStore } from '../../lib/store';
import { databaseProvider } from '../../lib/db/env';
import pg from 'pg';
import { valuesFromFile } from '../../lib/import/sources';
import { applyMigrations } from '../../lib/db/migrate';
import { importMetaSchema, type ImportMetaInput } from '../../lib/schemas';
import { seedArticle } from '../../lib/article/seed';
import { seedOutcomes } from '../../lib/article/seed-outcomes';
import { sqliteTimestamp } from '../../lib/db/timestamp';

export const FIRST_YEAR = 1960;
export const LAST_YEAR = 2023;
export const YEARS = LAST_YEAR - FIRST_YEAR + 1;
export const MISSING_RATE = 0.02;
export const CHANGE_RATE = 0.01;
const SEED = 20240628;

export const BENCH_META: ImportMetaInput = {
  indicator: { slug: 'bench-indicator', title: 'Bench', unitLong: 'annual %', unitShort: '%' },
  kind: 'observed',
  unit: '%',
  createEntities: true,
  source: { title: 'Bench WDI', producer: 'World Bank', url: 'https://example.org/bench' },
};

const MB = 1024 * 1024;

/** Resident set size of this process now, in MB. */
export function rssMB(): number {
  return process.memoryUsage().rss / MB;
}

/**
 * Runs `script` (a TypeScript file) in a child process, as `npm run bench` runs itself,
 * and parses the last line of its stdout as JSON. Each bench phase runs this way so
 * that its peak RSS (process.resourceUsage().maxRSS) is its own.
 */
export function spawnScript<T>(script: string, args: string[]): T {
  const child = spawnSync(
    process.execPath,
    [
      '--experimental-wasm-modules',
      '--disable-warning=ExperimentalWarning',
      '--import',
      'tsx',
      script,
      ...args,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
  );
  if (child.status !== 0) {
    throw new Error(
      `bench phase ${path.basename(script)} ${args.join(' ')} failed (${child.signal ?? `exit ${child.status}`})`,
    );
  }
  const last = child.stdout.trim().split('\n').pop() ?? '';
  return JSON.parse(last) as T;
}

/** Peak resident set size of this process so far, in MB (maxRSS is in KB). */
export function peakRssMB(): number {
  return process.resourceUsage().maxRSS / 1024;
}

/** A small deterministic PRNG (the generated files and databases are the same every run). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Three-letter codes AAA, AAB, … that are not World Bank aggregates (those are skipped on import). */
export function syntheticCodes(count: number): string[] {
  const A = 'A'.charCodeAt(0);
  const codes: string[] = [];
  for (let i = 0; codes.length < count; i++) {
    if (i >= 26 ** 3) throw new Error(`at most ${codes.length} synthetic entity codes exist`);
    const code = String.fromCharCode(
      A + Math.floor(i / 676),
      A + (Math.floor(i / 26) % 26),
      A + (i % 26),
    );
    if (!WORLD_BANK_AGGREGATE_CODES.has(code)) codes.push(code);
  }
  return codes;
}

/** How the World Bank writes a number: up to 15 significant digits, shortest form. */
function formatValue(x: number): string {
  return String(Number(x.toPrecision(15)));
}

export type Cell = { row: number; year: number; base: string | null; revised: string | null };

/**
 * Every cell of the generated file, row by row and year by year: `base` is the text of
 * the first file's cell ('' when missing, about MISSING_RATE of them) and `revised` the
 * second file's, which differs for about CHANGE_RATE of the present values. Deterministic.
 */
export function* generateCells(rows: number): Generator<Cell> {
  const rand = mulberry32(SEED);
  for (let row = 0; row < rows; row++) {
    for (let year = 0; year < YEARS; year++) {
      const missing = rand() < MISSING_RATE;
      const x = rand() * 8 - 2;
      const change = rand() < CHANGE_RATE;
      if (missing) {
        yield { row, year, base: null, revised: null };
        continue;
      }
      const v = Math.abs(x) < 1e-6 ? 0.5 : x;
      const base = formatValue(v);
      yield { row, year, base, revised: change ? formatValue(v + 1.25) : base };
    }
  }
}

export type BenchFiles = {
  dir: string;
  base: string;
  revised: string;
  rows: number;
  cells: number;
  /** Non-missing values in either file. */
  values: number;
  /** Values that differ between the two files. */
  changed: number;
  bytes: number;
};

/** Rows of 64 years enough to hold `values` cells. */
export function rowsFor(values: number): number {
  return Math.max(1, Math.ceil(values / YEARS));
}

export function entityName(code: string): string {
  return `Benchland ${code}`;
}

/** Writes the two World Bank API-format CSVs (as downloaded: BOM, preamble, quoted fields, trailing commas). */
export function writeBenchFiles(dir: string, requestedValues: number): BenchFiles {
  const rows = rowsFor(requestedValues);
  const codes = syntheticCodes(rows);
  const base = path.join(dir, 'API_BENCH.IND_DS2_en_csv_v2_bench.csv');
  const revised = path.join(dir, 'API_BENCH.IND_DS2_en_csv_v2_bench-revised.csv');
  const years = Array.from({ length: YEARS }, (_, i) => `"${FIRST_YEAR + i}",`).join('');
  const head =
    '\uFEFF"Data Source","World Development Indicators",\n\n' +
    '"Last Updated Date","2024-06-28",\n\n' +
    `"Country Name","Country Code","Indicator Name","Indicator Code",${years}\n`;
  const fdBase = fs.openSync(base, 'w');
  const fdRevised = fs.openSync(revised, 'w');
  let values = 0;
  let changed = 0;
  try {
    fs.writeSync(fdBase, head);
    fs.writeSync(fdRevised, head);
    let bufBase: string[] = [];
    let bufRevised: string[] = [];
    let lineBase = '';
    let lineRevised = '';
    const flush = () => {
      fs.writeSync(fdBase, bufBase.join(''));
      fs.writeSync(fdRevised, bufRevised.join(''));
      bufBase = [];
      bufRevised = [];
    };
    for (const c of generateCells(rows)) {
      if (c.year === 0) {
        const code = codes[c.row]!;
        lineBase =
          lineRevised = `"${entityName(code)}","${code}","Bench indicator (annual %)","BENCH.IND",`;
      }
      lineBase += `"${c.base ?? ''}",`;
      lineRevised += `"${c.revised ?? ''}",`;
      if (c.base !== null) values++;
      if (c.base !== c.revised) changed++;
      if (c.year === YEARS - 1) {
        bufBase.push(lineBase, '\n');
        bufRevised.push(lineRevised, '\n');
        if (bufBase.length >= 2000) flush();
      }
    }
    flush();
  } finally {
    fs.closeSync(fdBase);
    fs.closeSync(fdRevised);
  }
  return {
    dir,
    base,
    revised,
    rows,
    cells: rows * YEARS,
    values,
    changed,
    bytes: fs.statSync(base).size,
  };
}

/** The install `npm start` makes on an empty database: the article, then its outcomes. */
export async function freshInstall(url: string): Promise<string> {
  await prepareDb(url.replace(/^file:/, ''));
  const store = openStore(url);
  try {
    await seedOutcomes(store);
  } finally {
    await store.close();
  }
  return url;
}

/** A migrated database with the founding article loaded (the outcomes left out). */
export async function prepareDb(file: string): Promise<string> {
  const url = `file:${file}`;
  await applyMigrations(url);
  const prisma = createPrismaClient(url);
  try {
    await seedArticle(prisma);
  } finally {
    await prisma.$disconnect();
  }
  return url;
}

export type ImportStep = {
  /** Reading the file and valuesFromFile (parse and per-cell checks). */
  parseMs: number;
  /** importMetaSchema.parse, opening the writer and commitImport (plan and write in one transaction). */
  commitMs: number;
  totalMs: number;
  ok: boolean;
  errors: string[];
  counts: ImportReport['counts'];
  valuesRead: number;
  /** Peak RSS of the process after this step (monotonic: includes the steps before). */
  peakRssMB: number;
};

/** One run of the real import path, timed: read → valuesFromFile → meta → commitImport. */
export async function importFile(url: string, file: string): Promise<ImportStep> {
  const t0 = performance.now();
  const bytes = fs.readFileSync(file);
  let meta = importMetaSchema.parse(BENCH_META);
  const values = valuesFromFile(bytes, meta);
  const t1 = performance.now();
  meta = importMetaSchema.parse(BENCH_META);
  const db = openStore(url);
  let report: ImportReport;
  try {
    report = await commitImport(db, meta, values);
  } finally {
    await db.close();
  }
  const t2 = performance.now();
  return {
    parseMs: t1 - t0,
    commitMs: t2 - t1,
    totalMs: t2 - t0,
    ok: report.ok,
    errors: report.errors.slice(0, 5).map((e) => `row ${e.row} ${e.column}: ${e.reason}`),
    counts: report.counts,
    valuesRead: report.valuesRead,
    peakRssMB: peakRssMB(),
  };
}

export type StoredCounts = { rows: number; current: number; superseded: number; sum: number };

const STORED_COUNTS_SQL = `SELECT COUNT(*) AS rows,
                COALESCE(SUM(CASE WHEN o."supersededAt" IS NULL THEN 1 ELSE 0 END), 0) AS current,
                COALESCE(SUM(CASE WHEN o."supersededAt" IS NOT NULL THEN 1 ELSE 0 END), 0) AS superseded,
                COALESCE(SUM(CASE WHEN o."supersededAt" IS NULL THEN o.value END), 0) AS sum
           FROM "Observation" o JOIN "Series" s ON s.id = o."seriesId"
           JOIN "Indicator" i ON i.id = s."indicatorId" WHERE i.slug = `;

/** What the bench indicator holds: all observation rows, current ones, superseded ones, sum of current values. */
export async function storedCounts(url: string): Promise<StoredCounts> {
  return storedCountsOf(url, (BENCH_META.indicator as { slug: string }).slug);
}

/** The same for any indicator. */
export async function storedCountsOf(url: string, slug: string): Promise<StoredCounts> {
  if (databaseProvider(url) === 'postgresql') {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const { rows } = await client.query(`${STORED_COUNTS_SQL}$1`, [slug]);
      const r = rows[0] as Record<keyof StoredCounts, string>;
      return {
        rows: Number(r.rows),
        current: Number(r.current),
        superseded: Number(r.superseded),
        sum: Number(r.sum),
      };
    } finally {
      await client.end();
    }
  }
  const db = openWriterConnection(url);
  try {
    return db.prepare(`${STORED_COUNTS_SQL}?`).get(slug) as StoredCounts;
  } finally {
    db.close();
  }
}

export type ImportStepName = 'first' | 'identical' | 'revised';

export type ImportPhase = {
  phase: 'import';
  step: ImportStepName;
  rssAtStartMB: number;
  result: ImportStep;
  after: StoredCounts;
};

/**
 * One import into the database and what it then holds. The bench runs three, each in
 * a process of its own so each peak RSS is its own: the generated file, the same file
 * again (all unchanged), then the revised file (about 1% changed).
 */
export async function runImportPhase(
  url: string,
  file: string,
  step: ImportStepName,
): Promise<ImportPhase> {
  const rssAtStartMB = rssMB();
  const result = await importFile(url, file);
  return { phase: 'import', step, rssAtStartMB, result, after: await storedCounts(url) };
}

export type ImportRuns = Record<ImportStepName, ImportPhase>;

export type RawPhase = {
  phase: 'raw';
  rssAtStartMB: number;
  /** Building the rows in memory from the generator (not timed against the import). */
  generateMs: number;
  /** Source, Indicator, Entity and Series rows the observations point to (not in insertMs). */
  setupMs: number;
  /** One transaction of prepared INSERTs into "Observation", commit included. */
  insertMs: number;
  rows: number;
  sum: number;
  peakRssMB: number;
};

/**
 * The baseline: the same observation rows inserted with better-sqlite3 alone, one
 * prepared statement run per row in one immediate transaction. Series rows are
 * created first and timed separately (setupMs).
 */
export function runRawPhase(url: string, requestedValues: number): RawPhase {
  const rssAtStartMB = rssMB();
  const t0 = performance.now();
  const rowCount = rowsFor(requestedValues);
  const codes = syntheticCodes(rowCount);
  const cap = rowCount * YEARS;
  const seriesOf = new Int32Array(cap);
  const yearOf = new Uint8Array(cap);
  const valueOf = new Float64Array(cap);
  let n = 0;
  for (const c of generateCells(rowCount)) {
    if (c.base === null) continue;
    seriesOf[n] = c.row;
    yearOf[n] = c.year;
    valueOf[n] = Number(c.base);
    n++;
  }
  const periods = Array.from({ length: YEARS }, (_, i) => String(FIRST_YEAR + i));
  const t1 = performance.now();

  const db = openWriterConnection(url);
  try {
    const at = sqliteTimestamp(new Date());
    const meta = importMetaSchema.parse(BENCH_META);
    const ind = meta.indicator as Exclude<typeof meta.indicator, string>;
    const seriesIds = new Int32Array(rowCount);
    db.transaction(() => {
      const sourceId = db
        .prepare(
          'INSERT INTO "Source" (title, publisher, url, "createdAt") VALUES (?, ?, ?, ?) RETURNING id',
        )
        .pluck()
        .get(meta.source.title, meta.source.producer, meta.source.url ?? null, at) as number;
      const indicatorId = db
        .prepare(
          'INSERT INTO "Indicator" (slug, title, description, "unitLong", "unitShort", decimals, "createdAt") VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id',
        )
        .pluck()
        .get(ind.slug, ind.title, '', ind.unitLong, ind.unitShort, ind.decimals, at) as number;
      // The founding article may already have some of the codes.
      const insertEntity = db.prepare(
        'INSERT INTO "Entity" (code, name) VALUES (?, ?) ON CONFLICT (code) DO NOTHING',
      );
      const entityId = db.prepare('SELECT id FROM "Entity" WHERE code = ?').pluck();
      const insertSeries = db.prepare(
        'INSERT INTO "Series" ("indicatorId", "entityId", kind, label, "sourceId", "recordedAt") VALUES (?, ?, ?, ?, ?, ?)',
      );
      codes.forEach((code, i) => {
        insertEntity.run(code, entityName(code));
        const eid = entityId.get(code) as number;
        seriesIds[i] = Number(
          insertSeries.run(indicatorId, eid, meta.kind, `bench ${code}`, sourceId, at)
            .lastInsertRowid,
        );
      });
    }).immediate();
    const t2 = performance.now();

    const insert = db.prepare(
      'INSERT INTO "Observation" ("seriesId", period, precision, value, revision, "recordedAt") VALUES (?,?,?,?,?,?)',
    );
    db.transaction(() => {
      for (let i = 0; i < n; i++)
        insert.run(seriesIds[seriesOf[i]!]!, periods[yearOf[i]!]!, 'year', valueOf[i]!, 1, at);
    }).immediate();
    const t3 = performance.now();

    const check = db
      .prepare(
        `SELECT COUNT(*) AS rows, COALESCE(SUM(o.value), 0) AS sum FROM "Observation" o
           JOIN "Series" s ON s.id = o."seriesId" JOIN "Indicator" i ON i.id = s."indicatorId"
          WHERE i.slug = ?`,
      )
      .get(ind.slug) as { rows: number; sum: number };
    return {
      phase: 'raw',
      rssAtStartMB,
      generateMs: t1 - t0,
      setupMs: t2 - t1,
      insertMs: t3 - t2,
      rows: check.rows,
      sum: check.sum,
      peakRssMB: peakRssMB(),
    };
  } finally {
    db.close();
  }
}

export type Expected = { values: number; changed: number };

/** What is wrong with the three import runs, given the generated files; empty when all is right. */
export function checkImportRuns(r: ImportRuns, e: Expected): string[] {
  const problems: string[] = [];
  const expect = (what: string, actual: unknown, wanted: unknown) => {
    if (actual !== wanted)
      problems.push(`${what}: got ${String(actual)}, expected ${String(wanted)}`);
  };
  const names = {
    first: 'first import',
    identical: 'identical re-import',
    revised: 'revised re-import',
  };
  for (const step of ['first', 'identical', 'revised'] as const) {
    const name = names[step];
    const { result } = r[step];
    expect(`${name} ok`, result.ok, true);
    if (result.errors.length) problems.push(`${name} errors: ${result.errors.join('; ')}`);
    expect(`${name} values read`, result.valuesRead, e.values);
    expect(`${name} skipped`, result.counts.skipped, 0);
  }
  const { first, identical, revised } = r;
  expect('first import added', first.result.counts.added, e.values);
  expect('first import changed', first.result.counts.changed, 0);
  expect('stored after first import', first.after.rows, e.values);
  expect('identical re-import added', identical.result.counts.added, 0);
  expect('identical re-import changed', identical.result.counts.changed, 0);
  expect('identical re-import unchanged', identical.result.counts.unchanged, e.values);
  expect('stored after identical re-import', identical.after.rows, e.values);
  expect('revised re-import added', revised.result.counts.added, 0);
  expect('revised re-import changed', revised.result.counts.changed, e.changed);
  expect('revised re-import unchanged', revised.result.counts.unchanged, e.values - e.changed);
  expect('stored after revisions', revised.after.rows, e.values + e.changed);
  expect('current after revisions', revised.after.current, e.values);
  expect('superseded after revisions', revised.after.superseded, e.changed);
  return problems;
}

/** What is wrong with the raw baseline, compared with the first import; empty when all is right. */
export function checkRawPhase(raw: RawPhase, first: ImportPhase, e: Expected): string[] {
  const problems: string[] = [];
  if (raw.rows !== e.values) problems.push(`raw rows: got ${raw.rows}, expected ${e.values}`);
  if (Math.abs(raw.sum - first.after.sum) > 1e-6 * Math.max(1, Math.abs(raw.sum)))
    problems.push(`raw sum of values ${raw.sum} differs from the import's ${first.after.sum}`);
  return problems;
}
