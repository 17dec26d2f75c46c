// Every write runs here: synchronously, on one connection, inside a transaction
// that takes SQLite's write lock up front (BEGIN IMMEDIATE). Node runs one such
// function at a time, so writes in this process are serialized; another process
// (a command-line import) is waited for up to the busy timeout, and if it still
// holds the lock the write fails whole, with a message a user can act on.
import type { WriterDb } from './db';

export class DatabaseBusyError extends Error {
  constructor() {
    super(
      'The database is busy with another write (an import may be running). Nothing was saved; try again shortly.',
    );
    this.name = 'DatabaseBusyError';
  }
}

export class DiskFullError extends Error {
  constructor() {
    super('The disk is full; nothing was saved. Free some space on the server, then try again.');
    this.name = 'DiskFullError';
  }
}

export function isBusy(error: unknown): boolean {
  const code = errorCode(error);
  return code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED' || code === 'SQLITE_BUSY_SNAPSHOT';
}

const ATTEMPTS = 3;

export function errorCode(error: unknown): unknown {
  return (error as { code?: unknown } | null)?.code;
}

/**
 * Copies committed pages from the WAL into the database while there is room, so that
 * if this write fills the disk, the WAL holds nothing but the failed write's pages and
 * can be emptied (see `releaseWal`). Passive: it never waits for readers.
 */
export function checkpoint(db: WriterDb, mode: 'PASSIVE' | 'TRUNCATE'): void {
  try {
    db.pragma(`wal_checkpoint(${mode})`);
  } catch {
    // Best effort: a busy reader or a full disk leaves the WAL for a later checkpoint.
  }
}

/**
 * After a write failed for lack of space: the rolled-back pages stay in the WAL file,
 * keeping the volume full, until a checkpoint truncates it.
 */
export function releaseWal(db: WriterDb): void {
  checkpoint(db, 'TRUNCATE');
}

/**
 * Runs `work` in an immediate transaction and returns its result. A thrown error
 * rolls everything back. SQLITE_BUSY is retried, then reported as DatabaseBusyError,
 * never as "database is locked"; SQLITE_FULL is reported as DiskFullError.
 */
export function writeTransaction<T>(db: WriterDb, work: (db: WriterDb) => T): T {
  const tx = db.transaction(() => work(db));
  checkpoint(db, 'PASSIVE');
  for (let attempt = 1; ; attempt++) {
    try {
      return tx.immediate();
    } catch (error) {
      if (errorCode(error) === 'SQLITE_FULL') {
        releaseWal(db);
        throw new DiskFullError();
      }
      if (!isBusy(error)) throw error;
      if (attempt >= ATTEMPTS) throw new DatabaseBusyError();
    }
  }
}

/** SQLite's text form of a timestamp, as Prisma writes it, so both read alike. */
export function sqliteTimestamp(date: Date): string {
  return date.toISOString().replace('Z', '+00:00');
}
