// The failures every store reports in the same words, whichever database it runs on:
// a write that could not take its turn (busy, locked, unreachable) and a full disk.
// lib/api/errors.ts maps them, with every other failure, to an HTTP answer.

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

export function errorCode(error: unknown): unknown {
  return (error as { code?: unknown } | null)?.code;
}
