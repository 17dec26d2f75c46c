import fs from 'node:fs';
import path from 'node:path';
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaClient } from './generated/prisma/client';
import { databaseFile, readEnv } from './env';

// The single place that builds a Prisma client. `timeout` is SQLite's busy timeout:
// a writer waits for the lock instead of failing at once with SQLITE_BUSY.
export const BUSY_TIMEOUT_MS = 5000;

export function createPrismaClient(url = readEnv().DATABASE_URL): PrismaClient {
  const file = databaseFile(url);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const adapter = new PrismaBetterSqlite3({ url: `file:${file}`, timeout: BUSY_TIMEOUT_MS });
  return new PrismaClient({ adapter });
}

const globalForPrisma = globalThis as unknown as { sourcedPrisma?: PrismaClient };

/** The process-wide client; dev-mode hot reloads reuse it instead of opening new handles. */
export function getDb(): PrismaClient {
  globalForPrisma.sourcedPrisma ??= createPrismaClient();
  return globalForPrisma.sourcedPrisma;
}

export type { PrismaClient };
