// The command-line import at sizes past the main bench's (issue #24, "imports in flat memory"):
// `node --experimental-wasm-modules --import tsx scripts/bench/flat-import.ts --values 10000000 [--runs 1] [--dir /tmp] [--file an earlier run's file]`.
// Writes a tidy file of entities × days (250 entities up to 15M rows; more beyond, so that
// every day stays before 2200), imports it with `npm run import` as a user types it (process
// start to exit, peak RSS from GNU time), then the raw baseline of the same run: better-sqlite3
// inserting the same rows, one prepared INSERT per row in one transaction, into a bare table
// unique on (series, period), the rows generated as they are inserted (flat memory too), timed
// from the first INSERT to COMMIT, in a child process whose peak RSS is its own.
import fs from 'node:fs';
import path from 'node:path';
import { openWriterConnection } from '../../lib/db/client';
import { CLI_META, runCliImport } from './import';
import {
  entityName,
  mulberry32,
  peakRssMB,
  prepareDb,
  spawnScript,
  storedCountsOf,
  syntheticCodes,
} from './lib';

const DAY = 86_400_000;
const START = Date.UTC(2010, 0, 1);
/** Days from 2010 before periods reach the parser's last year (2200). */
const MAX_DAYS = 60_000;

type Shape = { entities: number; days: number };

function shapeFor(values: number): Shape {
  const entities = Math.max(250, Math.ceil(values / MAX_DAYS));
  return { entities, days: Math.ceil(values / entities) };
}

/** Every row of the file, entity after entity, day after day: code, day, value text. */
function* rowsOf({ entities, days }: Shape): Generator<[e: number, d: number, value: string]> {
  for (let e = 0; e < entities; e++) {
    const random = mulberry32(1000 + e);
    let value = 100 + random() * 50;
    for (let d = 0; d < days; d++) {
      value += (random() - 0.5) * 4;
      yield [e, d, value.toFixed(3)];
    }
  }
}

function isoDay(d: number): string {
  return new Date(START + d * DAY).toISOString().slice(0, 10);
}

function writeFile(file: string, shape: Shape): number {
  const codes = syntheticCodes(shape.entities);
  const periods = Array.from({ length: shape.days }, (_, d) => isoDay(d));
  const fd = fs.openSync(file, 'w');
  try {
    fs.writeSync(fd, 'entity,code,period,value\n');
    let lines: string[] = [];
    for (const [e, d, v] of rowsOf(shape)) {
      lines.push(`${entityName(codes[e]!)},${codes[e]!},${periods[d]!},${v}\n`);
      if (lines.length === 65_536) {
        fs.writeSync(fd, lines.join(''));
        lines = [];
      }
    }
    fs.writeSync(fd, lines.join(''));
  } finally {
    fs.closeSync(fd);
  }
  return fs.statSync(file).size;
}

type RawResult = { insertMs: number; rows: number; peakRssMB: number };

/** The baseline, in a child process (`--phase raw`). */
function runRaw(url: string, shape: Shape): RawResult {
  const db = openWriterConnection(url);
  try {
    db.exec(
      'CREATE TABLE raw_minimal (series INTEGER NOT NULL, period TEXT NOT NULL, value REAL NOT NULL, UNIQUE (series, period))',
    );
    const periods = Array.from({ length: shape.days }, (_, d) => isoDay(d));
    const insert = db.prepare('INSERT INTO raw_minimal (series, period, value) VALUES (?, ?, ?)');
    let rows = 0;
    const t0 = performance.now();
    db.transaction(() => {
      for (const [e, d, v] of rowsOf(shape)) {
        insert.run(e + 1, periods[d]!, Number(v));
        rows++;
      }
    }).immediate();
    return { insertMs: performance.now() - t0, rows, peakRssMB: peakRssMB() };
  } finally {
    db.close();
  }
}

function option(args: string[], name: string, fallback: string): string {
  const at = args.indexOf(name);
  return at >= 0 && args[at + 1] !== undefined ? args[at + 1]! : fallback;
}

async function main() {
  const args = process.argv.slice(2);
  const values = Number(option(args, '--values', '10000000'));
  const shape = shapeFor(values);
  if (option(args, '--phase', '') === 'raw') {
    const result = runRaw(option(args, '--db', ''), shape);
    process.stdout.write(JSON.stringify(result) + '\n');
    return;
  }
  const runs = Number(option(args, '--runs', '1'));
  const dir = fs.mkdtempSync(path.join(option(args, '--dir', '/tmp'), 'sourced-flat-'));
  // A file this script wrote before for the same --values (kept: it takes minutes to write).
  const given = option(args, '--file', '');
  try {
    const file = given || path.join(dir, 'flat-tidy.csv');
    const bytes = given ? fs.statSync(given).size : writeFile(file, shape);
    const metaFile = path.join(dir, 'flat-meta.json');
    fs.writeFileSync(metaFile, JSON.stringify(CLI_META));
    const rows = shape.entities * shape.days;
    console.log(
      `${rows.toLocaleString('en-US')} rows (${shape.entities} entities × ${shape.days} days), ${(bytes / 1024 / 1024).toFixed(0)} MB`,
    );
    for (let k = 1; k <= runs; k++) {
      const importUrl = await prepareDb(path.join(dir, 'import.db'));
      const run = await runCliImport(importUrl, [file, '--meta', metaFile], dir);
      const stored = await storedCountsOf(importUrl, (CLI_META.indicator as { slug: string }).slug);
      for (const suffix of ['', '-wal', '-shm'])
        fs.rmSync(path.join(dir, 'import.db' + suffix), { force: true });
      const imported = run.status === 0 && stored.rows === rows;
      // Printed before the baseline runs: at 100M rows each side takes minutes.
      console.log(
        `run ${k}: import ${(run.ms / 1000).toFixed(1)} s, peak RSS ${run.peakRssMB.toFixed(0)} MB (${run.rssFrom}); stored ${stored.rows.toLocaleString('en-US')} ${imported ? 'OK' : 'FAIL'}`,
      );
      if (!imported) console.log(run.stdout.slice(-2000), run.stderr.slice(-2000));
      const rawUrl = await prepareDb(path.join(dir, 'raw.db'));
      const raw = spawnScript<RawResult>(import.meta.filename, [
        '--phase',
        'raw',
        '--values',
        String(values),
        '--db',
        rawUrl,
      ]);
      for (const suffix of ['', '-wal', '-shm'])
        fs.rmSync(path.join(dir, 'raw.db' + suffix), { force: true });
      console.log(
        `run ${k}: raw ${(raw.insertMs / 1000).toFixed(1)} s, peak RSS ${raw.peakRssMB.toFixed(0)} MB; ` +
          `import / raw ${(run.ms / raw.insertMs).toFixed(2)}×; raw stored ${raw.rows === rows ? 'OK' : 'FAIL'}`,
      );
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

await main();
