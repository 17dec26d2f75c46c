// Opens the store a DATABASE_URL names. The server holds one per process (getStore);
// scripts and tests open one per database they work on.
import type pg from 'pg';
import { getPgPool } from '../db/client';
import { databaseProvider, readEnv } from '../db/env';
import { PostgresStore } from './postgres';
import { SqliteStore } from './sqlite';
import type { Store } from './types';

export type { Store, StoreReader, StoreWriter } from './types';

export function openStore(url: string, options: { pool?: pg.Pool } = {}): Store {
  return databaseProvider(url) === 'postgresql'
    ? new PostgresStore(url, options.pool)
    : new SqliteStore(url);
}

const globalForStore = globalThis as unknown as { sourcedStore?: Store };

/** The process-wide write store (on PostgreSQL sharing the Prisma client's pool). */
export function getStore(): Store {
  const url = readEnv().DATABASE_URL;
  globalForStore.sourcedStore ??=
    databaseProvider(url) === 'postgresql' ? openStore(url, { pool: getPgPool() }) : openStore(url);
  return globalForStore.sourcedStore;
}
