// The export half of `npm run bench` (scripts/bench/run.ts): the whole-database export
// with full provenance (lib/export/full-export.ts through lib/export/csv.ts, what
// streamFullCsv serves) against the fastest thing better-sqlite3 can do with the same
// table: iterate the observation rows and write each one as a comma-joined line.
//
// Both runs read the same scratch database, write through the same sink (FileSink),
// and each runs in a child process of its own (this file with --phase raw|full), so
// each peak RSS is its own run's. Running at two sizes (100k and 1M by default) shows
// whether the export's memory stays flat as the row count grows.
import fs from 'node:fs';
import path from 'node:path';
import { openReadConnection, openWriterConnection } from '../../lib/db/client';

import { FULL_CSV_HEADER, fullExportCsv } from '../../lib/export/full-export';
import { sqliteTimestamp } from '../../lib/db/timestamp';
import {
  BENCH_META,
  entityName,
  FIRST_YEAR,
  mulberry32,
  peakRssMB,
  prepareDb,
  rssMB,
  spawnScript,
  syntheticCodes,
  YEARS,
} from './lib';

export const EXPORT_TARGET_RATIO = 1.5;
/**
 * Export peak RSS at the largest size may be at most this many times the smallest
 * size's. Not 1.0: a streaming run still grows by a bounded amount as it gets longer,
 * as the raw baseline does too (SQLite's page cache, 16 MB by better-sqlite3's default,
 * fills up; V8 sizes its heap to the allocation rate). Measured: about 145 MB at 100k,
 * 190 MB at 1M and 200 MB at 3M, so 1.3× would flap. Holding the million rows would
 * take at least the 180 MB of CSV text on top (twice that as UTF-16), well past 1.5×.
 */
export const EXPORT_TARGET_RSS_GROWTH = 1.5;
export const DEFAULT_EXPORT_SIZES = [100_000, 1_000_000];

const SEED = 20240629;
const MAX_ENTITIES = 16_000;
const SINK_CHUNK = 64 * 1024;
const BENCH_SLUG = (BENCH_META.indicator as { slug: string }).slug;

/**
 * The one way both runs write: strings gathered until about 64 Ki UTF-16 code units,
 * then one fs.writeSync. The export's chunks (64 Ki each from csvChunks) go straight
 * through; the raw run's lines are batched to the same size, as csvChunks batches.
 */
export class FileSink {
  private readonly fd: number;
  private parts: string[] = [];
  private size = 0;

  constructor(file: string) {
    this.fd = fs.openSync(file, 'w');
  }

  /** Bytes go straight to the file, after any text gathered before them. */
  writeBytes(bytes: Uint8Array) {
    this.flush();
    fs.writeSync(this.fd, bytes);
  }

  write(text: string) {
    this.parts.push(text);
    this.size += text.length;
    if (this.size >= SINK_CHUNK) this.flush();
  }

  private flush() {
    if (this.parts.length === 0) return;
    fs.writeSync(this.fd, this.parts.length === 1 ? this.parts[0]! : this.parts.join(''));
    this.parts = [];
    this.size = 0;
  }

  close() {
    try {
      this.flush();
    } finally {
      fs.closeSync(this.fd);
    }
  }
}

export type ExportDb = {
  url: string;
  /** Observations of the bench indicator (all current, revision 1). */
  values: number;
  series: number;
  /** Every observation row in the database (the raw run's rows). */
  allRows: number;
  /** Rows the full export must hold besides the bench indicator's: the founding article's. */
  otherCurrentRows: number;
  /** Of those, rows with a quote (the LEFT JOIN's matched side). */
  quotedRows: number;
  setupMs: number;
};

/**
 * A migrated database with the founding article, plus `values` observations of one
 * observed indicator from one source: ⌈values / 64⌉ series of 64 years each (the
 * last may be shorter), one per entity up to 16,000 entities, written with better-sqlite3 in one
 * transaction and checkpointed so both runs read the main file, not the WAL.
 */
