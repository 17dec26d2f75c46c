import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaClient } from './generated/prisma/client';
import { databaseFile, readEnv } from './env';

// The one module that opens the database. Reads go through Prisma; writes go
// through a single better-sqlite3 connection (getWriter), because the Prisma adapter
// (7.10) leaves its connection stuck in a transaction after one SQLITE_BUSY at
// COMMIT (prisma/orm#29933) and inserts in bulk about 25 times slower.

/** How long a connection waits for another process's lock before SQLITE_BUSY. */
export const BUSY_TIMEOUT_MS = 5000;

function fileFor(url: string): string {
  const file = databaseFile(url);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  return file;
}

export function createPrismaClient(url = readEnv().DATABASE_URL): PrismaClient {
  const adapter = new PrismaBetterSqlite3({
    url: `file:${fileFor(url)}`,
    timeout: BUSY_TIMEOUT_MS,
  });
  return new PrismaClient({ adapter });
}

/** A raw connection for the serialized writer (lib/writer.ts) and for benchmarks. */
export function openWriterConnection(url = readEnv().DATABASE_URL): Database.Database {
  const db = new Database(fileFor(url), { timeout: BUSY_TIMEOUT_MS });
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  db.pragma('synchronous = NORMAL');
  return db;
}

/** A read-only connection for streaming exports: its snapshot stays consistent while it iterates. */
export function openReadConnection(url = readEnv().DATABASE_URL): Database.Database {
  return new Database(fileFor(url), { readonly: true, timeout: BUSY_TIMEOUT_MS });
}

const globalForDb = globalThis as unknown as {
  sourcedPrisma?: PrismaClient;
  sourcedWriter?: Database.Database;
  sourcedReader?: Database.Database;
};

/** The process-wide client; dev-mode hot reloads reuse it instead of opening new handles. */
export function getDb(): PrismaClient {
  globalForDb.sourcedPrisma ??= createPrismaClient();
  return globalForDb.sourcedPrisma;
}

/** The process-wide read-only connection of the read path (lib/indicator-store.ts). */
export function getReader(): Database.Database {
  globalForDb.sourcedReader ??= openReadConnection();
  return globalForDb.sourcedReader;
}

/** The process-wide writer connection. */
export function getWriter(): Database.Database {
  globalForDb.sourcedWriter ??= openWriterConnection();
  return globalForDb.sourcedWriter;
}

export type { PrismaClient };
export type WriterDb = Database.Database;
