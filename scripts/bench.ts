// `npm run bench`: imports a generated World Bank file through the real import path
// and compares it with a raw better-sqlite3 insert of the same rows, in the same run.
//
//   node --experimental-wasm-modules --import tsx scripts/bench.ts [--values 1000000] [--json] [--strict]
//
// The import and the raw insert each run in a child process of their own (this script
// with --phase import|raw), so each peak RSS (process.resourceUsage().maxRSS) is that
// run's alone. The parent generates the files and migrates both scratch databases
// first, so neither child's peak includes the schema engine.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  checkImportRuns,
  checkRawPhase,
  MISSING_RATE,
  CHANGE_RATE,
  prepareDb,
  runImportPhase,
  runRawPhase,
  writeBenchFiles,
  YEARS,
  type BenchFiles,
  type ImportPhase,
  type ImportRuns,
  type ImportStepName,
  type RawPhase,
} from './bench-lib';

const TARGET_RATIO = 2;
const TARGET_RSS_MB = 400;

type Args = {
  values: number;
  json: boolean;
  strict: boolean;
  phase: ImportStepName | 'raw' | null;
  db: string | null;
  file: string | null;
};

const PHASES = ['first', 'identical', 'revised', 'raw'] as const;

function parseArgs(argv: string[]): Args {
  const args: Args = {
    values: 1_000_000,
    json: false,
    strict: false,
    phase: null,
    db: null,
    file: null,
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
      case '--values': {
        const n = Number(value().replace(/[_,]/g, ''));
        if (!Number.isInteger(n) || n < 1) throw new Error('--values must be a positive integer');
        args.values = n;
        break;
      }
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
        throw new Error(`unknown argument ${a}; usage: bench.ts [--values N] [--json] [--strict]`);
    }
  }
  return args;
}

/** Child mode: one phase, its result as JSON on stdout. */
function runPhase(args: Args) {
  if (!args.db) throw new Error('--phase needs --db');
  let result: ImportPhase | RawPhase;
  if (args.phase === 'raw') {
    result = runRawPhase(args.db, args.values);
  } else {
    if (!args.file) throw new Error(`--phase ${args.phase} needs --file`);
    result = runImportPhase(args.db, args.file, args.phase!);
  }
  process.stdout.write(JSON.stringify(result) + '\n');
}

function spawnPhase<T>(phaseArgs: string[]): T {
  const child = spawnSync(
    process.execPath,
    [
      '--experimental-wasm-modules',
      '--disable-warning=ExperimentalWarning',
      '--import',
      'tsx',
      path.join(import.meta.dirname, 'bench.ts'),
      ...phaseArgs,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
  );
  if (child.status !== 0) {
    throw new Error(
      `bench phase ${phaseArgs.join(' ')} failed (${child.signal ?? `exit ${child.status}`})`,
    );
  }
  const last = child.stdout.trim().split('\n').pop() ?? '';
  return JSON.parse(last) as T;
}

const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const perSec = (n: number, ms: number) => `${Math.round(n / (ms / 1000) / 1000)} k/s`;
const int = (n: number) => n.toLocaleString('en-US');
const mb = (n: number) => `${Math.round(n)} MB`;

async function main() {
  const args = parseArgs(process.argv.slice(2));
  if (args.phase) return runPhase(args);

  const log = (line: string) => {
    if (!args.json) console.log(line);
  };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sourced-bench-'));
  try {
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

    const expected = { values: files.values, changed: files.changed };
    const problems = [
      ...checkImportRuns(runs, expected),
      ...checkRawPhase(raw, runs.first, expected),
    ];
    const ratio = imp.first.totalMs / raw.insertMs;
    const ratioPass = ratio <= TARGET_RATIO;
    const rssPass = imp.first.peakRssMB < TARGET_RSS_MB;
    const pass = problems.length === 0 && ratioPass && rssPass;

    const result = {
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

    if (args.json) {
      console.log(JSON.stringify(result, null, 2));
    } else {
      const mark = (ok: boolean) => (ok ? 'PASS' : 'FAIL');
      const row = (label: string, ...cols: string[]) =>
        console.log(label.padEnd(34) + cols.map((c) => c.padStart(12)).join(''));
      console.log('');
      console.log(
        `${int(files.values)} values (${int(files.rows)} rows × ${YEARS} years, ${int(files.cells - files.values)} missing ≈ ${MISSING_RATE * 100}%), ${(files.bytes / 1024 / 1024).toFixed(1)} MB file`,
      );
      console.log('');
      row('', 'time', 'rows/s', 'peak RSS');
      row(
        'import (read → parse → commit)',
        s(imp.first.totalMs),
        perSec(files.values, imp.first.totalMs),
        mb(imp.first.peakRssMB),
      );
      row('  read + valuesFromFile', s(imp.first.parseMs));
      row('  commitImport (plan + write)', s(imp.first.commitMs));
      row(
        'raw better-sqlite3 INSERTs',
        s(raw.insertMs),
        perSec(raw.rows, raw.insertMs),
        mb(raw.peakRssMB),
      );
      row('  (series setup, not counted)', s(raw.setupMs));
      row(
        're-import, identical file',
        s(imp.identical.totalMs),
        perSec(files.values, imp.identical.totalMs),
        mb(imp.identical.peakRssMB),
      );
      row(
        `re-import, ${CHANGE_RATE * 100}% revised`,
        s(imp.revised.totalMs),
        perSec(files.values, imp.revised.totalMs),
        mb(imp.revised.peakRssMB),
      );
      console.log('');
      console.log(
        `identical re-import: ${int(imp.identical.counts.unchanged)} unchanged; revised: ${int(imp.revised.counts.changed)} changed, ${int(imp.revised.counts.unchanged)} unchanged`,
      );
      console.log(
        `process RSS before the work (node, tsx, modules): import ${mb(runs.first.rssAtStartMB)}, raw ${mb(raw.rssAtStartMB)}`,
      );
      console.log('');
      console.log(
        `ratio import/raw  ${ratio.toFixed(2)}×   (target ≤ ${TARGET_RATIO}×)   ${mark(ratioPass)}`,
      );
      console.log(
        `import peak RSS   ${mb(imp.first.peakRssMB)}   (target < ${TARGET_RSS_MB} MB)   ${mark(rssPass)}`,
      );
      console.log(
        `correctness       ${problems.length === 0 ? 'PASS' : `FAIL\n  ${problems.join('\n  ')}`}`,
      );
    }
    if (problems.length > 0 || (args.strict && !pass)) process.exitCode = 1;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exitCode = 1;
});
