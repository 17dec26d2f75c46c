// `npm run bench`: two benches, each against a raw better-sqlite3 baseline on the
// same data in the same run.
//
//   node --experimental-wasm-modules --import tsx scripts/bench/run.ts
//     [--only import|export|scale|fresh|postgres|extract] [--scale-shapes 1M,10M] [--scale-requests 200] [--scale-pages-only] [--scale-stores sqlite,postgresql] [--values 1000000] [--export-sizes 100000,1000000]
//     [--export-repeat 2] [--postgres postgresql://…] [--json] [--strict]
//
// Scale (scripts/bench/scale.ts): the production server on 1M and 10M observations (on
// SQLite, and on a PostgreSQL copy of the same database when a server is given),
// each page and download under 10 concurrent clients, and readers during an import.
//
// Fresh install (scripts/bench/fresh.ts): the article and its outcomes on the production
// server, indicator pages with random transforms, axes and ranges under 10 clients.
//
// Import, the targets (scripts/bench/import.ts): a tidy file of --values rows (250 entities ×
// 4,000 days at 1M) through `npm run import` in a child process, process start included,
// with its peak RSS, beside raw better-sqlite3 inserting the same rows into a bare table with
// a unique (series, period) index in the same run: at most 2× the raw time and 400 MB.
//
// Import, in process: a generated World Bank file of --values cells through the real import
// path (first import, identical re-import, 1% revised), beside a raw insert of the same rows. The import and the raw insert each run in a
// child process of their own (this script with --phase import|raw), so each peak RSS
// (process.resourceUsage().maxRSS) is that run's alone. The parent generates the files
// and migrates both scratch databases first, so neither child's peak includes the
// schema engine.
//
// Export (scripts/bench/export.ts): the whole-database export with full provenance
// beside a raw read of the observation table to CSV, at each of --export-sizes
// observations, so the peak RSS at 100k and 1M shows whether memory stays flat. Each
// side runs --export-repeat times, alternating, and its best time counts.
//
// PostgreSQL (scripts/bench/postgres.ts): the same import and export on a PostgreSQL
// server (--postgres, or TEST_DATABASE), beside raw COPY in and out; skipped without one.
//
// --json prints { import, export, scale, postgres, pass } (a bench left out by --only is null).
// --strict exits 1 when a target is missed; a wrong result always exits 1.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  DEFAULT_EXPORT_SIZES,
  printExportBench,
  runExportBench,
  type ExportBenchResult,
} from './export';
import {
  printScaleBench,
  runScaleBench,
  scaleMisses,
  type ScaleResult,
  type ScaleStore,
} from './scale';
import { readEnv } from '../../lib/db/env';
import {
  daysFor,
  printCliImportBench,
  runCliImportBench,
  runRawTidyPhase,
  type CliImportResult,
  type RawTidyPhase,
} from './import';
import { freshMisses, printFreshBench, runFreshBench, type FreshResult } from './fresh';
import { printPostgresBench, runPostgresBench, type PostgresBenchResult } from './postgres';
import { runExtractBench, type ExtractBenchResult } from './extract';
import {
  checkImportRuns,
  checkRawPhase,
  MISSING_RATE,
  CHANGE_RATE,
  prepareDb,
  runImportPhase,
  runRawPhase,
  spawnScript,
  writeBenchFiles,
  YEARS,
  type BenchFiles,
  type ImportPhase,
  type ImportRuns,
  type ImportStepName,
  type RawPhase,
} from './lib';

const TARGET_RATIO = 2;
const TARGET_RSS_MB = 400;

type Args = {
  values: number;
  exportSizes: number[];
  exportRepeat: number;
  only: 'import' | 'export' | 'scale' | 'fresh' | 'postgres' | 'extract' | null;
  scaleShapes: ('1M' | '10M')[];
  scaleRequests: number;
  scalePagesOnly: boolean;
  /** Default: SQLite, and PostgreSQL too when a server is given (--postgres or TEST_DATABASE). */
  scaleStores: ScaleStore[] | null;
  json: boolean;
  strict: boolean;
  phase: ImportStepName | 'raw' | 'raw-tidy' | null;
  db: string | null;
  file: string | null;
  /** A PostgreSQL server for the PostgreSQL part (scripts/bench/postgres.ts). */
  postgres: string | null;
};

const PHASES = ['first', 'identical', 'revised', 'raw', 'raw-tidy'] as const;

function count(flag: string, text: string): number {
  const n = Number(text.trim().replace(/_/g, ''));
  if (!Number.isInteger(n) || n < 1) throw new Error(`${flag} takes positive integers`);
  return n;
}

