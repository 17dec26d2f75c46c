// A request that failed because the database could not be reached, or was too busy to
// answer, gets 503 with Retry-After, as the write routes answer (lib/api/routes.ts), not the
// bare 500 Next.js gives any error nobody caught: pages, the read API and downloads
// alike, without a try/catch in each of them. The stores note such a failure
// (lib/db/failures.ts) in the context of the request it happened in (an
// AsyncLocalStorage entered by the request gate, lib/web/request-gate.ts), and when that
// request's head is written with 500 it is turned into a 503: a page keeps the error
// page Next.js rendered (app/error.tsx tells a database failure by its digest), any
// other response gets the failure's message as JSON, like the write routes' errors.
// A download must meet the failure before its head is written (lib/export/responses.ts
// waits for the first chunk), since a status cannot change once bytes are out.
import { AsyncLocalStorage } from 'node:async_hooks';
import type http from 'node:http';

export { DATABASE_UNAVAILABLE_DIGEST } from './unavailable-digest';

/** Seconds a client is asked to wait, as the write routes ask. */
export const RETRY_AFTER_SECONDS = 2;

type RequestState = { failure: { message: string } | null };

// One per process: Next.js bundles this module once for instrumentation.ts (the gate)
// and again for the routes and pages (the stores), and both must share the context.
const shared = globalThis as unknown as {
  [key: symbol]: AsyncLocalStorage<RequestState> | undefined;
};
const KEY = Symbol.for('sourced.databaseUnavailable.requests');
const requests = (shared[KEY] ??= new AsyncLocalStorage<RequestState>());

/** Records that the current request met an unreachable or busy database. */
export function noteDatabaseUnavailable(failure: { message: string }): void {
  const state = requests.getStore();
  if (state && !state.failure) state.failure = failure;
}

/** The JSON body of a 503 that replaces a response without one of its own. */
export function unavailableBody(failure: { message: string }): string {
  return JSON.stringify({ error: failure.message });
}

type Head = (
  this: http.ServerResponse,
  statusCode: number,
  ...rest: unknown[]
) => http.ServerResponse;
type Write = (this: http.ServerResponse, ...args: unknown[]) => boolean;
type End = (this: http.ServerResponse, ...args: unknown[]) => http.ServerResponse;

/** Sets headers passed to writeHead (an object, or a flat list of names and values). */
function setHeaders(res: http.ServerResponse, headers: unknown) {
  if (Array.isArray(headers)) {
    for (let i = 0; i + 1 < headers.length; i += 2)
      res.appendHeader(String(headers[i]), headers[i + 1] as string);
  } else if (headers && typeof headers === 'object') {
    for (const [name, value] of Object.entries(headers))
      if (value !== undefined) res.setHeader(name, value as string);
  }
}

/**
 * Runs `handle` (the server's handling of one request) in a context of its own, and
 * answers 503 in place of that request's 500 when the database failed it.
 */
export function answerUnavailable<T>(res: http.ServerResponse, handle: () => T): T {
  const state: RequestState = { failure: null };
  const writeHead = res.writeHead as unknown as Head;
  const write = res.write as unknown as Write;
  const end = res.end as unknown as End;
  const failing = () => !res.headersSent && res.statusCode === 500 && state.failure !== null;
  // The JSON that replaces the body, once the head said so.
  let replacement: string | null = null;

  (res as unknown as { writeHead: Head }).writeHead = function (statusCode, ...rest) {
    if (statusCode !== 500 || !state.failure || this.headersSent)
      return writeHead.call(this, statusCode, ...rest);
    setHeaders(this, rest[rest.length - 1]);
    this.statusMessage = 'Service Unavailable';
    this.setHeader('Retry-After', String(RETRY_AFTER_SECONDS));
    this.setHeader('Cache-Control', 'no-store');
    if (!/^text\/html/i.test(String(this.getHeader('content-type') ?? ''))) {
      replacement = unavailableBody(state.failure);
      for (const name of ['content-encoding', 'transfer-encoding', 'etag']) this.removeHeader(name);
      this.setHeader('Content-Type', 'application/json; charset=utf-8');
      this.setHeader('Content-Length', Buffer.byteLength(replacement));
    }
    return writeHead.call(this, 503);
  };
  // Writing the body writes the head first: decided here, before the first byte.
  (res as unknown as { write: Write }).write = function (...args) {
    if (failing()) this.writeHead(500);
    if (replacement !== null) {
      const callback = args.find((a) => typeof a === 'function') as (() => void) | undefined;
      callback?.();
      return true;
    }
    return write.apply(this, args);
  };
  (res as unknown as { end: End }).end = function (...args) {
    if (failing()) this.writeHead(500);
    if (replacement !== null) {
      const callback = args.find((a) => typeof a === 'function');
      const body = replacement;
      replacement = '';
      return end.call(this, body, callback);
    }
    return end.apply(this, args);
  };
  return requests.run(state, handle);
}
