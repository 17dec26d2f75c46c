// The command-line import at real size (part of `npm run bench`, scripts/bench/run.ts): a tidy
// file of `entity,code,period,value` rows (250 entities × 4,000 days at 1M rows) through
// `npm run import` as a user runs it, in a child process, process start included, with its
// peak RSS (GNU time's %M, else the highest VmHWM read from /proc while it runs). Beside it,
// alternated with it (three runs of each, medians compared, the disk flushed before each), the
// raw baseline issue #8 sets the target against: better-sqlite3
// inserting the same rows with one prepared statement per row in one immediate transaction
// into a bare table with only a unique (series, period) index, timed from the first INSERT
// to COMMIT; and, for reference, the same into the Observation table the import writes
// (unique on series, period and revision, indexed on series, supersededAt and period, and
// on quoteId where there is one).
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { openWriterConnection } from '../../lib/db/client';
import { importMetaSchema, type ImportMetaInput } from '../../lib/schemas';
import { sqliteTimestamp } from '../../lib/db/timestamp';
import { entityName, mulberry32, peakRssMB, rssMB, storedCountsOf, syntheticCodes } from './lib';

const root = path.resolve(import.meta.dirname, '..', '..');

export const CLI_ENTITIES = 250;

export const CLI_META: ImportMetaInput = {
  indicator: {
    slug: 'bench-daily',
    title: 'Bench daily index',
    unitLong: 'index points',
    unitShort: 'pts',
  },
  kind: 'observed',
  unit: 'index points',
  createEntities: true,
  source: { title: 'Bench daily', producer: 'Sourced bench', url: 'https://example.org/daily' },
};

/** Days per entity for about `values` rows. */
export function daysFor(values: number): number {
  return Math.max(1, Math.ceil(values / CLI_ENTITIES));
}

const DAY = 86_400_000;
const START = Date.UTC(2010, 0, 1);

function isoDay(d: number): string {
  return new Date(START + d * DAY).toISOString().slice(0, 10);
}

/** Each entity's daily values, as the file writes them (three decimals). Deterministic. */
function* entityValues(e: number, days: number): Generator<string> {
  const random = mulberry32(1000 + e);
  let value = 100 + random() * 50;
  for (let d = 0; d < days; d++) {
    value += (random() - 0.5) * 4;
    yield value.toFixed(3);
  }
}

export type TidyFile = {
  file: string;
  rows: number;
  entities: number;
  days: number;
  bytes: number;
};

/** Writes the tidy file: a header, then each entity's days in order. */
export function writeTidyFile(dir: string, days: number): TidyFile {
  const file = path.join(dir, 'bench-daily-tidy.csv');
  const codes = syntheticCodes(CLI_ENTITIES);
  const periods = Array.from({ length: days }, (_, d) => isoDay(d));
  const fd = fs.openSync(file, 'w');
  try {
    fs.writeSync(fd, 'entity,code,period,value\n');
    codes.forEach((code, e) => {
      const prefix = `${entityName(code)},${code},`;
      const lines: string[] = [];
      let d = 0;
      for (const v of entityValues(e, days)) lines.push(`${prefix}${periods[d++]},${v}\n`);
      fs.writeSync(fd, lines.join(''));
    });
  } finally {
    fs.closeSync(fd);
  }
  return {
    file,
    rows: CLI_ENTITIES * days,
    entities: CLI_ENTITIES,
    days,
    bytes: fs.statSync(file).size,
  };
}

export type RawTidyPhase = {
  phase: 'raw-tidy';
  /** Single-row INSERTs into "Observation", commit included. */
  insertMs: number;
  /** The same rows into a table with nothing but a unique (series, period) index. */
  minimalInsertMs: number;
  rows: number;
  sum: number;
  peakRssMB: number;
  rssAtStartMB: number;
};