export async function prepareExportDb(file: string, values: number): Promise<ExportDb> {
  const t0 = performance.now();
  const url = await prepareDb(file);
  const series = Math.max(1, Math.ceil(values / YEARS));
  // Past the 17,527 three-letter codes, entities get a second series (another label).
  const codes = syntheticCodes(Math.min(series, MAX_ENTITIES));
  const rand = mulberry32(SEED);
  const periods = Array.from({ length: YEARS }, (_, i) => String(FIRST_YEAR + i));
  const db = openWriterConnection(url);
  try {
    const at = sqliteTimestamp(new Date());
    const { source, indicator, kind } = BENCH_META;
    const ind = indicator as { slug: string; title: string; unitLong: string; unitShort: string };
    db.transaction(() => {
      const sourceId = db
        .prepare(
          'INSERT INTO "Source" (title, publisher, url, "createdAt") VALUES (?, ?, ?, ?) RETURNING id',
        )
        .pluck()
        .get(source.title, source.producer, source.url ?? null, at) as number;
      const indicatorId = db
        .prepare(
          'INSERT INTO "Indicator" (slug, title, description, "unitLong", "unitShort", decimals, "createdAt") VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id',
        )
        .pluck()
        .get(ind.slug, ind.title, '', ind.unitLong, ind.unitShort, 2, at) as number;
      // The founding article may already have some of the codes.
      const insertEntity = db.prepare(
        'INSERT INTO "Entity" (code, name) VALUES (?, ?) ON CONFLICT (code) DO NOTHING',
      );
      const entityId = db.prepare('SELECT id FROM "Entity" WHERE code = ?').pluck();
      const insertSeries = db.prepare(
        'INSERT INTO "Series" ("indicatorId", "entityId", kind, label, "sourceId", "recordedAt") VALUES (?, ?, ?, ?, ?, ?)',
      );
      const insertObservation = db.prepare(
        'INSERT INTO "Observation" ("seriesId", period, precision, value, revision, "recordedAt") VALUES (?, ?, ?, ?, ?, ?)',
      );
      const entityIds = codes.map((code) => {
        insertEntity.run(code, entityName(code));
        return entityId.get(code) as number;
      });
      let left = values;
      for (let i = 0; i < series; i++) {
        const code = codes[i % codes.length]!;
        const round = Math.floor(i / codes.length);
        const seriesId = insertSeries.run(
          indicatorId,
          entityIds[i % codes.length]!,
          kind,
          round === 0 ? `bench ${code}` : `bench ${code} ${round + 1}`,
          sourceId,
          at,
        ).lastInsertRowid;
        for (let y = 0; y < YEARS && left > 0; y++, left--) {
          // What World Bank values look like: up to 15 significant digits.
          const value = Number((rand() * 8 - 2).toPrecision(15));
          insertObservation.run(seriesId, periods[y]!, 'year', value, 1, at);
        }
      }
    }).immediate();
    db.pragma('wal_checkpoint(TRUNCATE)');
    const count = (sql: string, ...params: unknown[]) =>
      db
        .prepare(sql)
        .pluck()
        .get(...params) as number;
    const current = `FROM "Observation" o JOIN "Series" s ON s.id = o."seriesId"
      JOIN "Indicator" i ON i.id = s."indicatorId"
      WHERE o."supersededAt" IS NULL AND s."archivedAt" IS NULL AND i.slug <> ?`;
    return {
      url,
      values,
      series,
      allRows: count('SELECT COUNT(*) FROM "Observation"'),
      otherCurrentRows: count(`SELECT COUNT(*) ${current}`, BENCH_SLUG),
      quotedRows: count(`SELECT COUNT(*) ${current} AND o."quoteId" IS NOT NULL`, BENCH_SLUG),
      setupMs: performance.now() - t0,
    };
  } finally {
    db.close();
  }
}

export type ExportRunName = 'raw' | 'full';

export type ExportRun = {
  phase: ExportRunName;
  /** Opening the connection, reading every row, writing the file, closing both. */
  ms: number;
  bytes: number;
  rssAtStartMB: number;
  peakRssMB: number;
};

/** The column list the raw run reads, which is also its header line. */
const RAW_COLUMNS = ['seriesId', 'period', 'value', 'revision', 'recordedAt'];

