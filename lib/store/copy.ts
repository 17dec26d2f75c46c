// `npm run db:copy`: moves a whole database (SQLite, or another PostgreSQL database)
// into PostgreSQL, ids kept, in one transaction on the target, then proves the copy:
// the row count of every table and a SHA-256 of every observation, read back from
// both, must agree. A target with data in it is refused unless `force` (which
// replaces that data, in the same transaction).
import crypto from 'node:crypto';
import fs from 'node:fs';
import Database from 'better-sqlite3';
import pg from 'pg';
import copyStreams from 'pg-copy-streams';
import QueryStream from 'pg-query-stream';
import { databaseFile, databaseProvider, describeDatabase } from '../db/env';
import { applyMigrations, pendingMigrations } from '../db/migrate';

/**
 * Every table of the model, parents before children (the order rows can be inserted in).
 * Not EditorSession: logins belong to the database they were made on, so a copy starts
 * with none (and its editors log in again).
 */
export const COPY_TABLES = [
  'Source',
  'Quote',
  'Indicator',
  'Entity',
  'Series',
  'Observation',
  'Derivation',
  'ImportRecipe',
] as const;

type Table = (typeof COPY_TABLES)[number];

export type CopyResult = {
  tables: { table: Table; rows: number }[];
  checksum: string;
};

/** What the checksum covers: every column of an observation, in this order. */
const OBSERVATION_COLUMNS = [
  'id',
  'seriesId',
  'period',
  'precision',
  'value',
  'low',
  'high',
  'note',
  'quoteId',
  'revision',
  'recordedAt',
  'supersededAt',
];

/** A timestamp as ISO 8601 with milliseconds and Z, from either store's text. */
function isoTime(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'number') return new Date(value).toISOString();
  const text = String(value);
  // SQLite holds what Prisma or the store wrote: ISO with +00:00 or Z, or SQLite's
  // own "YYYY-MM-DD HH:MM:SS" (UTC) from a column default.
  const date = new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(text) ? text : `${text.replace(' ', 'T')}Z`);
  if (Number.isNaN(date.getTime())) throw new Error(`"${text}" is not a timestamp`);
  return date.toISOString();
}

interface Side {
  columns(table: Table): Promise<{ name: string; timestamp: boolean }[]>;
  rows(table: Table, columns: string[]): AsyncIterable<unknown[]>;
  count(table: Table): Promise<number>;
  close(): Promise<void>;
}

const q = (name: string) => `"${name}"`;

function sqliteSide(url: string): Side {
  const db = new Database(databaseFile(url), { readonly: true, fileMustExist: true });
  // One snapshot for the copy and its check.
  db.exec('BEGIN');
  return {
    async columns(table) {
      return (db.pragma(`table_info(${q(table)})`) as { name: string; type: string }[]).map(
        (c) => ({ name: c.name, timestamp: /DATETIME|TIMESTAMP/i.test(c.type) }),
      );
    },
    rows(table, columns) {
      const iterator = db
        .prepare(`SELECT ${columns.map(q).join(', ')} FROM ${q(table)} ORDER BY id`)
        .raw(true)
        .iterate() as IterableIterator<unknown[]>;
      return (async function* () {
        yield* iterator;
      })();
    },
    async count(table) {
      return (db.prepare(`SELECT COUNT(*) AS n FROM ${q(table)}`).get() as { n: number }).n;
    },
    async close() {
      db.close();
    },
  };
}

async function postgresSide(client: pg.ClientBase): Promise<Side> {
  return {
    async columns(table) {
      const { rows } = await client.query<{ name: string; type: string }>(
        `SELECT column_name AS name, data_type AS type FROM information_schema.columns
          WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position`,
        [table],
      );
      return rows.map((r) => ({ name: r.name, timestamp: r.type.startsWith('timestamp') }));
    },
    rows(table, columns) {
      return client.query(
        new QueryStream(`SELECT ${columns.map(q).join(', ')} FROM ${q(table)} ORDER BY id`, [], {
          rowMode: 'array',
          batchSize: 5000,
        }),
      ) as unknown as AsyncIterable<unknown[]>;
    },
    async count(table) {
      const { rows } = await client.query<{ n: string }>(`SELECT COUNT(*) AS n FROM ${q(table)}`);
      return Number(rows[0]!.n);
    },
    async close() {},
  };
}

/** COPY's text format for one value. */
function copyValue(value: unknown, timestamp: boolean): string {
  if (value === null || value === undefined) return '\\N';
  if (timestamp) return isoTime(value)!.replace('T', ' ').replace('Z', '');
  const text = typeof value === 'bigint' ? value.toString() : String(value);
  return text.replace(/[\\\t\n\r]/g, (c) =>
    c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r',
  );
}

async function copyTable(
  from: Side,
  client: pg.ClientBase,
  table: Table,
  columns: { name: string; timestamp: boolean }[],
): Promise<number> {
  const stream = client.query(
    copyStreams.from(`COPY ${q(table)} (${columns.map((c) => q(c.name)).join(', ')}) FROM STDIN`),
  );
  const done = new Promise<void>((resolve, reject) => {
    stream.on('finish', resolve);
    stream.on('error', reject);
  });
  let batch = '';
  let rows = 0;
  try {
    for await (const row of from.rows(
      table,
      columns.map((c) => c.name),
    )) {
      batch += row.map((v, i) => copyValue(v, columns[i]!.timestamp)).join('\t') + '\n';
      rows++;
      if (batch.length > 1 << 20) {
        if (!stream.write(batch)) await new Promise((r) => stream.once('drain', r));
        batch = '';
      }
    }
    if (batch) stream.write(batch);
    stream.end();
  } catch (error) {
    stream.destroy(error as Error);
  }
  await done;
  return rows;
}

