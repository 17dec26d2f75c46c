// The process-wide read store, SQLite's or PostgreSQL's as DATABASE_URL says, and the
// types every reader of it uses.
import { getPgPool, getReader, openReadConnection } from '../db/client';
import { databaseProvider, readEnv } from '../db/env';
import { postgresReadStore } from './postgres';
import { sqliteReadStore } from './sqlite';
import type { ReadStore } from './types';

export * from './types';
const state = globalThis as unknown as { sourcedReadStore?: ReadStore };

/** The process-wide read store: SQLite's, or PostgreSQL's (./postgres.ts). */
export function getReadStore(): ReadStore {
  state.sourcedReadStore ??=
    databaseProvider(readEnv().DATABASE_URL) === 'postgresql'
      ? postgresReadStore(getPgPool())
      : sqliteReadStore(getReader(), () => openReadConnection(readEnv().DATABASE_URL));
  return state.sourcedReadStore;
}
