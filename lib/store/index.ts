// Opens the store a DATABASE_URL names. Callers hold one per process (lib/db.ts
// getStore) or, in scripts and tests, one per database they work on.
import type pg from 'pg';
import { databaseProvider } from '../env';
import { PostgresStore } from './postgres';
import { SqliteStore } from './sqlite';
import type { Store } from './types';

export type { Store, StoreReader, StoreWriter } from './types';

export function openStore(url: string, options: { pool?: pg.Pool } = {}): Store {
  return databaseProvider(url) === 'postgresql'
    ? new PostgresStore(url, options.pool)
    : new SqliteStore(url);
}
