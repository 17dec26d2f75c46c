// The read store (lib/indicator-store.ts) on a scratch database, on either provider.
import Database from 'better-sqlite3';
import pg from 'pg';
import { sqliteReadStore, type ReadStore } from '@/lib/indicator-store';
import { postgresReadStore } from '@/lib/store/postgres-read';
import type { ScratchDb } from './scratch-db';

export function scratchReadStore(scratch: ScratchDb): { store: ReadStore; close(): Promise<void> } {
  if (scratch.provider === 'sqlite') {
    const reader = new Database(scratch.file, { readonly: true });
    return { store: sqliteReadStore(reader), close: async () => void reader.close() };
  }
  const pool = new pg.Pool({ connectionString: scratch.url, max: 3 });
  pool.on('error', () => {});
  return { store: postgresReadStore(pool), close: () => pool.end() };
}
