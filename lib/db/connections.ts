// Raw SQLite connections with the project's settings, for the serialized writer and the
// read path (the PostgreSQL pool is lib/db/pg-pool.ts). Apart from lib/db/client.ts (which adds the
// Prisma clients) so that the write store, and the command-line import and its writer
// thread with it, start without loading Prisma's two generated clients, or pg.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { databaseFile } from './database-url';

/** How long a connection waits for another process's lock before SQLITE_BUSY. */
export const BUSY_TIMEOUT_MS = 5000;

/** The file a SQLite DATABASE_URL names, its folder created if need be. */
export function sqliteFileFor(url: string): string {
  const file = databaseFile(url);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  return file;
}

/**
 * Each connection's page cache, in KiB (SQLite's negative cache_size). better-sqlite3
 * sets 16 MB; the server's reads are cached as views and its writes append in index
 * order, so half that leaves both as fast (measured at 1M and 10M observations) and
 * the server's peak RSS, during an import with readers, 16 MB further from its limit.
 */
const PAGE_CACHE_KIB = 8000;

/** A raw SQLite connection for the serialized writer (lib/db/errors.ts) and for benchmarks. */
export function openWriterConnection(url: string): Database.Database {
  const db = new Database(sqliteFileFor(url), { timeout: BUSY_TIMEOUT_MS });
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  db.pragma('synchronous = NORMAL');
  db.pragma(`cache_size = -${PAGE_CACHE_KIB}`);
  return db;
}

/** A read-only SQLite connection for streaming exports: its snapshot stays consistent while it iterates. */
export function openReadConnection(url: string): Database.Database {
  const db = new Database(sqliteFileFor(url), { readonly: true, timeout: BUSY_TIMEOUT_MS });
  db.pragma(`cache_size = -${PAGE_CACHE_KIB}`);
  return db;
}