/**
 * The baseline: every observation row straight from the table with better-sqlite3
 * (raw arrays, lazily), each written as its fields joined with commas. No joins, no
 * quoting, no number formatting beyond JavaScript's own.
 */
export function runRawExport(url: string, out: string): ExportRun {
  const rssAtStartMB = rssMB();
  const t0 = performance.now();
  const db = openReadConnection(url);
  const sink = new FileSink(out);
  try {
    const rows = db
      .prepare(`SELECT ${RAW_COLUMNS.map((c) => `"${c}"`).join(', ')} FROM "Observation"`)
      .raw(true)
      .iterate() as IterableIterator<unknown[]>;
    sink.write(`${RAW_COLUMNS.join(',')}\r\n`);
    for (const r of rows) sink.write(`${r.join(',')}\r\n`);
  } finally {
    sink.close();
    db.close();
  }
  const ms = performance.now() - t0;
  return {
    phase: 'raw',
    ms,
    bytes: fs.statSync(out).size,
    rssAtStartMB,
    peakRssMB: peakRssMB(),
  };
}

/** The whole-database export as the server streams it: fullExportCsv (with the BOM). */
export function runFullExport(url: string, out: string): ExportRun {
  const rssAtStartMB = rssMB();
  const t0 = performance.now();
  const db = openReadConnection(url);
  const sink = new FileSink(out);
  try {
    for (const chunk of fullExportCsv(db, undefined, { bom: true })) {
      sink.writeBytes(chunk);
    }
  } finally {
    sink.close();
    db.close();
  }
  const ms = performance.now() - t0;
  return {
    phase: 'full',
    ms,
    bytes: fs.statSync(out).size,
    rssAtStartMB,
    peakRssMB: peakRssMB(),
  };
}

export type CsvScan = {
  bom: boolean;
  /** The first record, as text. */
  header: string;
  /** Records after the header. */
  records: number;
  /** Records whose first field is the bench indicator's slug. */
  firstFieldMatches: number;
  /** Records with something in the field at `quoteField`. */
  filledQuoteField: number;
  /** Records whose field count differs from the header's. */
  wrongWidth: number;
  /** The file ends in the middle of a record or a quoted field. */
  truncated: boolean;
};

/**
 * Reads a CSV file in fixed-size blocks (so a 200 MB file is never in memory) and
 * counts its records with a small RFC 4180 state machine: line breaks inside quoted
 * fields (the article's quotes may have them) don't end a record.
 */
export function scanCsv(file: string, firstField: string, quoteField: number): CsvScan {
  const want = Buffer.from(firstField, 'utf8');
  const fd = fs.openSync(file, 'r');
  const buf = Buffer.alloc(1024 * 1024);
  const headerBytes: number[] = [];
  let bom = false;
  let inQuotes = false;
  let field = 0;
  let fieldLength = 0;
  let matchAt = 0; // bytes of `want` matched so far in field 0, or -1 on a mismatch
  let quoteFilled = false;
  let headerWidth = -1;
  let recordIndex = 0; // 0 is the header
  let records = 0;
  let firstFieldMatches = 0;
  let filledQuoteField = 0;
  let wrongWidth = 0;
  let started = false;
  try {
    for (let n, offset = 0; (n = fs.readSync(fd, buf, 0, buf.length, offset)) > 0; offset += n) {
      let i = 0;
      if (offset === 0 && n >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) {
        bom = true;
        i = 3;
      }
      for (; i < n; i++) {
        const b = buf[i]!;
        started = true;
        if (recordIndex === 0 && headerBytes.length < 4096) headerBytes.push(b);
        if (b === 0x22) {
          inQuotes = !inQuotes; // "" inside a quoted field toggles twice
          fieldLength++;
          if (field === 0) matchAt = -1;
        } else if (inQuotes) {
          fieldLength++;
          if (field === 0 && matchAt >= 0) matchAt = -1;
        } else if (b === 0x2c || b === 0x0a) {
          if (field === quoteField && fieldLength > 0) quoteFilled = true;
          if (b === 0x2c) {
            field++;
          } else {
            const width = field + 1;
            if (recordIndex === 0) {
              headerWidth = width;
            } else {
              records++;
              if (width !== headerWidth) wrongWidth++;
              if (matchAt === want.length) firstFieldMatches++;
              if (quoteFilled) filledQuoteField++;
            }
            recordIndex++;
            field = 0;
            matchAt = 0;
            quoteFilled = false;
            started = false;
          }
          fieldLength = 0;
        } else if (b !== 0x0d) {
          fieldLength++;
          if (field === 0 && matchAt >= 0) matchAt = want[matchAt] === b ? matchAt + 1 : -1;
        }
      }
    }
  } finally {
    fs.closeSync(fd);
  }
  const header = Buffer.from(headerBytes)
    .toString('utf8')
    .replace(/\r?\n$/, '');
  return {
    bom,
    header,
    records,
    firstFieldMatches,
    filledQuoteField,
    wrongWidth,
    truncated: inQuotes || started,
  };
}

