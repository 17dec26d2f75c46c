// How database failures reach users: a busy or unreachable database is a
// DatabaseBusyError (503 with Retry-After in lib/api/routes.ts), whichever store it is. On
// the read path, where nothing catches it, the failure is also noted for the request
// it happened in, which then answers 503 instead of 500 (lib/db/unavailable.ts).
import { noteDatabaseUnavailable } from './unavailable';
import { DATABASE_UNAVAILABLE_DIGEST } from './unavailable-digest';
import { DatabaseBusyError, DiskFullError } from './errors';

/** The PostgreSQL server could not be reached, or refused or dropped the connection. */
export class DatabaseUnavailableError extends DatabaseBusyError {
  constructor() {
    super();
    this.message =
      'The database server cannot be reached right now. Nothing was saved; try again shortly.';
    this.name = 'DatabaseUnavailableError';
  }
}

// SQLSTATE codes that mean "not now" rather than "not this": the server is starting,
// stopping or full, or a lock or the transaction's turn did not come in time.
const BUSY_STATES = new Set(['55P03', '40001', '40P01', '57014']);
const UNAVAILABLE_STATES = new Set([
  '53300',
  '53400',
  '57P01',
  '57P02',
  '57P03',
  '08000',
  '08001',
  '08003',
  '08004',
  '08006',
  '08P01',
]);
const SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
]);

/** The error a user should see for a PostgreSQL failure, or the error itself. */
export function postgresFailure(error: unknown): unknown {
  const failure = classify(error);
  if (failure instanceof DatabaseBusyError) {
    // Next.js keeps a digest it finds on an error: the error page can tell this one.
    (failure as { digest?: string }).digest = DATABASE_UNAVAILABLE_DIGEST;
    noteDatabaseUnavailable({
      message:
        failure instanceof DatabaseUnavailableError
          ? 'The database server cannot be reached right now. Try again shortly.'
          : 'The database is too busy to answer right now. Try again shortly.',
    });
  }
  return failure;
}

/** The words for a SQLite file the server cannot open: never its path, which stays in the log. */
export const SQLITE_CANNOT_OPEN_MESSAGE =
  'The database cannot be opened on this server: it has not been set up, or its file cannot be read. `npm start` sets it up; try again once it has.';

/** The SQLite file cannot be opened: unavailable like an unreachable server, in its own words. */
export class DatabaseNotSetUpError extends DatabaseUnavailableError {
  constructor() {
    super();
    this.message = SQLITE_CANNOT_OPEN_MESSAGE;
    this.name = 'DatabaseNotSetUpError';
  }
}

/**
 * The error a user should see when SQLite cannot open the database file (a server started
 * by hand before `npm start` or `npm run db:migrate` made it, or a file it may not read):
 * the database is unavailable, so the request answers 503 rather than 500.
 */
export function sqliteOpenFailure(error: unknown): unknown {
  if ((error as { code?: unknown } | null)?.code !== 'SQLITE_CANTOPEN') return error;
  console.error('SQLite could not open the database file:', error);
  const failure = new DatabaseNotSetUpError();
  (failure as { digest?: string }).digest = DATABASE_UNAVAILABLE_DIGEST;
  noteDatabaseUnavailable({ message: SQLITE_CANNOT_OPEN_MESSAGE });
  return failure;
}

// Prisma's codes for the same (its client reads claims, documents and derivations):
// cannot reach, timed out, connection closed, no connection free in the pool.
const PRISMA_UNAVAILABLE = new Set(['P1001', 'P1002', 'P1017', 'P2024']);
const ADAPTER_UNAVAILABLE = new Set([
  'DatabaseNotReachable',
  'ConnectionClosed',
  'SocketTimeout',
  'TooManyConnections',
]);

/** The SQLSTATE or socket code under a Prisma driver adapter's error, if any. */
function adapterCause(error: unknown): { kind?: unknown; originalCode?: unknown } | undefined {
  const meta = (error as { meta?: { driverAdapterError?: { cause?: unknown } } } | null)?.meta;
  return meta?.driverAdapterError?.cause as { kind?: unknown; originalCode?: unknown } | undefined;
}

function classify(error: unknown): unknown {
  if (error instanceof DatabaseBusyError || error instanceof DiskFullError) return error;
  const e = error as { code?: unknown; message?: unknown } | null;
  const cause = adapterCause(error);
  if (
    (typeof e?.code === 'string' && PRISMA_UNAVAILABLE.has(e.code)) ||
    (typeof cause?.kind === 'string' && ADAPTER_UNAVAILABLE.has(cause.kind))
  )
    return new DatabaseUnavailableError();
  const code =
    typeof cause?.originalCode === 'string'
      ? cause.originalCode
      : typeof e?.code === 'string'
        ? e.code
        : '';
  const message = typeof e?.message === 'string' ? e.message : '';
  if (BUSY_STATES.has(code)) return new DatabaseBusyError();
  // disk_full: the server's volume, as SQLITE_FULL is the file's.
  if (code === '53100') return new DiskFullError();
  if (
    UNAVAILABLE_STATES.has(code) ||
    SOCKET_CODES.has(code) ||
    /timeout exceeded when trying to connect|Connection terminated|connection timeout/i.test(
      message,
    )
  ) {
    return new DatabaseUnavailableError();
  }
  return error;
}

/** Whether a failed transaction may simply be run again: a lost race, not a mistake. */
export function isRetryable(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  // 23505: two writers created the same source or entity at once; the retry sees it.
  return code === '40001' || code === '40P01' || code === '23505';
}
