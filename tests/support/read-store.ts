// The read store (lib/read/sqlite.ts) on a scratch database, on either provider.
import Database from 'better-sqlite3';
import pg from 'pg';
import { type ReadStore } from '@/lib/read';
import { sqliteReadStore } from '@/lib/read/sqlite';
import { postgresReadStore } from '@/lib/read/postgres';
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
