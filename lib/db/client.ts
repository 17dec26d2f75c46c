import type Database from 'better-sqlite3';
import type pg from 'pg';
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from '../generated/prisma/client';
import { PrismaClient as PostgresPrismaClient } from '../generated/prisma-postgresql/client';
import { BUSY_TIMEOUT_MS, openReadConnection, sqliteFileFor } from './connections';
import { createPgPool } from './pg-pool';
import { databaseProvider, readEnv } from './env';
import { postgresFailure, sqliteOpenFailure } from './failures';

export { BUSY_TIMEOUT_MS, openReadConnection, openWriterConnection } from './connections';
export { createPgPool } from './pg-pool';

// The one module that opens the database (with lib/db/connections.ts and lib/db/pg-pool.ts, the
// raw connections it re-exports). DATABASE_URL chooses the store: a SQLite file (`file:`)
// or a PostgreSQL server (`postgresql://`). Reads go through Prisma, with the generated
// client of that provider (a client refuses another provider's adapter); both clients come
// from one schema and answer the same queries, so the rest of the code is typed against the
// SQLite one. Writes go through the store (lib/store, whose getStore() shares this pool): on SQLite a single better-sqlite3
// connection, because the Prisma adapter (7.10) leaves its connection stuck in a
// transaction after one SQLITE_BUSY at COMMIT (prisma/orm#29933) and inserts in bulk about
// 25 times slower; on PostgreSQL a pg pool, shared with Prisma, writing in bulk with COPY.

/**
 * Interactive transactions (the seed's forty-odd round trips) may take longer than
 * Prisma's default 5 s on a busy server; writes of any size go through the store.
 */
const transactionOptions = { timeout: 60_000, maxWait: 30_000 };

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
    const client = new PostgresPrismaClient({ adapter, transactionOptions });
    // A server that refuses or drops connections answers 503 with Retry-After, as the
    // read and write stores' failures do (lib/db/failures.ts), never Prisma's P1001 as a 500.
    const translated = client.$extends({
      query: {
        $allModels: {
          async $allOperations({ args, query }) {
            try {
              return await query(args);
            } catch (error) {
              throw postgresFailure(error);
            }
          },
        },
      },
    });
    // Same models, same queries: typed as the SQLite client (see above).
    return translated as unknown as PrismaClient;
  }
  const adapter = new PrismaBetterSqlite3({
    url: `file:${sqliteFileFor(url)}`,
    timeout: BUSY_TIMEOUT_MS,
  });
  return new PrismaClient({ adapter, transactionOptions });
}

// Connections only: nothing read from the database is kept between requests, so
// several servers on one PostgreSQL database never serve each other stale data.
const globalForDb = globalThis as unknown as {
  sourcedPrisma?: PrismaClient;
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

/** The process-wide read-only SQLite connection of the read path (lib/read/sqlite.ts). */
export function getReader(): Database.Database {
  try {
    globalForDb.sourcedReader ??= openReadConnection(readEnv().DATABASE_URL);
  } catch (error) {
    throw sqliteOpenFailure(error);
  }
  return globalForDb.sourcedReader;
}

/** The process-wide PostgreSQL pool, shared by Prisma, the read store and the write store. */
export function getPgPool(): pg.Pool {
  return processPool(readEnv().DATABASE_URL);
}

export type { PrismaClient };
export type WriterDb = Database.Database;