/** What is wrong with the raw run's file; empty when all is right. */
export function checkRawExport(scan: CsvScan, db: ExportDb): string[] {
  const problems: string[] = [];
  if (scan.header !== RAW_COLUMNS.join(','))
    problems.push(`raw export header: got ${JSON.stringify(scan.header)}`);
  if (scan.records !== db.allRows)
    problems.push(`raw export rows: got ${scan.records}, expected ${db.allRows}`);
  if (scan.wrongWidth > 0) problems.push(`raw export: ${scan.wrongWidth} rows of the wrong width`);
  if (scan.truncated) problems.push('raw export: the file ends inside a record');
  return problems;
}

/** What is wrong with the full export's file; empty when all is right. */
export function checkFullExport(scan: CsvScan, db: ExportDb): string[] {
  const problems: string[] = [];
  const expect = (what: string, actual: unknown, wanted: unknown) => {
    if (actual !== wanted)
      problems.push(`full export ${what}: got ${String(actual)}, expected ${String(wanted)}`);
  };
  expect('BOM', scan.bom, true);
  expect('header', scan.header, FULL_CSV_HEADER.join(','));
  expect('rows', scan.records, db.values + db.otherCurrentRows);
  expect(`${BENCH_SLUG} rows`, scan.firstFieldMatches, db.values);
  expect('other (article) rows', scan.records - scan.firstFieldMatches, db.otherCurrentRows);
  expect('rows with a quote', scan.filledQuoteField, db.quotedRows);
  expect('rows of the wrong width', scan.wrongWidth, 0);
  expect('ending inside a record', scan.truncated, false);
  return problems;
}

const QUOTE_FIELD = FULL_CSV_HEADER.indexOf('quote');

export type BestRun = ExportRun & { runsMs: number[]; rows: number; rowsPerSec: number };

export type ExportSizeResult = {
  values: number;
  series: number;
  /** Rows the raw run read: every observation, the article's included. */
  rawRows: number;
  /** Rows in the full export: current observations, the article's included. */
  exportRows: number;
  setupMs: number;
  /** The fastest of the runs (its `ms`), with the highest peak RSS of them. */
  raw: BestRun;
  full: BestRun;
  /** full.ms / raw.ms */
  ratio: number;
  problems: string[];
};

export type ExportBenchResult = {
  sizes: ExportSizeResult[];
  /** The ratio at the largest size. */
  ratio: number;
  /** Export peak RSS at the largest size over the smallest size's (null with one size). */
  rssGrowth: number | null;
  /** The same for the raw baseline, for comparison. */
  rawRssGrowth: number | null;
  targets: { ratio: number; rssGrowth: number };
  pass: { ratio: boolean; rssGrowth: boolean; correct: boolean; all: boolean };
  problems: string[];
};

/** Runs one export phase in a child process of its own (this file with --phase). */
function spawnExport(phase: ExportRunName, url: string, out: string): ExportRun {
  return spawnScript<ExportRun>(import.meta.filename, [
    '--phase',
    phase,
    '--db',
    url,
    '--out',
    out,
  ]);
}

