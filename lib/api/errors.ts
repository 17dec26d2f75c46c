// One failure type from the store to the response. Whatever goes wrong in a request —
// a body over its limit, a form that does not validate, a write the data refuses, a
// busy or unreachable database, a full disk, a worker that died — is one `Failure`,
// found by one table (`failureOf`), and answered one way per audience: JSON with its
// status for route handlers (`withFailures`), a message and field errors for server
// actions (`formFailure`), a message and exit code for the command line (`exitCodeOf`).
// A 5xx is for the server's own trouble only; anything the caller can fix is a 4xx
// naming the field and the reason, and nothing is written then.
import { ZodError } from 'zod';
import { DatabaseBusyError, DiskFullError } from '../db/errors';
import { DatabaseNotSetUpError, DatabaseUnavailableError } from '../db/failures';
import { WriteRefused } from '../documents/writes';
import { fieldErrors, type FieldError } from '../schemas';
import { PayloadTooLargeError } from '../write/payload-too-large';
import type { WriteOutcome } from '../write/write-job';

export type FailureKind =
  | 'invalid' // the request's shape: 400 naming field and reason
  | 'refused' // the data says no (unknown source, conflicting unit): 400, 404 or 409
  | 'not-found'
  | 'too-large' // 413
  | 'busy' // locked or busy: 503, retry shortly
  | 'unavailable' // the database server cannot be reached: 503, retry shortly
  | 'not-set-up' // the SQLite file cannot be opened: 503, its own words to readers too
  | 'disk-full' // 507
  | 'abandoned' // the client went away; nobody reads the answer
  | 'failed'; // the server's own fault: 500, logged

export type Failure = {
  kind: FailureKind;
  status: number;
  message: string;
  errors?: FieldError[];
  /** Seconds, for a 503. */
  retryAfter?: number;
};

/** A failure thrown as it is meant to be answered. */
export class RequestFailure extends Error {
  constructor(readonly failure: Failure) {
    super(failure.message);
    this.name = 'RequestFailure';
  }
}

export const RETRY_AFTER_SECONDS = 2;
const NOTHING_SAVED = 'The write failed; nothing was saved.';

export const failure = {
  invalid: (errors: FieldError[], message = 'The request is not valid'): Failure => ({
    kind: 'invalid',
    status: 400,
    message,
    errors,
  }),
  notFound: (message: string): Failure => ({ kind: 'not-found', status: 404, message }),
  status: (status: number, message: string, errors?: FieldError[]): Failure => ({
    kind: status === 404 ? 'not-found' : status === 413 ? 'too-large' : 'invalid',
    status,
    message,
    ...(errors ? { errors } : {}),
  }),
};

/** The table: any error a request can meet, as the one failure it is answered with. */
export function failureOf(error: unknown): Failure {
  if (error instanceof RequestFailure) return error.failure;
  if (error instanceof PayloadTooLargeError)
    return { kind: 'too-large', status: 413, message: error.message };
  if (error instanceof ZodError) return failure.invalid(fieldErrors(error));
  if (error instanceof WriteRefused)
    return {
      kind: error.status === 404 ? 'not-found' : 'refused',
      status: error.status,
      message: 'The request was refused; nothing was saved.',
      errors: error.errors,
    };
  if (error instanceof DiskFullError)
    return { kind: 'disk-full', status: 507, message: error.message };
  if (error instanceof DatabaseNotSetUpError)
    return {
      kind: 'not-set-up',
      status: 503,
      message: error.message,
      retryAfter: RETRY_AFTER_SECONDS,
    };
  if (error instanceof DatabaseUnavailableError)
    return {
      kind: 'unavailable',
      status: 503,
      message: error.message,
      retryAfter: RETRY_AFTER_SECONDS,
    };
  if (error instanceof DatabaseBusyError)
    return { kind: 'busy', status: 503, message: error.message, retryAfter: RETRY_AFTER_SECONDS };
  console.error(error);
  return { kind: 'failed', status: 500, message: NOTHING_SAVED };
}

/** A write worker's outcome that is not a success, as its failure. */
export function failureOfOutcome(outcome: WriteOutcome & { ok: false }): Failure {
  switch (outcome.kind) {
    case 'busy':
      return {
        kind: 'busy',
        status: 503,
        message: outcome.message,
        retryAfter: RETRY_AFTER_SECONDS,
      };
    case 'disk-full':
      return { kind: 'disk-full', status: 507, message: outcome.message };
    case 'refused':
      return failureOf(new WriteRefused(outcome.status, outcome.errors));
    case 'invalid':
      return failure.status(outcome.status, outcome.error, outcome.errors);
    case 'failed':
      return /abandoned/.test(outcome.message)
        ? { kind: 'abandoned', status: 499, message: outcome.message }
        : { kind: 'failed', status: 500, message: outcome.message };
  }
}

/** A failure as a JSON response: `{ error, errors? }`, with Retry-After on a 503. */
export function failureResponse(f: Failure): Response {
  const headers: Record<string, string> = {};
  if (f.retryAfter !== undefined) headers['Retry-After'] = String(f.retryAfter);
  // 499 is nginx's "client closed request": nobody is there to read it.
  return Response.json(
    { error: f.message, ...(f.errors ? { errors: f.errors } : {}) },
    { status: f.status, headers },
  );
}

/**
 * The same failure told to a reader: a read saves nothing, so its words say only what
 * to do (the ones the request gate gives a page that met the same failure).
 */
export function readFailure(f: Failure): Failure {
  switch (f.kind) {
    case 'unavailable':
      return {
        ...f,
        message: 'The database server cannot be reached right now. Try again shortly.',
      };
    case 'busy':
      return { ...f, message: 'The database is too busy to answer right now. Try again shortly.' };
    case 'failed':
      return { ...f, message: 'Something went wrong on the server. Try again shortly.' };
    default:
      return f;
  }
}

/** A read route handler whose every failure is answered by the table, in a reader's words. */
export function withFailures<A extends unknown[]>(
  handler: (...args: A) => Promise<Response>,
): (...args: A) => Promise<Response> {
  return async (...args) => {
    try {
      return await handler(...args);
    } catch (error) {
      return failureResponse(readFailure(failureOf(error)));
    }
  };
}

/** A server action's failure: field errors beside the form, or one message above it. */
export function formFailure(error: unknown): { errors: FieldError[]; error: string | null } {
  const f = failureOf(error);
  if (f.errors && f.errors.length > 0) return { errors: f.errors, error: null };
  return { errors: [], error: f.message };
}

/** The command line's exit code for a failure (sysexits.h): data 65, temporary 75, I/O 74. */
export function exitCodeOf(f: Failure): number {
  if (f.kind === 'invalid' || f.kind === 'refused' || f.kind === 'not-found') return 65;
  if (f.kind === 'too-large') return 65;
  if (f.kind === 'busy' || f.kind === 'unavailable' || f.kind === 'not-set-up') return 75;
  if (f.kind === 'disk-full') return 74;
  return 1;
}
