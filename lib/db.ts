import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from './generated/prisma/client';
import { PrismaClient as PostgresPrismaClient } from './generated/prisma-postgresql/client';
import { databaseFile, databaseProvider, readEnv } from './env';
import { openStore, type Store } from './store';
import { postgresFailure } from './store/errors';

// The one module that opens the database. DATABASE_URL chooses the store: a SQLite
// file (`file:`) or a PostgreSQL server (`postgresql://`). Reads go through Prisma,
// with the generated client of that provider (a client refuses another provider's
// adapter); both clients come from one schema and answer the same queries, so the
// rest of the code is typed against the SQLite one. Writes go through the store
// (lib/store): on SQLite a single better-sqlite3 connection, because the Prisma
// adapter (7.10) leaves its connection stuck in a transaction after one SQLITE_BUSY
// at COMMIT (prisma/orm#29933) and inserts in bulk about 25 times slower; on
// PostgreSQL a pg pool, shared with Prisma, writing in bulk with COPY.

/** How long a connection waits for another process's lock before SQLITE_BUSY. */
export const BUSY_TIMEOUT_MS = 5000;

function fileFor(url: string): string {
  const file = databaseFile(url);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  return file;
}

/**
 * Interactive transactions (the seed's forty-odd round trips) may take longer than
 * Prisma's default 5 s on a busy server; writes of any size go through the store.
 */
const transactionOptions = { timeout: 60_000, maxWait: 30_000 };

/** A PostgreSQL pool with the project's limits: a bounded wait for a connection, UTC sessions. */
export function createPgPool(url: string, max = readEnv().SOURCED_PG_POOL_SIZE): pg.Pool {
  const pool = new pg.Pool({
    connectionString: url,
    max,
    connectionTimeoutMillis: 10_000,
    idleTimeoutMillis: 30_000,
    // Timestamps are `timestamp without time zone` holding UTC, as Prisma writes them;
    // floats are sent in their shortest exact form (the default since PostgreSQL 12), so
    // every value reads back as the double that was written, whatever the server's setting.
    options: '-c TimeZone=UTC -c extra_float_digits=1',
  });
  // An idle connection the server dropped (restart, failover) is replaced on next use;
  // without a listener its error would end the process. So would the error of a
  // connection that is checked out but between queries (a download waiting for its
  // reader): its next query fails instead, and the failure is answered there.
  pool.on('error', () => {});
  pool.on('connect', (client) => client.on('error', () => {}));
  // A connection that cannot be had (server down, full, or the pool's wait over) is
  // noted for the request that asked, which then answers 503 (lib/store/errors.ts):
  // Prisma's reads share this pool and would otherwise answer 500.
  const connect = pool.connect.bind(pool) as (
    callback?: (error: Error | undefined, ...rest: unknown[]) => void,
  ) => Promise<pg.PoolClient> | undefined;
  pool.connect = ((callback?: (error: Error | undefined, ...rest: unknown[]) => void) => {
    if (callback)
      return connect((error, ...rest) => {
        if (error) postgresFailure(error);
        callback(error, ...rest);
      });
    return connect()!.catch((error: unknown) => {
      postgresFailure(error);
      throw error;
    });
  }) as typeof pool.connect;
  return pool;
}

/**
 * A Prisma client for DATABASE_URL. On PostgreSQL it uses `pool` when given (and
 * leaves it open on $disconnect), or a pool of its own.
 */
export function createPrismaClient(
  url = readEnv().DATABASE_URL,
  options: { pool?: pg.Pool } = {},
): PrismaClient {
  if (databaseProvider(url) === 'postgresql') {
    const adapter = options.pool
      ? new PrismaPg(options.pool)
      : new PrismaPg(createPgPool(url), { disposeExternalPool: true });
    // Same models, same queries: typed as the SQLite client (see above).
    return new PostgresPrismaClient({ adapter, transactionOptions }) as unknown as PrismaClient;
  }
  const adapter = new PrismaBetterSqlite3({
    url: `file:${fileFor(url)}`,
    timeout: BUSY_TIMEOUT_MS,
  });
  return new PrismaClient({ adapter, transactionOptions });
}

/** A raw SQLite connection for the serialized writer (lib/writer.ts) and for benchmarks. */
export function openWriterConnection(url = readEnv().DATABASE_URL): Database.Database {
  const db = new Database(fileFor(url), { timeout: BUSY_TIMEOUT_MS });
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  db.pragma('synchronous = NORMAL');
  return db;
}

/** A read-only SQLite connection for streaming exports: its snapshot stays consistent while it iterates. */
export function openReadConnection(url = readEnv().DATABASE_URL): Database.Database {
  return new Database(fileFor(url), { readonly: true, timeout: BUSY_TIMEOUT_MS });
}

// Connections only: nothing read from the database is kept between requests, so
// several servers on one PostgreSQL database never serve each other stale data.
const globalForDb = globalThis as unknown as {
  sourcedPrisma?: PrismaClient;
  sourcedStore?: Store;
  sourcedPool?: pg.Pool;
  sourcedReader?: Database.Database;
};

function processPool(url: string): pg.Pool {
  globalForDb.sourcedPool ??= createPgPool(url);
  return globalForDb.sourcedPool;
}

/** The process-wide client; dev-mode hot reloads reuse it instead of opening new handles. */
export function getDb(): PrismaClient {
  const url = readEnv().DATABASE_URL;
  globalForDb.sourcedPrisma ??=
    databaseProvider(url) === 'postgresql'
      ? createPrismaClient(url, { pool: processPool(url) })
      : createPrismaClient(url);
  return globalForDb.sourcedPrisma;
}

/** The process-wide read-only SQLite connection of the read path (lib/indicator-store.ts). */
export function getReader(): Database.Database {
  globalForDb.sourcedReader ??= openReadConnection();
  return globalForDb.sourcedReader;
}

/** The process-wide PostgreSQL pool, shared by Prisma, the read store and the write store. */
export function getPgPool(): pg.Pool {
  return processPool(readEnv().DATABASE_URL);
}

/** The process-wide write store (on PostgreSQL sharing the client's pool). */
export function getStore(): Store {
  const url = readEnv().DATABASE_URL;
  globalForDb.sourcedStore ??=
    databaseProvider(url) === 'postgresql'
      ? openStore(url, { pool: processPool(url) })
      : openStore(url);
  return globalForDb.sourcedStore;
}

export type { PrismaClient, Store };
export type WriterDb = Database.Database;
