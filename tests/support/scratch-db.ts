import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type Database from 'better-sqlite3';
import { createPrismaClient, type PrismaClient } from '@/lib/db/client';
import type { DatabaseProvider } from '@/lib/db/env';
import { applyMigrations } from '@/lib/db/migrate';
import { seedArticle } from '@/lib/article/seed';
import { seedOutcomes } from '@/lib/article/seed-outcomes';
import { openStore, type Store } from '@/lib/store';
import { SqliteStore } from '@/lib/store/sqlite';
import { createScratchDatabase } from '@/lib/store/postgres-admin';

/**
 * The store the tests run on: SQLite files by default; with TEST_DATABASE set to a
 * PostgreSQL server URL, a fresh database on that server per scratch database.
 */
export const testServer = process.env.TEST_DATABASE?.trim() || null;
export const testProvider: DatabaseProvider = testServer ? 'postgresql' : 'sqlite';

export type ScratchDb = {
  db: PrismaClient;
  /** The write path's store. */
  store: Store;
  /** The same store (the name the write path's callers used before the store split). */
  writer: () => Store;
  provider: DatabaseProvider;
  url: string;
  /** The SQLite file (SQLite only). */
  file: string;
  /** Runs SQL with `?` placeholders on either store; integers and timestamps come back alike. */
  query: <R = Record<string, unknown>>(sql: string, params?: unknown[]) => Promise<R[]>;
  /** Runs SQL that returns nothing (DDL, triggers). */
  exec: (sql: string) => Promise<void>;
  cleanup: () => Promise<void>;
};

// COUNT and SUM are bigint and numeric on PostgreSQL, strings by default in pg; the
// tests compare them with SQLite's numbers. Timestamps read as SQLite stores them.
const INT8 = 20;
const NUMERIC = 1700;
const TIMESTAMP = 1114;
function testTypes(oid: number, format?: string) {
  if (oid === INT8 || oid === NUMERIC) return (v: string) => Number(v);
  if (oid === TIMESTAMP)
    return (v: string) => {
      const [date, time = '00:00:00'] = v.split(' ');
      const [hms, frac = ''] = time.split('.');
      return `${date}T${hms}.${frac.padEnd(3, '0').slice(0, 3)}+00:00`;
    };
  return pg.types.getTypeParser(oid, format as 'text');
}

function toDollarParams(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

/**
 * A migrated database (SQLite file or PostgreSQL database) with a client and a store
 * on it; with `seed`, the article's data loaded too; with `outcomes`, also the shipped
 * observed data (as `npm run db:seed` loads it).
 */
export async function createScratchDb(
  options: { seed?: boolean; outcomes?: boolean; provider?: DatabaseProvider } = {},
): Promise<ScratchDb> {
  const scratch = await createBareScratchDb({
    ...options,
    seed: options.seed || options.outcomes,
  });
  if (options.outcomes) await seedOutcomes(scratch.store);
  return scratch;
}

async function createBareScratchDb(
  options: { seed?: boolean; provider?: DatabaseProvider } = {},
): Promise<ScratchDb> {
  const provider = options.provider ?? testProvider;
  if (provider === 'postgresql') {
    if (!testServer) throw new Error('A PostgreSQL scratch database needs TEST_DATABASE');
    const scratch = await createScratchDatabase(testServer, 'sourced_test');
    await applyMigrations(scratch.url);
    const db = createPrismaClient(scratch.url);
    if (options.seed) await seedArticle(db);
    const store = openStore(scratch.url);
    const pool = new pg.Pool({ connectionString: scratch.url, max: 2 });
    // Dropping the database ends connections still closing; that is expected.
    pool.on('error', () => {});
    const query = async <R>(sql: string, params: unknown[] = []) =>
      (
        await pool.query({
          text: toDollarParams(sql),
          values: params,
          types: { getTypeParser: testTypes } as pg.CustomTypesConfig,
        })
      ).rows as R[];
    return {
      db,
      store,
      writer: () => store,
      provider: 'postgresql',
      url: scratch.url,
      file: '',
      query,
      exec: async (sql) => {
        await pool.query(sql);
      },
      cleanup: async () => {
        await store.close();
        await pool.end();
        await db.$disconnect();
        await scratch.drop();
      },
    };
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sourced-test-'));
  const file = path.join(dir, 'test.db');
  const url = `file:${file}`;
  await applyMigrations(url);
  const db = createPrismaClient(url);
  if (options.seed) await seedArticle(db);
  const store = new SqliteStore(url);
  const conn: Database.Database = store.connection;
  return {
    db,
    store,
    writer: () => store,
    provider: 'sqlite',
    url,
    file,
    query: async <R>(sql: string, params: unknown[] = []) =>
      conn.prepare(sql).all(...params) as R[],
    exec: async (sql) => {
      conn.exec(sql);
    },
    cleanup: async () => {
      await store.close();
      await db.$disconnect();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