export type ExportBenchOptions = {
  sizes: number[];
  /** A scratch directory the bench may fill (databases and CSV files; deleted as it goes). */
  dir: string;
  log?: (line: string) => void;
  /** Runs of each side per size, alternating raw and full; the best time counts (default 2). */
  repeat?: number;
  /** Runs each phase in this process instead of a child (for tests; peak RSS is then shared). */
  inProcess?: boolean;
};

export async function runExportBench(options: ExportBenchOptions): Promise<ExportBenchResult> {
  const log = options.log ?? (() => {});
  const repeat = Math.max(1, options.repeat ?? 2);
  const run = (phase: ExportRunName, url: string, out: string) =>
    options.inProcess
      ? (phase === 'raw' ? runRawExport : runFullExport)(url, out)
      : spawnExport(phase, url, out);
  const sizes: ExportSizeResult[] = [];
  for (const values of options.sizes) {
    const file = path.join(options.dir, `export-${values}.db`);
    log(`Export bench, ${values.toLocaleString('en-US')} observations: scratch database …`);
    const db = await prepareExportDb(file, values);
    try {
      const problems: string[] = [];
      const once = (phase: ExportRunName, round: number) => {
        const out = path.join(options.dir, `export-${values}-${phase}.csv`);
        log(
          `  ${phase === 'raw' ? 'raw better-sqlite3 → CSV' : 'full-provenance export'}, run ${round + 1} of ${repeat} (child process) …`,
        );
        const result = run(phase, db.url, out);
        const scan = scanCsv(out, BENCH_SLUG, QUOTE_FIELD);
        fs.rmSync(out, { force: true });
        if (round === 0)
          problems.push(
            ...(phase === 'raw' ? checkRawExport(scan, db) : checkFullExport(scan, db)),
          );
        return { result, rows: scan.records };
      };
      // Alternating, so neither side always runs first on a freshly written database
      // (or in a quiet moment of a busy machine); each side's best time counts.
      const runs: Record<ExportRunName, ReturnType<typeof once>[]> = { raw: [], full: [] };
      for (let round = 0; round < repeat; round++) {
        runs.raw.push(once('raw', round));
        runs.full.push(once('full', round));
      }
      const best = (phase: ExportRunName) => {
        const all = runs[phase];
        const fastest = all.reduce((a, b) => (b.result.ms < a.result.ms ? b : a));
        const { rows } = fastest;
        return {
          ...fastest.result,
          // The highest peak of the runs, not the fastest run's.
          peakRssMB: Math.max(...all.map((r) => r.result.peakRssMB)),
          runsMs: all.map((r) => r.result.ms),
          rows,
          rowsPerSec: rows / (fastest.result.ms / 1000),
        };
      };
      const raw = best('raw');
      const full = best('full');
      sizes.push({
        values,
        series: db.series,
        rawRows: raw.rows,
        exportRows: full.rows,
        setupMs: db.setupMs,
        raw,
        full,
        ratio: full.ms / raw.ms,
        problems,
      });
    } finally {
      for (const suffix of ['', '-wal', '-shm']) fs.rmSync(file + suffix, { force: true });
    }
  }
  const bySize = [...sizes].sort((a, b) => a.values - b.values);
  const smallest = bySize[0]!;
  const largest = bySize[bySize.length - 1]!;
  const rssGrowth = bySize.length > 1 ? largest.full.peakRssMB / smallest.full.peakRssMB : null;
  const rawRssGrowth = bySize.length > 1 ? largest.raw.peakRssMB / smallest.raw.peakRssMB : null;
  const problems = sizes.flatMap((r) => r.problems);
  const ratioPass = largest.ratio <= EXPORT_TARGET_RATIO;
  const rssPass = rssGrowth === null || rssGrowth <= EXPORT_TARGET_RSS_GROWTH;
  return {
    sizes,
    ratio: largest.ratio,
    rssGrowth,
    rawRssGrowth,
    targets: { ratio: EXPORT_TARGET_RATIO, rssGrowth: EXPORT_TARGET_RSS_GROWTH },
    pass: {
      ratio: ratioPass,
      rssGrowth: rssPass,
      correct: problems.length === 0,
      all: ratioPass && rssPass && problems.length === 0,
    },
    problems,
  };
}