/** The baseline, in a child process of its own (scripts/bench/run.ts --phase raw-tidy). */
export function runRawTidyPhase(url: string, days: number): RawTidyPhase {
  const rssAtStartMB = rssMB();
  const codes = syntheticCodes(CLI_ENTITIES);
  const n = CLI_ENTITIES * days;
  const entityOf = new Int32Array(n);
  const dayOf = new Int32Array(n);
  const valueOf = new Float64Array(n);
  let k = 0;
  for (let e = 0; e < CLI_ENTITIES; e++) {
    let d = 0;
    for (const v of entityValues(e, days)) {
      entityOf[k] = e;
      dayOf[k] = d++;
      valueOf[k++] = Number(v);
    }
  }
  const periods = Array.from({ length: days }, (_, d) => isoDay(d));
  const db = openWriterConnection(url);
  try {
    const at = sqliteTimestamp(new Date());
    const meta = importMetaSchema.parse(CLI_META);
    const ind = meta.indicator as Exclude<typeof meta.indicator, string>;
    const seriesIds = new Int32Array(CLI_ENTITIES);
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
      const insertEntity = db.prepare(
        'INSERT INTO "Entity" (code, name) VALUES (?, ?) ON CONFLICT (code) DO NOTHING',
      );
      const entityId = db.prepare('SELECT id FROM "Entity" WHERE code = ?').pluck();
      const insertSeries = db.prepare(
        'INSERT INTO "Series" ("indicatorId", "entityId", kind, label, "sourceId", "recordedAt") VALUES (?, ?, ?, ?, ?, ?)',
      );
      codes.forEach((code, e) => {
        insertEntity.run(code, entityName(code));
        seriesIds[e] = Number(
          insertSeries.run(indicatorId, entityId.get(code), meta.kind, `raw ${code}`, sourceId, at)
            .lastInsertRowid,
        );
      });
    }).immediate();

    const insert = db.prepare(
      'INSERT INTO "Observation" ("seriesId", period, precision, value, revision, "recordedAt") VALUES (?, ?, ?, ?, ?, ?)',
    );
    const t0 = performance.now();
    db.transaction(() => {
      for (let i = 0; i < n; i++)
        insert.run(seriesIds[entityOf[i]!]!, periods[dayOf[i]!]!, 'day', valueOf[i]!, 1, at);
    }).immediate();
    const insertMs = performance.now() - t0;

    db.exec(
      'CREATE TABLE raw_minimal (series INTEGER NOT NULL, period TEXT NOT NULL, value REAL NOT NULL, UNIQUE (series, period))',
    );
    const minimal = db.prepare('INSERT INTO raw_minimal (series, period, value) VALUES (?, ?, ?)');
    const t1 = performance.now();
    db.transaction(() => {
      for (let i = 0; i < n; i++)
        minimal.run(seriesIds[entityOf[i]!]!, periods[dayOf[i]!]!, valueOf[i]!);
    }).immediate();
    const minimalInsertMs = performance.now() - t1;

    const check = db
      .prepare(
        `SELECT COUNT(*) AS rows, COALESCE(SUM(o.value), 0) AS sum FROM "Observation" o
           JOIN "Series" s ON s.id = o."seriesId" JOIN "Indicator" i ON i.id = s."indicatorId"
          WHERE i.slug = ?`,
      )
      .get(ind.slug) as { rows: number; sum: number };
    return {
      phase: 'raw-tidy',
      insertMs,
      minimalInsertMs,
      rows: check.rows,
      sum: check.sum,
      peakRssMB: peakRssMB(),
      rssAtStartMB,
    };
  } finally {
    db.close();
  }
}

export type CliRun = {
  ms: number;
  peakRssMB: number;
  /** Where the peak RSS came from. */
  rssFrom: 'time' | 'proc';
  status: number | null;
  stdout: string;
  stderr: string;
};

const hasGnuTime = (() => {
  try {
    return spawnSync('/usr/bin/time', ['-f', '%M', 'true'], { encoding: 'utf8' }).status === 0;
  } catch {
    return false;
  }
})();

/** Highest VmHWM (kB) among a process and its descendants, read from /proc. */
function treeHwmKB(pid: number): number {
  let best = 0;
  const visit = (p: number) => {
    try {
      const status = fs.readFileSync(`/proc/${p}/status`, 'utf8');
      const hwm = /VmHWM:\s+(\d+) kB/.exec(status);
      if (hwm) best = Math.max(best, Number(hwm[1]));
      const children = fs
        .readFileSync(`/proc/${p}/task/${p}/children`, 'utf8')
        .trim()
        .split(/\s+/)
        .filter(Boolean);
      for (const c of children) visit(Number(c));
    } catch {
      // The process ended between two reads.
    }
  };
  visit(pid);
  return best;
}