function parseArgs(argv: string[]): Args {
  const args: Args = {
    values: 1_000_000,
    exportSizes: DEFAULT_EXPORT_SIZES,
    exportRepeat: 2,
    only: null,
    scaleShapes: ['1M', '10M'],
    scaleRequests: 200,
    scalePagesOnly: false,
    scaleStores: null,
    json: false,
    strict: false,
    phase: null,
    db: null,
    file: null,
    postgres: readEnv().TEST_DATABASE ?? null,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const [flag, inline] = a.includes('=') ? (a.split(/=(.*)/s) as [string, string]) : [a, null];
    const value = () => {
      const v = inline ?? argv[++i];
      if (v === undefined) throw new Error(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case '--values':
        args.values = count('--values', value());
        break;
      case '--export-sizes':
        args.exportSizes = value()
          .split(',')
          .map((v) => count('--export-sizes', v));
        break;
      case '--export-repeat':
        args.exportRepeat = count('--export-repeat', value());
        break;
      case '--only': {
        const only = value();
        if (!['import', 'export', 'scale', 'fresh', 'postgres', 'extract'].includes(only))
          throw new Error('--only must be import, export, scale, fresh, postgres or extract');
        args.only = only as Args['only'];
        break;
      }
      case '--postgres':
        args.postgres = value();
        break;
      case '--scale-shapes':
        args.scaleShapes = value()
          .split(',')
          .map((v) => {
            if (v !== '1M' && v !== '10M') throw new Error('--scale-shapes takes 1M and/or 10M');
            return v;
          });
        break;
      case '--scale-requests':
        args.scaleRequests = count('--scale-requests', value());
        break;
      case '--scale-stores':
        args.scaleStores = value()
          .split(',')
          .map((v) => {
            if (v !== 'sqlite' && v !== 'postgresql')
              throw new Error('--scale-stores takes sqlite and/or postgresql');
            return v;
          });
        break;
      case '--scale-pages-only':
        args.scalePagesOnly = true;
        break;
      case '--json':
        args.json = true;
        break;
      case '--strict':
        args.strict = true;
        break;
      case '--phase': {
        const p = value() as (typeof PHASES)[number];
        if (!PHASES.includes(p)) throw new Error(`--phase must be one of ${PHASES.join(', ')}`);
        args.phase = p;
        break;
      }
      case '--db':
        args.db = value();
        break;
      case '--file':
        args.file = value();
        break;
      default:
        throw new Error(
          `unknown argument ${a}; usage: bench.ts [--only import|export] [--values N] [--export-sizes N,N] [--export-repeat N] [--json] [--strict]`,
        );
    }
  }
  return args;
}

/** Child mode: one phase, its result as JSON on stdout. */
async function runPhase(args: Args) {
  if (!args.db) throw new Error('--phase needs --db');
  let result: ImportPhase | RawPhase | RawTidyPhase;
  if (args.phase === 'raw-tidy') {
    result = runRawTidyPhase(args.db, daysFor(args.values));
  } else if (args.phase === 'raw') {
    result = runRawPhase(args.db, args.values);
  } else {
    if (!args.file) throw new Error(`--phase ${args.phase} needs --file`);
    result = await runImportPhase(args.db, args.file, args.phase!);
  }
  process.stdout.write(JSON.stringify(result) + '\n');
}

function spawnPhase<T>(phaseArgs: string[]): T {
  return spawnScript<T>(import.meta.filename, phaseArgs);
}

const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const perSec = (n: number, ms: number) => `${Math.round(n / (ms / 1000) / 1000)} k/s`;
const int = (n: number) => n.toLocaleString('en-US');
const mb = (n: number) => `${Math.round(n)} MB`;

type ImportBenchResult = Awaited<ReturnType<typeof runImportBench>>;

/** The import bench: generate, migrate, three import runs and the raw insert, checked. */
async function runImportBench(args: Args, dir: string, log: (line: string) => void) {
  log(`Generating a World Bank file with ${int(args.values)} cells in ${dir} …`);
  const g0 = performance.now();
  const files: BenchFiles = writeBenchFiles(dir, args.values);
  const generateMs = performance.now() - g0;
  log('Migrating two scratch databases …');
  const importUrl = await prepareDb(path.join(dir, 'import.db'));
  const rawUrl = await prepareDb(path.join(dir, 'raw.db'));

  // Each run in a process of its own, one after the other on the same database.
  const importRun = (step: ImportStepName, file: string) => {
    log(`Import path run: ${step} (child process) …`);
    return spawnPhase<ImportPhase>(['--phase', step, '--db', importUrl, '--file', file]);
  };
  const runs: ImportRuns = {
    first: importRun('first', files.base),
    identical: importRun('identical', files.base),
    revised: importRun('revised', files.revised),
  };
  const imp = {
    first: runs.first.result,
    identical: runs.identical.result,
    revised: runs.revised.result,
  };
  log('Raw better-sqlite3 run (child process) …');
  const raw = spawnPhase<RawPhase>([
    '--phase',
    'raw',
    '--db',
    rawUrl,
    '--values',
    String(args.values),
  ]);
  for (const name of ['import.db', 'raw.db'])
    for (const suffix of ['', '-wal', '-shm'])
      fs.rmSync(path.join(dir, name + suffix), { force: true });

  const expected = { values: files.values, changed: files.changed };
  const problems = [
    ...checkImportRuns(runs, expected),
    ...checkRawPhase(raw, runs.first, expected),
  ];
  const ratio = imp.first.totalMs / raw.insertMs;
  const ratioPass = ratio <= TARGET_RATIO;
  const rssPass = imp.first.peakRssMB < TARGET_RSS_MB;
  const pass = problems.length === 0 && ratioPass && rssPass;

  return {
    file: {
      rows: files.rows,
      years: YEARS,
      cells: files.cells,
      values: files.values,
      missing: files.cells - files.values,
      changedInRevised: files.changed,
      bytes: files.bytes,
      generateMs,
    },
    import: {
      parseMs: imp.first.parseMs,
      commitMs: imp.first.commitMs,
      totalMs: imp.first.totalMs,
      rowsPerSec: files.values / (imp.first.totalMs / 1000),
      counts: imp.first.counts,
      rssAtStartMB: runs.first.rssAtStartMB,
      peakRssMB: imp.first.peakRssMB,
    },
    identicalReimport: {
      parseMs: imp.identical.parseMs,
      commitMs: imp.identical.commitMs,
      totalMs: imp.identical.totalMs,
      counts: imp.identical.counts,
      peakRssMB: imp.identical.peakRssMB,
    },
    revisedReimport: {
      parseMs: imp.revised.parseMs,
      commitMs: imp.revised.commitMs,
      totalMs: imp.revised.totalMs,
      counts: imp.revised.counts,
      peakRssMB: imp.revised.peakRssMB,
    },
    raw: {
      insertMs: raw.insertMs,
      setupMs: raw.setupMs,
      rows: raw.rows,
      rowsPerSec: raw.rows / (raw.insertMs / 1000),
      rssAtStartMB: raw.rssAtStartMB,
      peakRssMB: raw.peakRssMB,
    },
    ratio,
    targets: { ratio: TARGET_RATIO, peakRssMB: TARGET_RSS_MB },
    pass: { ratio: ratioPass, peakRss: rssPass, correct: problems.length === 0, all: pass },
    problems,
  };
}

function printImportBench(r: ImportBenchResult) {
  const mark = (ok: boolean) => (ok ? 'PASS' : 'FAIL');
  const row = (label: string, ...cols: string[]) =>
    console.log(label.padEnd(34) + cols.map((c) => c.padStart(12)).join(''));
  const { file, import: first, identicalReimport: identical, revisedReimport: revised, raw } = r;
  console.log('');
  console.log(
    `Import: ${int(file.values)} values (${int(file.rows)} rows × ${file.years} years, ${int(file.missing)} missing ≈ ${MISSING_RATE * 100}%), ${(file.bytes / 1024 / 1024).toFixed(1)} MB file`,
  );
  console.log('');
  row('', 'time', 'rows/s', 'peak RSS');
  row(
    'import (read → parse → commit)',
    s(first.totalMs),
    perSec(file.values, first.totalMs),
    mb(first.peakRssMB),
  );
  row('  read + valuesFromFile', s(first.parseMs));
  row('  commitImport (plan + write)', s(first.commitMs));
  row(
    'raw better-sqlite3 INSERTs',
    s(raw.insertMs),
    perSec(raw.rows, raw.insertMs),
    mb(raw.peakRssMB),
  );
  row('  (series setup, not counted)', s(raw.setupMs));
  row(
    're-import, identical file',
    s(identical.totalMs),
    perSec(file.values, identical.totalMs),
    mb(identical.peakRssMB),
  );
  row(
    `re-import, ${CHANGE_RATE * 100}% revised`,
    s(revised.totalMs),
    perSec(file.values, revised.totalMs),
    mb(revised.peakRssMB),
  );
  console.log('');
  console.log(
    `identical re-import: ${int(identical.counts.unchanged)} unchanged; revised: ${int(revised.counts.changed)} changed, ${int(revised.counts.unchanged)} unchanged`,
  );
  console.log(
    `process RSS before the work (node, tsx, modules): import ${mb(first.rssAtStartMB)}, raw ${mb(raw.rssAtStartMB)}`,
  );
  console.log('');
  console.log(
    `ratio import/raw  ${r.ratio.toFixed(2)}×   (target ≤ ${r.targets.ratio}×)   ${mark(r.pass.ratio)}`,
  );
  console.log(
    `import peak RSS   ${mb(first.peakRssMB)}   (target < ${r.targets.peakRssMB} MB)   ${mark(r.pass.peakRss)}`,
  );
  console.log(
    `correctness       ${r.problems.length === 0 ? 'PASS' : `FAIL\n  ${r.problems.join('\n  ')}`}`,
  );
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  if (args.phase) return runPhase(args);

  const log = (line: string) => {
    if (!args.json) console.log(line);
  };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sourced-bench-'));
  try {
    let imported: ImportBenchResult | null = null;
    let cliImport: CliImportResult | null = null;
    let exported: ExportBenchResult | null = null;
    let scale: ScaleResult[] | null = null;
    let fresh: FreshResult | null = null;
    let postgres: PostgresBenchResult | null = null;
    let extraction: ExtractBenchResult | null = null;
    if (args.only === null || args.only === 'scale') {
      const files = writeBenchFiles(dir, 1_000_000);
      scale = await runScaleBench({
        shapes: args.scaleShapes,
        requests: args.scaleRequests,
        pagesOnly: args.scalePagesOnly,
        stores: args.scaleStores ?? (args.postgres ? ['sqlite', 'postgresql'] : ['sqlite']),
        postgres: args.postgres,
        importFile: files.base,
        log,
      });
      if (!args.json) printScaleBench(scale, console.log);
      log('');
    }
    if (args.only === null || args.only === 'fresh') {
      fresh = await runFreshBench({ requests: args.scaleRequests, log });
      if (!args.json) printFreshBench(fresh, console.log);
      log('');
    }
    if (args.only === null || args.only === 'import') {
      // The targets: `npm run import` of a tidy file, process start included.
      cliImport = await runCliImportBench({
        dir,
        values: args.values,
        prepareDb,
        spawnRaw: (url, days) =>
          spawnPhase<RawTidyPhase>([
            '--phase',
            'raw-tidy',
            '--db',
            url,
            '--values',
            String(days * 250),
          ]),
        log,
      });
      if (!args.json) printCliImportBench(cliImport, console.log);
      log('');
      imported = await runImportBench(args, dir, log);
      if (!args.json) printImportBench(imported);
      log('');
    }
    if (args.only === null || args.only === 'export') {
      exported = await runExportBench({
        sizes: args.exportSizes,
        repeat: args.exportRepeat,
        dir,
        log,
      });
      if (!args.json) printExportBench(exported, console.log);
    }
    if (args.only === null || args.only === 'postgres') {
      log('');
      if (args.postgres) {
        postgres = await runPostgresBench({ server: args.postgres, values: args.values, dir, log });
        if (!args.json) printPostgresBench(postgres, console.log);
      } else {
        log(
          'PostgreSQL: skipped. Give a server to create scratch databases on: --postgres postgresql://user@host:port/postgres (or TEST_DATABASE).',
        );
        if (args.only === 'postgres') process.exitCode = 2;
      }
    }
    if (args.only === null || args.only === 'extract') {
      log('');
      extraction = await runExtractBench({ log });
    }
    const problems = [
      ...(cliImport?.problems ?? []),
      ...(imported?.problems ?? []),
      ...(exported?.problems ?? []),
      ...(postgres?.problems ?? []),
    ];
    const pass =
      (cliImport ? cliImport.pass.ratio && cliImport.pass.peakRss : true) &&
      (imported?.pass.all ?? true) &&
      (exported?.pass.all ?? true) &&
      (postgres?.pass.all ?? true) &&
      (extraction?.pass ?? true) &&
      (scale === null || scaleMisses(scale).length === 0) &&
      (fresh === null || freshMisses(fresh).length === 0);
    if (args.json)
      console.log(
        JSON.stringify(
          {
            cliImport,
            import: imported,
            export: exported,
            scale,
            fresh,
            postgres,
            extraction,
            pass,
          },
          null,
          2,
        ),
      );
    if (problems.length > 0 || (args.strict && !pass)) process.exitCode = 1;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exitCode = 1;
});
