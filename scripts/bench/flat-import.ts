// The command-line import at sizes past the main bench's (issue #24, "imports in flat memory"):
// `node --experimental-wasm-modules --import tsx scripts/bench/flat-import.ts --values 10000000 [--runs 1] [--dir /tmp] [--file an earlier run's file]
//   [--store postgresql --pg-url postgresql://…/postgres [--observation]]`
// (`--phase file --out <path>` writes the file alone, for later runs' --file).
// Writes a tidy file of entities × days (250 entities up to 15M rows; more beyond, so that
// every day stays before 2200), imports it with `npm run import` as a user types it (process
// start to exit, peak RSS from GNU time), then the raw baseline of the same run, in a child
// process whose peak RSS is its own, the rows generated as they are written (flat memory too):
// - SQLite: better-sqlite3 inserting the same rows, one prepared INSERT per row in one
//   transaction, into a bare table unique on (series, period), timed from the first INSERT to
//   COMMIT;
// - PostgreSQL (`--store postgresql`, each side in a database of its own made on the server of
//   `--pg-url`, dropped after): COPY FROM STDIN of the same rows into the same bare table, in
//   one transaction, timed from BEGIN to COMMIT; with `--observation`, also a COPY of the same
//   rows into the "Observation" table the import writes (its unique key, two more indexes and
//   its foreign keys), of 250 series made beforehand.
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import copyStreams from 'pg-copy-streams';
import { createPrismaClient, openWriterConnection } from '../../lib/db/client';
import { applyMigrations } from '../../lib/db/migrate';
import { seedArticle } from '../../lib/article/seed';
import { createScratchDatabase } from '../../lib/store/postgres-admin';
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

/** The SQLite baseline, in a child process (`--phase raw`). */
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

/** Where the PostgreSQL baseline copies to: the bare table, or the import's own. */
type RawTable = 'bare' | 'observation';

/**
 * Makes the baseline's table; returns the COPY that fills it and each row's line. The
 * Observation table gets one series per entity first (untimed), as the import makes.
 */
async function rawTarget(client: pg.Client, table: RawTable) {
  if (table === 'bare') {
    await client.query(
      'CREATE TABLE raw_minimal (series integer NOT NULL, period text NOT NULL, value double precision NOT NULL, UNIQUE (series, period))',
    );
    return {
      copy: 'COPY raw_minimal (series, period, value) FROM STDIN',
      line: (series: number, period: string, value: string) => `${series}\t${period}\t${value}\n`,
      seriesIds: (entities: number) => Array.from({ length: entities }, (_, e) => e + 1),
    };
  }
  const at = new Date().toISOString().replace('T', ' ').replace('Z', '');
  return {
    copy: 'COPY "Observation" ("seriesId", period, precision, value, revision, "recordedAt") FROM STDIN',
    line: (series: number, period: string, value: string) =>
      `${series}\t${period}\tday\t${value}\t1\t${at}\n`,
    seriesIds: async (entities: number) => {
      const [ind] = (
        await client.query<{ id: number }>(
          `INSERT INTO "Indicator" (slug, title, description, "unitLong", "unitShort", decimals, "createdAt")
           VALUES ('raw-flat', 'Raw', '', 'points', 'pts', 2, $1) RETURNING id`,
          [at],
        )
      ).rows;
      const codes = syntheticCodes(entities);
      const { rows } = await client.query<{ id: number }>(
        `WITH e AS (INSERT INTO "Entity" (code, name) SELECT 'R' || c, 'Raw ' || c FROM unnest($1::text[]) AS c RETURNING id)
         INSERT INTO "Series" ("indicatorId", "entityId", kind, label, "sourceId", "recordedAt")
         SELECT $2, e.id, 'observed', 'raw', (SELECT MIN(id) FROM "Source"), $3 FROM e ORDER BY e.id
         RETURNING id`,
        [codes, ind!.id, at],
      );
      return rows.map((r) => r.id);
    },
  };
}

/** The PostgreSQL baseline, in a child process (`--phase raw --store postgresql`). */
async function runRawPg(url: string, shape: Shape, table: RawTable): Promise<RawResult> {
  const client = new pg.Client({ connectionString: url, options: '-c TimeZone=UTC' });
  await client.connect();
  try {
    const target = await rawTarget(client, table);
    const series = await target.seriesIds(shape.entities);
    const periods = Array.from({ length: shape.days }, (_, d) => isoDay(d));
    let rows = 0;
    const t0 = performance.now();
    await client.query('BEGIN');
    const stream = client.query(copyStreams.from(target.copy));
    const done = new Promise<void>((resolve, reject) => {
      stream.on('finish', resolve);
      stream.on('error', reject);
    });
    let batch = '';
    for (const [e, d, v] of rowsOf(shape)) {
      batch += target.line(series[e]!, periods[d]!, v);
      rows++;
      if (batch.length > 1 << 20) {
        if (!stream.write(batch)) await new Promise((r) => stream.once('drain', r));
        batch = '';
      }
    }
    stream.end(batch);
    await done;
    await client.query('COMMIT');
    return { insertMs: performance.now() - t0, rows, peakRssMB: peakRssMB() };
  } finally {
    await client.end();
  }
}