/** `npm run import -- <args>` as a user types it, timed from spawn to exit. */
export async function runCliImport(url: string, args: string[], dir: string): Promise<CliRun> {
  const timeFile = path.join(dir, 'cli-import.time');
  const npm = ['run', '--silent', 'import', '--', ...args];
  const [command, argv] = hasGnuTime
    ? ['/usr/bin/time', ['-f', '%M', '-o', timeFile, 'npm', ...npm]]
    : ['npm', npm];
  const t0 = performance.now();
  const child = spawn(command, argv as string[], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: url },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  let procKB = 0;
  const poll = setInterval(() => {
    procKB = Math.max(procKB, treeHwmKB(child.pid!));
  }, 25);
  const status = await new Promise<number | null>((resolve) => child.on('close', resolve));
  const ms = performance.now() - t0;
  clearInterval(poll);
  let peakKB = procKB;
  let rssFrom: CliRun['rssFrom'] = 'proc';
  if (hasGnuTime) {
    const text = fs.readFileSync(timeFile, 'utf8').trim().split('\n').pop() ?? '';
    if (/^\d+$/.test(text)) {
      peakKB = Number(text);
      rssFrom = 'time';
    }
  }
  return { ms, peakRssMB: peakKB / 1024, rssFrom, status, stdout, stderr };
}

export const CLI_TARGETS = { ratio: 2, peakRssMB: 400 };

/** Runs of each side of the CLI import bench: one run is at the mercy of one disk flush. */
const CLI_RUNS = 3;

export type CliImportResult = {
  file: { rows: number; entities: number; days: number; bytes: number };
  import: { ms: number; peakRssMB: number; rssFrom: 'time' | 'proc'; summary: string };
  /** Medians of `runs` below (the peak RSS: the highest). */
  raw: RawTidyPhase;
  runs: { importMs: number[]; minimalInsertMs: number[] };
  /** CLI time over the raw insert into the bare unique (series, period) table: the target. */
  ratio: number;
  /** CLI time over the raw insert into the Observation table, for reference. */
  observationRatio: number;
  stored: { rows: number; sum: number };
  targets: typeof CLI_TARGETS;
  pass: { ratio: boolean; peakRss: boolean; correct: boolean };
  problems: string[];
};

/**
 * The scenario: write the file, import it with `npm run import` into a fresh database, run
 * the raw baseline (`spawnRaw`, a child process) into another, and check both hold the rows.
 */