/** The export bench as a table, for the terminal. */
export function printExportBench(r: ExportBenchResult, print: (line: string) => void) {
  const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  const perSec = (n: number) => `${Math.round(n / 1000)} k/s`;
  const mb = (n: number) => `${Math.round(n)} MB`;
  const int = (n: number) => n.toLocaleString('en-US');
  const mark = (ok: boolean) => (ok ? 'PASS' : 'FAIL');
  const cols = (label: string, ...c: string[]) =>
    print(label.padEnd(12) + c.map((x) => x.padStart(11)).join(''));
  print('');
  const runs = r.sizes[0]?.raw.runsMs.length ?? 1;
  print('Export: whole database, full provenance (fullExportCsv → file)');
  print('  beside raw better-sqlite3 (SELECT 5 columns FROM "Observation" → joined lines → file)');
  if (runs > 1) print(`  best of ${runs} alternating runs each; peak RSS is the highest of them`);
  print('');
  cols('rows', 'raw', 'raw rows/s', 'export', 'rows/s', 'ratio', 'raw RSS', 'export RSS');
  for (const x of r.sizes) {
    cols(
      int(x.exportRows),
      s(x.raw.ms),
      perSec(x.raw.rowsPerSec),
      s(x.full.ms),
      perSec(x.full.rowsPerSec),
      `${x.ratio.toFixed(2)}×`,
      mb(x.raw.peakRssMB),
      mb(x.full.peakRssMB),
    );
  }
  print('');
  print(
    `file sizes: ${r.sizes.map((x) => `${int(x.exportRows)} rows: raw ${mb(x.raw.bytes / 1048576)}, export ${mb(x.full.bytes / 1048576)}`).join('; ')}`,
  );
  print(
    `process RSS before the work (node, tsx, modules): ${r.sizes.map((x) => `raw ${mb(x.raw.rssAtStartMB)}, export ${mb(x.full.rssAtStartMB)}`).join('; ')}`,
  );
  print('');
  const largest = r.sizes.reduce((a, b) => (b.values > a.values ? b : a));
  print(
    `ratio export/raw at ${int(largest.exportRows)} rows  ${r.ratio.toFixed(2)}×   (target ≤ ${r.targets.ratio}×)   ${mark(r.pass.ratio)}`,
  );
  if (r.rssGrowth !== null) {
    const smallest = r.sizes.reduce((a, b) => (b.values < a.values ? b : a));
    print(
      `export peak RSS  ${mb(smallest.full.peakRssMB)} at ${int(smallest.exportRows)} rows → ${mb(largest.full.peakRssMB)} at ${int(largest.exportRows)} rows: ${r.rssGrowth.toFixed(2)}×   (target ≤ ${r.targets.rssGrowth}×, flat)   ${mark(r.pass.rssGrowth)}`,
    );
    print(
      `                 (raw baseline: ${mb(smallest.raw.peakRssMB)} → ${mb(largest.raw.peakRssMB)}, ${r.rawRssGrowth!.toFixed(2)}×)`,
    );
  }
  print(
    `correctness      ${r.problems.length === 0 ? 'PASS' : `FAIL\n  ${r.problems.join('\n  ')}`}`,
  );
}

/** Child mode: `bench-export.ts --phase raw|full --db URL --out FILE`, the run as JSON on stdout. */
function childMain(argv: string[]) {
  const get = (flag: string) => {
    const i = argv.indexOf(flag);
    const v = i >= 0 ? argv[i + 1] : undefined;
    if (v === undefined) throw new Error(`bench-export.ts needs ${flag}`);
    return v;
  };
  const phase = get('--phase');
  if (phase !== 'raw' && phase !== 'full') throw new Error('--phase must be raw or full');
  const result = (phase === 'raw' ? runRawExport : runFullExport)(get('--db'), get('--out'));
  process.stdout.write(JSON.stringify(result) + '\n');
}

if (process.argv[1] && path.resolve(process.argv[1]) === import.meta.filename) {
  try {
    childMain(process.argv.slice(2));
  } catch (error) {
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    process.exitCode = 1;
  }
}
