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

function isBusy(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED' || code === 'SQLITE_BUSY_SNAPSHOT';
}

const ATTEMPTS = 3;

/**
 * Runs `work` in an immediate transaction and returns its result. A thrown error
 * rolls everything back. SQLITE_BUSY is retried, then reported as DatabaseBusyError,
 * never as "database is locked".
 */
export function writeTransaction<T>(db: WriterDb, work: (db: WriterDb) => T): T {
  const tx = db.transaction(() => work(db));
  for (let attempt = 1; ; attempt++) {
    try {
      return tx.immediate();
    } catch (error) {
      if (!isBusy(error)) throw error;
      if (attempt >= ATTEMPTS) throw new DatabaseBusyError();
    }
  }
}

/** SQLite's text form of a timestamp, as Prisma writes it, so both read alike. */
export function sqliteTimestamp(date: Date): string {
  return date.toISOString().replace('Z', '+00:00');
}
