// Raw database connections with the project's settings: a SQLite connection for the
// serialized writer and the read path, a PostgreSQL pool. Apart from lib/db.ts (which
// adds the Prisma clients) so that the write store, and the command-line import with it,
// start without loading Prisma's two generated clients.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { databaseFile, readEnv } from './env';
import { postgresFailure } from './store/errors';

/** How long a connection waits for another process's lock before SQLITE_BUSY. */
export const BUSY_TIMEOUT_MS = 5000;

/** The file a SQLite DATABASE_URL names, its folder created if need be. */
export function sqliteFileFor(url: string): string {
  const file = databaseFile(url);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  return file;
}

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
 * Each connection's page cache, in KiB (SQLite's negative cache_size). better-sqlite3
 * sets 16 MB; the server's reads are cached as views and its writes append in index
 * order, so half that leaves both as fast (measured at 1M and 10M observations) and
 * the server's peak RSS, during an import with readers, 16 MB further from its limit.
 */
const PAGE_CACHE_KIB = 8000;

/** A raw SQLite connection for the serialized writer (lib/writer.ts) and for benchmarks. */
export function openWriterConnection(url = readEnv().DATABASE_URL): Database.Database {
  const db = new Database(sqliteFileFor(url), { timeout: BUSY_TIMEOUT_MS });
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  db.pragma('synchronous = NORMAL');
  db.pragma(`cache_size = -${PAGE_CACHE_KIB}`);
  return db;
}

/** A read-only SQLite connection for streaming exports: its snapshot stays consistent while it iterates. */
export function openReadConnection(url = readEnv().DATABASE_URL): Database.Database {
  const db = new Database(sqliteFileFor(url), { readonly: true, timeout: BUSY_TIMEOUT_MS });
  db.pragma(`cache_size = -${PAGE_CACHE_KIB}`);
  return db;
}
