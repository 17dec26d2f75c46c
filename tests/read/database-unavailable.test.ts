// A read that the database fails answers 503 with Retry-After, never Next.js's bare
// 500: the request gate gives each request a context, the store notes the failure in
// it, and the 500 is rewritten as its head goes out. Here behind a plain HTTP server
// with the gate installed, its handlers answering as Next.js does (status code set,
// then the body piped or ended).
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RETRY_AFTER_SECONDS } from '@/lib/db/unavailable';
import { installRequestGate } from '@/lib/web/request-gate';
import Database from 'better-sqlite3';
import { postgresFailure, sqliteOpenFailure, SQLITE_CANNOT_OPEN_MESSAGE } from '@/lib/db/failures';

/** What better-sqlite3 throws for a database file that is not there (read-only open). */
function cannotOpen(): unknown {
  try {
    new Database(path.join(os.tmpdir(), `sourced-missing-${process.pid}.db`), { readonly: true });
  } catch (error) {
    return error;
  }
  throw new Error('opened a file that does not exist');
}

/** What a pg connection attempt to a closed port rejects with. */
const refused = () =>
  Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });

type Handler = (res: http.ServerResponse) => Promise<void>;

// Each path fails (or not) as a kind of Next.js response would.
const handlers: Record<string, Handler> = {
  // A route handler that threw: Next.js sends `new Response(null, { status: 500 })`.
  async '/api/route'(res) {
    await new Promise((r) => setTimeout(r, 5));
    postgresFailure(refused());
    res.statusCode = 500;
    res.statusMessage = 'Internal Server Error';
    res.end();
  },
  // A page that threw: the error page's HTML, streamed in pieces.
  async '/page'(res) {
    await Promise.resolve().then(() => postgresFailure(refused()));
    res.statusCode = 500;
    res.setHeader('Content-Type', 'text/html; charset=utf-8');
    res.write('<!DOCTYPE html><h1>The database is not answering</h1>');
    res.end('<p>try again</p>');
  },
  // A head written in one call, with its headers.
  async '/explicit'(res) {
    postgresFailure(Object.assign(new Error('too many clients'), { code: '53300' }));
    res.writeHead(500, { 'Content-Type': 'text/plain', 'Content-Length': '5' });
    res.end('oops!');
  },
  // A SQLite file the server cannot open (a server started before the database was set up).
  async '/no-file'(res) {
    const failure = sqliteOpenFailure(cannotOpen());
    res.statusCode = 500;
    res.end(String(failure));
  },
  // A lock that was not granted in time: busy, not unreachable.
  async '/busy'(res) {
    postgresFailure(Object.assign(new Error('canceling statement'), { code: '57014' }));
    res.statusCode = 500;
    res.end();
  },
  // A 500 for another reason stays a 500.
  async '/bug'(res) {
    postgresFailure(Object.assign(new Error('syntax error'), { code: '42601' }));
    res.statusCode = 500;
    res.end();
  },
  // A failure that was handled (a fallback answered) leaves the answer alone.
  async '/handled'(res) {
    postgresFailure(refused());
    res.statusCode = 200;
    res.setHeader('Content-Type', 'application/json');
    res.end('{"ok":true}');
  },
};

describe('a request the database failed', () => {
  let server: http.Server;
  let base: string;
  beforeAll(async () => {
    installRequestGate();
    server = http.createServer((req, res) => {
      void handlers[req.url ?? '']?.(res);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('answers 503 with Retry-After and the reason as JSON, in place of a route’s 500', async () => {
    const res = await fetch(`${base}/api/route`);
    expect(res.status).toBe(503);
    expect(res.statusText).toBe('Service Unavailable');
    expect(res.headers.get('retry-after')).toBe(String(RETRY_AFTER_SECONDS));
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await res.json()).toEqual({
      error: 'The database server cannot be reached right now. Try again shortly.',
    });
  });

  it('keeps a page’s error page, with 503 and Retry-After', async () => {
    const res = await fetch(`${base}/page`);
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe(String(RETRY_AFTER_SECONDS));
    expect(await res.text()).toBe(
      '<!DOCTYPE html><h1>The database is not answering</h1><p>try again</p>',
    );
  });

  it('replaces a body that is not a page, whatever the head said', async () => {
    const res = await fetch(`${base}/explicit`);
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({
      error: 'The database server cannot be reached right now. Try again shortly.',
    });
    const busy = await fetch(`${base}/busy`);
    expect(busy.status).toBe(503);
    expect(await busy.json()).toEqual({
      error: 'The database is too busy to answer right now. Try again shortly.',
    });
  });

  it('answers 503 when SQLite cannot open the file, without its path', async () => {
    const res = await fetch(`${base}/no-file`);
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe(String(RETRY_AFTER_SECONDS));
    const body = (await res.json()) as { error: string };
    expect(body).toEqual({ error: SQLITE_CANNOT_OPEN_MESSAGE });
    expect(body.error).not.toContain('sourced-missing');
    // Any other SQLite error is not a missing database.
    const other = Object.assign(new Error('no such table'), { code: 'SQLITE_ERROR' });
    expect(sqliteOpenFailure(other)).toBe(other);
  });

  it('leaves other failures and handled ones as they were, each request on its own', async () => {
    const [bug, handled, route] = (await Promise.all(
      ['/bug', '/handled', '/api/route'].map((p) => fetch(`${base}${p}`)),
    )) as [Response, Response, Response];
    expect(bug.status).toBe(500);
    expect(handled.status).toBe(200);
    expect(await handled.json()).toEqual({ ok: true });
    expect(route.status).toBe(503);
  });
});