function option(args: string[], name: string, fallback: string): string {
  const at = args.indexOf(name);
  return at >= 0 && args[at + 1] !== undefined ? args[at + 1]! : fallback;
}

/** A database for one side of a run, and how to be rid of it. */
type Side = { url: string; drop: () => Promise<void> };

/** The databases of one store: a migrated, seeded one for the import, an empty one for raw. */
function sidesOf(store: string, dir: string, server: string) {
  // Both SQLite sides migrated and seeded, as before PostgreSQL was measured here.
  const sqliteSide = async (name: string): Promise<Side> => {
    const file = path.join(dir, `${name}.db`);
    const url = await prepareDb(file);
    const drop = async () => {
      for (const suffix of ['', '-wal', '-shm']) fs.rmSync(file + suffix, { force: true });
    };
    return { url, drop };
  };
  const pgSide = async (name: string, seeded: boolean): Promise<Side> => {
    const db = await createScratchDatabase(server, `sourced_flat_${name}`);
    await applyMigrations(db.url);
    if (seeded) {
      const prisma = createPrismaClient(db.url);
      try {
        await seedArticle(prisma);
      } finally {
        await prisma.$disconnect();
      }
    }
    return { url: db.url, drop: db.drop };
  };
  return store === 'postgresql' ? pgSide : sqliteSide;
}

type RunOptions = {
  file: string;
  metaFile: string;
  dir: string;
  rows: number;
  values: number;
  store: string;
  /** The raw baselines to run after the import, each in a child process. */
  raws: RawTable[];
  side: (name: string, seeded: boolean) => Promise<Side>;
};

/** One run: the import, then each baseline, with what each stored checked. */
async function runOnce(k: number, o: RunOptions): Promise<void> {
  const importDb = await o.side('import', true);
  let run: Awaited<ReturnType<typeof runCliImport>>;
  let stored: Awaited<ReturnType<typeof storedCountsOf>>;
  try {
    run = await runCliImport(importDb.url, [o.file, '--meta', o.metaFile], o.dir);
    stored = await storedCountsOf(importDb.url, (CLI_META.indicator as { slug: string }).slug);
  } finally {
    await importDb.drop();
  }
  const imported = run.status === 0 && stored.rows === o.rows;
  // Printed before the baseline runs: at 100M rows each side takes minutes.
  console.log(
    `run ${k}: import ${(run.ms / 1000).toFixed(1)} s, peak RSS ${run.peakRssMB.toFixed(0)} MB (${run.rssFrom}); stored ${stored.rows.toLocaleString('en-US')} ${imported ? 'OK' : 'FAIL'}`,
  );
  if (!imported) console.log(run.stdout.slice(-2000), run.stderr.slice(-2000));
  for (const table of o.raws) {
    // The Observation table's baseline copies into the schema the import writes.
    const rawDb = await o.side('raw', table === 'observation');
    let raw: RawResult;
    try {
      raw = spawnScript<RawResult>(import.meta.filename, [
        ...['--phase', 'raw', '--values', String(o.values), '--db', rawDb.url],
        ...['--store', o.store, '--table', table],
      ]);
    } finally {
      await rawDb.drop();
    }
    console.log(
      `run ${k}: raw${table === 'observation' ? ' into "Observation"' : ''} ${(raw.insertMs / 1000).toFixed(1)} s, peak RSS ${raw.peakRssMB.toFixed(0)} MB; ` +
        `import / raw ${(run.ms / raw.insertMs).toFixed(2)}×; raw stored ${raw.rows === o.rows ? 'OK' : 'FAIL'}`,
    );
  }
}

async function main() {
  const args = process.argv.slice(2);
  const values = Number(option(args, '--values', '10000000'));
  const shape = shapeFor(values);
  const store = option(args, '--store', 'sqlite');
  if (option(args, '--phase', '') === 'raw') {
    const db = option(args, '--db', '');
    const result =
      store === 'postgresql'
        ? await runRawPg(db, shape, option(args, '--table', 'bare') as RawTable)
        : runRaw(db, shape);
    process.stdout.write(JSON.stringify(result) + '\n');
    return;
  }
  // Only the file, for later runs' --file (`--phase file --out <path>`).
  if (option(args, '--phase', '') === 'file') {
    const bytes = writeFile(option(args, '--out', 'flat-tidy.csv'), shape);
    console.log(`${(bytes / 1024 / 1024).toFixed(0)} MB`);
    return;
  }
  const server = option(args, '--pg-url', process.env.TEST_DATABASE ?? '');
  if (store === 'postgresql' && !server) throw new Error('--store postgresql needs --pg-url');
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
      `${rows.toLocaleString('en-US')} rows (${shape.entities} entities × ${shape.days} days), ${(bytes / 1024 / 1024).toFixed(0)} MB, ${store}`,
    );
    const observation = store === 'postgresql' && args.includes('--observation');
    const raws: RawTable[] = observation ? ['bare', 'observation'] : ['bare'];
    const side = sidesOf(store, dir, server);
    const options = { file, metaFile, dir, rows, values, store, raws, side };
    for (let k = 1; k <= runs; k++) await runOnce(k, options);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

await main();