export async function runCliImportBench(options: {
  dir: string;
  values: number;
  prepareDb: (file: string) => Promise<string>;
  spawnRaw: (url: string, days: number) => RawTidyPhase;
  log: (line: string) => void;
  /** Runs of each side, alternated; the medians are compared. */
  runs?: number;
}): Promise<CliImportResult> {
  const { dir, log } = options;
  const runs = options.runs ?? CLI_RUNS;
  const days = daysFor(options.values);
  log(`Writing a tidy file of ${CLI_ENTITIES} entities × ${days} days …`);
  const tidy = writeTidyFile(dir, days);
  const metaFile = path.join(dir, 'bench-daily-meta.json');
  fs.writeFileSync(metaFile, JSON.stringify(CLI_META));

  const problems: string[] = [];
  const imports: CliRun[] = [];
  const raws: RawTidyPhase[] = [];
  let summary = '';
  let stored = { rows: 0, sum: 0 };
  for (let k = 1; k <= runs; k++) {
    const importUrl = await options.prepareDb(path.join(dir, 'cli-import.db'));
    const rawUrl = await options.prepareDb(path.join(dir, 'cli-raw.db'));
    // Each side starts with the disk idle: the writes before it (the file, the other side's
    // database) are flushed first, so that neither waits on the other's.
    settleDisk();
    log(`npm run import (child process, start to exit), run ${k} of ${runs} …`);
    const run = await runCliImport(importUrl, [tidy.file, '--meta', metaFile], dir);
    imports.push(run);
    settleDisk();
    log(`Raw better-sqlite3 inserts of the same rows (child process), run ${k} of ${runs} …`);
    const raw = options.spawnRaw(rawUrl, days);
    raws.push(raw);
    stored = await storedCountsOf(importUrl, (CLI_META.indicator as { slug: string }).slug);
    for (const name of ['cli-import.db', 'cli-raw.db'])
      for (const suffix of ['', '-wal', '-shm'])
        fs.rmSync(path.join(dir, name + suffix), { force: true });
    if (run.status !== 0)
      problems.push(`npm run import exited with ${run.status}: ${run.stderr.trim().slice(0, 500)}`);
    summary = /Saved [^\n]*/.exec(run.stdout)?.[0] ?? '';
    if (stored.rows !== tidy.rows)
      problems.push(`the import stored ${stored.rows} rows, expected ${tidy.rows}`);
    if (raw.rows !== tidy.rows) problems.push(`raw stored ${raw.rows} rows, expected ${tidy.rows}`);
    if (Math.abs(raw.sum - stored.sum) > 1e-6 * Math.max(1, Math.abs(raw.sum)))
      problems.push(`raw sum of values ${raw.sum} differs from the import's ${stored.sum}`);
  }
  const importMs = median(imports.map((r) => r.ms));
  const raw = {
    ...raws[0]!,
    insertMs: median(raws.map((r) => r.insertMs)),
    minimalInsertMs: median(raws.map((r) => r.minimalInsertMs)),
    peakRssMB: Math.max(...raws.map((r) => r.peakRssMB)),
  };
  const peakRssMB = Math.max(...imports.map((r) => r.peakRssMB));
  const ratio = importMs / raw.minimalInsertMs;
  return {
    file: { rows: tidy.rows, entities: tidy.entities, days: tidy.days, bytes: tidy.bytes },
    import: { ms: importMs, peakRssMB, rssFrom: imports[0]!.rssFrom, summary },
    runs: {
      importMs: imports.map((r) => r.ms),
      minimalInsertMs: raws.map((r) => r.minimalInsertMs),
    },
    raw,
    ratio,
    observationRatio: importMs / raw.insertMs,
    stored,
    targets: CLI_TARGETS,
    pass: {
      ratio: ratio <= CLI_TARGETS.ratio,
      peakRss: peakRssMB <= CLI_TARGETS.peakRssMB,
      correct: problems.length === 0,
    },
    problems,
  };
}

/** The middle value (the mean of the two middle ones for an even count). */
function median(xs: number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Flushes the writes the system still holds for the disk (`sync`), where there is one. */
function settleDisk(): void {
  spawnSync('sync', { stdio: 'ignore' });
}

export function printCliImportBench(r: CliImportResult, print: (line: string) => void) {
  const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  const mark = (ok: boolean) => (ok ? 'PASS' : 'FAIL');
  const row = (label: string, ...cols: string[]) =>
    print(label.padEnd(46) + cols.map((c) => c.padStart(12)).join(''));
  print('');
  print(
    `CLI import: ${r.file.rows.toLocaleString('en-US')} tidy rows (${r.file.entities} entities × ${r.file.days} days), ${(r.file.bytes / 1024 / 1024).toFixed(1)} MB file, ${r.runs.importMs.length} runs of each, alternated`,
  );
  print('');
  row('', 'median', 'peak RSS', 'runs');
  const all = (ms: number[]) => `  ${ms.map((m) => (m / 1000).toFixed(2)).join(', ')} s`;
  row(
    'npm run import (process start to exit)',
    s(r.import.ms),
    `${Math.round(r.import.peakRssMB)} MB`,
    all(r.runs.importMs),
  );
  row(
    'raw INSERTs, bare unique (series, period)',
    s(r.raw.minimalInsertMs),
    `${Math.round(r.raw.peakRssMB)} MB`,
    all(r.runs.minimalInsertMs),
  );
  row('raw INSERTs into "Observation"', s(r.raw.insertMs));
  print(`  ${r.import.summary}`);
  print('');
  print(
    `ratio CLI/raw     ${r.ratio.toFixed(2)}× the bare table   (target ≤ ${r.targets.ratio}×)   ${mark(r.pass.ratio)}   [over the Observation table: ${r.observationRatio.toFixed(2)}×]`,
  );
  print(
    `CLI peak RSS      ${Math.round(r.import.peakRssMB)} MB (${r.import.rssFrom === 'time' ? 'GNU time' : '/proc VmHWM'})   (target ≤ ${r.targets.peakRssMB} MB)   ${mark(r.pass.peakRss)}`,
  );
  print(
    `correctness       ${r.problems.length === 0 ? 'PASS' : `FAIL\n  ${r.problems.join('\n  ')}`}`,
  );
}