/** SHA-256 over every observation, each column normalised alike on both stores. */
async function observationChecksum(side: Side): Promise<string> {
  const columns = await side.columns('Observation');
  const timestamp = new Set(columns.filter((c) => c.timestamp).map((c) => c.name));
  const hash = crypto.createHash('sha256');
  for await (const row of side.rows('Observation', OBSERVATION_COLUMNS)) {
    const fields = row.map((v, i) => {
      if (v === null || v === undefined) return '\\N';
      if (timestamp.has(OBSERVATION_COLUMNS[i]!)) return isoTime(v)!;
      return typeof v === 'number' ? String(v) : String(v);
    });
    hash.update(fields.join('\t') + '\n');
  }
  return hash.digest('hex');
}

export class CopyRefusedError extends Error {}

export async function copyDatabase(
  fromUrl: string,
  toUrl: string,
  options: { force?: boolean; log?: (line: string) => void } = {},
): Promise<CopyResult> {
  const log = options.log ?? (() => {});
  if (databaseProvider(toUrl) !== 'postgresql') {
    throw new CopyRefusedError(
      'db:copy writes into PostgreSQL (--to postgresql://…); to move data into a SQLite file, import a full export (npm run import -- data-full.csv).',
    );
  }
  if (fromUrl === toUrl) throw new CopyRefusedError('--from and --to name the same database');
  if (databaseProvider(fromUrl) === 'sqlite' && !fs.existsSync(databaseFile(fromUrl))) {
    throw new CopyRefusedError(`There is no database file at ${databaseFile(fromUrl)}`);
  }
  if ((await pendingMigrations(fromUrl)).length > 0) {
    throw new CopyRefusedError(
      `${describeDatabase(fromUrl)} is not migrated to this version: run npm run db:migrate on it first (DATABASE_URL=${fromUrl.startsWith('file:') ? fromUrl : '…'}).`,
    );
  }
  const applied = await applyMigrations(toUrl);
  if (applied.length) log(`Migrated ${describeDatabase(toUrl)}: ${applied.join(', ')}`);

  const target = new pg.Client({ connectionString: toUrl, options: '-c TimeZone=UTC' });
  await target.connect();
  let sourceClient: pg.Client | null = null;
  let from: Side;
  if (databaseProvider(fromUrl) === 'postgresql') {
    sourceClient = new pg.Client({ connectionString: fromUrl, options: '-c TimeZone=UTC' });
    await sourceClient.connect();
    await sourceClient.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    from = await postgresSide(sourceClient);
  } else {
    from = sqliteSide(fromUrl);
  }
  const to = await postgresSide(target);
  try {
    await target.query('BEGIN');
    // No other writer while the copy runs (a server already pointed at the target).
    await target.query(
      `LOCK TABLE ${COPY_TABLES.map(q).join(', ')} IN ACCESS EXCLUSIVE MODE NOWAIT`,
    );
    const existing: [Table, number][] = [];
    for (const t of COPY_TABLES) {
      const n = await to.count(t);
      if (n > 0) existing.push([t, n]);
    }
    if (existing.length) {
      if (!options.force) {
        throw new CopyRefusedError(
          `${describeDatabase(toUrl)} is not empty (${existing.map(([t, n]) => `${n} ${t}`).join(', ')}). Nothing was written; add --force to replace its data with the copy.`,
        );
      }
      log(`Replacing the data in ${describeDatabase(toUrl)} (--force).`);
      await target.query(`TRUNCATE ${COPY_TABLES.map(q).join(', ')} RESTART IDENTITY`);
    }

    const tables: CopyResult['tables'] = [];
    for (const table of COPY_TABLES) {
      const source = await from.columns(table);
      const targetColumns = new Map((await to.columns(table)).map((c) => [c.name, c]));
      const missing = source.filter((c) => !targetColumns.has(c.name)).map((c) => c.name);
      if (missing.length) {
        throw new Error(`${table} in the target has no column ${missing.join(', ')}`);
      }
      const columns = source.map((c) => targetColumns.get(c.name)!);
      const rows = await copyTable(from, target, table, columns);
      // New rows get ids after the copied ones.
      await target.query(
        `SELECT setval(pg_get_serial_sequence($1, 'id'), COALESCE(MAX(id), 1), MAX(id) IS NOT NULL) FROM ${q(table)}`,
        [q(table)],
      );
      tables.push({ table, rows });
      log(`  ${table}: ${rows} rows`);
    }

    // The proof, read back inside the copy's transaction: nothing is kept unless it holds.
    for (const { table, rows } of tables) {
      const [a, b] = [await from.count(table), await to.count(table)];
      if (a !== rows || b !== rows)
        throw new Error(`${table}: ${a} rows in the source, ${rows} copied, ${b} in the target`);
    }
    const [sum, copied] = [await observationChecksum(from), await observationChecksum(to)];
    if (sum !== copied) {
      throw new Error(`The observations' checksums differ: ${sum} in the source, ${copied} copied`);
    }
    await target.query('COMMIT');
    return { tables, checksum: sum };
  } catch (error) {
    await target.query('ROLLBACK').catch(() => {});
    if ((error as { code?: string }).code === '55P03') {
      throw new CopyRefusedError(
        `${describeDatabase(toUrl)} is in use (is a Sourced server running on it?). Stop it and try again.`,
      );
    }
    throw error;
  } finally {
    await from.close();
    await sourceClient?.end();
    await target.end();
  }
}
