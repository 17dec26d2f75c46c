import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';

// Stands in for the request scope that `cookies()` needs inside Next.js.
const cookieJar = vi.hoisted(() => new Map<string, string>());
const headerJar = vi.hoisted(() => new Map<string, string>());
vi.mock('next/headers', () => ({
  headers: async () => new Headers([...headerJar]),
  cookies: async () => ({
    get: (name: string) => {
      const value = cookieJar.get(name);
      return value === undefined ? undefined : { name, value };
    },
  }),
}));

import {
  SESSION_COOKIE,
  authErrorResponse,
  authorizeRequest,
  configuredEditorToken,
  isEditor,
  isHttps,
  isOpenSession,
  editorActionAuth,
  safeNextPath,
  sessionCookie,
  sessionValue,
  tokensMatch,
  type AuthorizeOptions,
} from '@/lib/web/auth';
import { signedSessionId } from '@/lib/web/session';
import {
  createEditorSession,
  revokeAllEditorSessions,
  revokeEditorSession,
} from '@/lib/web/editor-sessions';
import { createScratchDb, type ScratchDb } from '../support/scratch-db';

const TOKEN = 'test-editor-token-0123456789';
const SITE = 'http://localhost:3000';

// lib/auth reads the token from process.env on every call; each test sets its own.
// The session table, on the store the tests run on (SQLite, or PostgreSQL with TEST_DATABASE).
let scratch: ScratchDb;
let sessionId: string;
beforeAll(async () => {
  scratch = await createScratchDb();
  sessionId = (await createEditorSession(scratch.store)).id;
});
afterAll(() => scratch.cleanup());

const check = (request: Request, options: AuthorizeOptions = {}) =>
  authorizeRequest(request, options, scratch.store);

const saved = { token: process.env.SOURCED_EDITOR_TOKEN, url: process.env.DATABASE_URL };
let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sourced-auth-'));
  process.env.DATABASE_URL = `file:${path.join(dir, 'sourced.db')}`;
  process.env.SOURCED_EDITOR_TOKEN = TOKEN;
  cookieJar.clear();
  headerJar.clear();
});
afterEach(() => {
  for (const [key, value] of [
    ['SOURCED_EDITOR_TOKEN', saved.token],
    ['DATABASE_URL', saved.url],
  ] as const) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  fs.rmSync(dir, { recursive: true, force: true });
});

function request(
  headers: Record<string, string>,
  { method = 'POST', url = `${SITE}/api/indicators` } = {},
): Request {
  return new Request(url, { method, headers: { host: 'localhost:3000', ...headers } });
}

const json = { 'content-type': 'application/json' };
const cookie = () => ({ cookie: `other=1; ${SESSION_COOKIE}=${sessionValue(TOKEN, sessionId)}` });

describe('tokensMatch', () => {
  it('accepts only the identical token, whatever the lengths', async () => {
    expect(tokensMatch(TOKEN, TOKEN)).toBe(true);
    expect(tokensMatch(TOKEN, `${TOKEN}x`)).toBe(false);
    expect(tokensMatch(TOKEN, TOKEN.slice(0, -1))).toBe(false);
    expect(tokensMatch('', TOKEN)).toBe(false);
  });
});

describe('the session cookie', () => {
  it('holds a random id signed with the token, not the token, and fails when the token changes', async () => {
    const value = sessionValue(TOKEN, sessionId);
    expect(value).not.toContain(TOKEN);
    expect(value).toMatch(/^[A-Za-z0-9_-]{43}\.[A-Za-z0-9_-]{43}$/);
    expect(value.startsWith(`${sessionId}.`)).toBe(true);
    expect(sessionValue(`${TOKEN}-rotated`, sessionId)).not.toBe(value);
    expect(signedSessionId(value)).toBe(sessionId);
    expect(await isOpenSession(value, scratch.store)).toBe(true);

    process.env.SOURCED_EDITOR_TOKEN = `${TOKEN}-rotated`;
    expect(signedSessionId(value)).toBeNull();
    expect(await isOpenSession(value, scratch.store)).toBe(false);
  });

  it("refuses the raw token, anything empty, and an id under another id's signature", async () => {
    const other = (await createEditorSession(scratch.store)).id;
    const forged = `${other}.${sessionValue(TOKEN, sessionId).split('.')[1]}`;
    for (const value of [TOKEN, '', undefined, forged, `${sessionId}.`, sessionId]) {
      expect(signedSessionId(value)).toBeNull();
      expect(await isOpenSession(value, scratch.store)).toBe(false);
    }
  });

  it('is HttpOnly, SameSite=Lax, site-wide, and Secure only when asked', () => {
    expect(sessionCookie(TOKEN, sessionId, true)).toEqual({
      name: 'sourced_editor',
      value: sessionValue(TOKEN, sessionId),
      httpOnly: true,
      sameSite: 'lax',
      secure: true,
      path: '/',
      maxAge: 60 * 60 * 24 * 30,
    });
    expect(sessionCookie(TOKEN, sessionId, false).secure).toBe(false);
  });

  it('is Secure behind https, told by the proxy or by the URL', async () => {
    // Server actions have no URL: X-Forwarded-Proto is what Next.js set from the socket
    // (the request gate drops a client's own unless a proxy is trusted).
    expect(isHttps(new Headers({ 'x-forwarded-proto': 'https' }))).toBe(true);
    expect(isHttps(new Headers({ 'x-forwarded-proto': 'https,http' }))).toBe(true);
    // A trusted proxy's word beats the URL; an untrusted header does not.
    expect(isHttps(new Headers({ 'x-forwarded-proto': 'http' }), 'https://x/', 1)).toBe(false);
    expect(isHttps(new Headers({ 'x-forwarded-proto': 'https' }), 'http://x/', 1)).toBe(true);
    expect(isHttps(new Headers({ 'x-forwarded-proto': 'https' }), 'http://x/', 0)).toBe(false);
    expect(isHttps(new Headers(), 'https://example.org/login')).toBe(true);
    expect(isHttps(new Headers(), 'http://example.org/login')).toBe(false);
    expect(isHttps(new Headers())).toBe(false);
  });
});

describe('authorizeRequest', () => {
  it('accepts the right Bearer token without an Origin', async () => {
    expect(await check(request({ authorization: `Bearer ${TOKEN}`, ...json }))).toEqual({
      ok: true,
      via: 'bearer',
    });
  });

  it('refuses a wrong Bearer token with 401 and no hint', async () => {
    const auth = await check(request({ authorization: `Bearer ${TOKEN}x`, ...json }));
    expect(auth).toEqual({ ok: false, status: 401, error: 'Unauthorized' });
    // Same answer as for no credentials at all, and for another scheme.
    expect(await check(request(json))).toEqual(auth);
    expect(await check(request({ authorization: `Basic ${TOKEN}`, ...json }))).toEqual(auth);
    // A wrong Bearer token is not rescued by a valid cookie.
    expect(
      await check(request({ authorization: 'Bearer nope', origin: SITE, ...cookie(), ...json })),
    ).toEqual(auth);

    if (auth.ok) throw new Error('unreachable');
    const response = authErrorResponse(auth);
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe('Bearer');
    expect(await response.json()).toEqual({ error: 'Unauthorized' });
  });

  it('accepts the session cookie from the same origin', async () => {
    expect(await check(request({ origin: SITE, ...cookie(), ...json }))).toEqual({
      ok: true,
      via: 'cookie',
    });
  });

  it('works out its own origin from the proxy headers, when told a proxy sets them', async () => {
    const proxied = {
      host: 'internal:3000',
      'x-forwarded-host': 'sourced.example.org',
      'x-forwarded-proto': 'https',
    };
    const ok = () =>
      request({ origin: 'https://sourced.example.org', ...proxied, ...cookie(), ...json });
    // Without SOURCED_TRUST_PROXY the headers are the client's own words: ignored.
    expect(await check(ok())).toMatchObject({ ok: false, status: 403 });
    process.env.SOURCED_TRUST_PROXY = '1';
    try {
      expect(await check(ok())).toEqual({ ok: true, via: 'cookie' });
      const plain = request({ origin: 'http://sourced.example.org', ...proxied, ...cookie() });
      expect(await check(plain)).toMatchObject({ ok: false, status: 403 });
    } finally {
      delete process.env.SOURCED_TRUST_PROXY;
    }
  });

  it('accepts the configured public URL as its own origin', async () => {
    process.env.SOURCED_PUBLIC_URL = 'https://data.example.org';
    try {
      const write = request({ origin: 'https://data.example.org', ...cookie(), ...json });
      expect(await check(write)).toEqual({ ok: true, via: 'cookie' });
    } finally {
      delete process.env.SOURCED_PUBLIC_URL;
    }
  });

  it('refuses a cookie sent from another origin with 403', async () => {
    const auth = await check(request({ origin: 'https://evil.example', ...cookie(), ...json }));
    expect(auth).toEqual({ ok: false, status: 403, error: 'Cross-origin request refused' });
    if (auth.ok) throw new Error('unreachable');
    const response = authErrorResponse(auth);
    expect(response.status).toBe(403);
    expect(response.headers.get('www-authenticate')).toBeNull();
    // Another port is another origin.
    expect(
      await check(request({ origin: 'http://localhost:4000', ...cookie(), ...json })),
    ).toMatchObject({ status: 403 });
  });

  it('refuses a cookie-authenticated write without an Origin with 403', async () => {
    expect(await check(request({ ...cookie(), ...json }))).toMatchObject({ status: 403 });
    expect(await check(request({ origin: 'null', ...cookie(), ...json }))).toMatchObject({
      status: 403,
    });
  });

  it('does not need an Origin for a cookie-authenticated read', async () => {
    expect(await check(request(cookie(), { method: 'GET' }))).toEqual({
      ok: true,
      via: 'cookie',
    });
  });

  it('refuses requests without credentials with 401', async () => {
    expect(await check(request({ origin: SITE, ...json }))).toMatchObject({ status: 401 });
    expect(
      await check(request({ cookie: `${SESSION_COOKIE}=${TOKEN}`, origin: SITE, ...json })),
    ).toMatchObject({ status: 401 });
  });

  it('refuses everyone when no token is configured', async () => {
    delete process.env.SOURCED_EDITOR_TOKEN;
    expect(configuredEditorToken()).toBeNull();
    expect(await check(request({ authorization: `Bearer ${TOKEN}`, ...json }))).toMatchObject({
      status: 401,
    });
  });

  it('refuses other content types with 415, after authentication', async () => {
    const bearer = { authorization: `Bearer ${TOKEN}` };
    const form = request({ ...bearer, 'content-type': 'application/x-www-form-urlencoded' });
    const auth = await check(form);
    expect(auth).toMatchObject({ ok: false, status: 415 });
    if (auth.ok) throw new Error('unreachable');
    expect(auth.error).toContain('application/json');
    expect(auth.error).toContain('text/csv');
    expect(await check(request(bearer))).toMatchObject({ status: 415 });
    // Authentication is checked first, so strangers learn nothing about the endpoint.
    expect(await check(request({ 'content-type': 'text/plain' }))).toMatchObject({
      status: 401,
    });
    // Parameters and case do not matter.
    expect(await check(request({ ...bearer, 'content-type': 'Text/CSV; charset=utf-8' }))).toEqual({
      ok: true,
      via: 'bearer',
    });
  });

  it('accepts multipart only where the endpoint asks for it', async () => {
    const upload = () =>
      request({
        authorization: `Bearer ${TOKEN}`,
        'content-type': 'multipart/form-data; boundary=----x',
      });
    expect(await check(upload())).toMatchObject({ status: 415 });
    expect(
      await check(upload(), {
        contentTypes: ['application/json', 'text/csv', 'multipart/form-data'],
      }),
    ).toEqual({ ok: true, via: 'bearer' });
  });

  it('checks no content type on reads unless asked to', async () => {
    const bearer = { authorization: `Bearer ${TOKEN}` };
    expect(await check(request(bearer, { method: 'GET' }))).toEqual({
      ok: true,
      via: 'bearer',
    });
    expect(await check(request(bearer), { requireContentType: false })).toEqual({
      ok: true,
      via: 'bearer',
    });
    expect(
      await check(request(bearer, { method: 'GET' }), { requireContentType: true }),
    ).toMatchObject({ status: 415 });
  });
});

describe('the session table', () => {
  const write = (id: string) =>
    request({ origin: SITE, cookie: `${SESSION_COOKIE}=${sessionValue(TOKEN, id)}`, ...json });

  it('refuses a logged-out session like no session, though its cookie is still signed', async () => {
    const { id } = await createEditorSession(scratch.store);
    expect(await check(write(id))).toEqual({ ok: true, via: 'cookie' });
    expect(await revokeEditorSession(scratch.store, id)).toBe(true);
    // A copy of the cookie taken before the logout: the signature holds, the session does not.
    expect(signedSessionId(sessionValue(TOKEN, id))).toBe(id);
    expect(await check(write(id))).toEqual({ ok: false, status: 401, error: 'Unauthorized' });
    expect(await check(write(id))).toEqual(await check(request({ origin: SITE, ...json })));
    cookieJar.set(SESSION_COOKIE, sessionValue(TOKEN, id));
    headerJar.set('host', 'localhost:3000');
    headerJar.set('origin', SITE);
    expect(await isEditor(scratch.store)).toBe(false);
    expect(await editorActionAuth(scratch.store)).toMatchObject({ ok: false, reason: 'login' });
    // Logging out twice changes nothing.
    expect(await revokeEditorSession(scratch.store, id)).toBe(false);
  });

  it('refuses an expired session, and a signed id that was never opened', async () => {
    const longAgo = new Date(Date.now() - 31 * 24 * 60 * 60 * 1000);
    const { id, expiresAt } = await createEditorSession(scratch.store, longAgo);
    expect(expiresAt.getTime()).toBeLessThan(Date.now());
    expect(await check(write(id))).toMatchObject({ ok: false, status: 401 });
    const stranger = 'A'.repeat(43);
    expect(await check(write(stranger))).toMatchObject({ ok: false, status: 401 });
  });

  it('is read at every check, so a logout through another server is seen at once', async () => {
    // A second server on the same database: its own store, its own connections.
    const { openStore } = await import('@/lib/store');
    const other = openStore(scratch.url);
    try {
      const { id } = await createEditorSession(other);
      expect(await check(write(id))).toEqual({ ok: true, via: 'cookie' });
      await revokeEditorSession(other, id);
      expect(await check(write(id))).toMatchObject({ ok: false, status: 401 });
    } finally {
      await other.close();
    }
  });

  it('logs every session out at once, and a new login still works', async () => {
    const a = (await createEditorSession(scratch.store)).id;
    const b = (await createEditorSession(scratch.store)).id;
    expect(await revokeAllEditorSessions(scratch.store)).toBeGreaterThanOrEqual(2);
    for (const id of [a, b, sessionId]) {
      expect(await check(write(id))).toMatchObject({ ok: false, status: 401 });
    }
    sessionId = (await createEditorSession(scratch.store)).id;
    expect(await check(write(sessionId))).toEqual({ ok: true, via: 'cookie' });
  });

  it('answers a form, not an exception, when the session table cannot be read', async () => {
    cookieJar.set(SESSION_COOKIE, sessionValue(TOKEN, sessionId));
    const { DatabaseBusyError } = await import('@/lib/db/errors');
    const busy = {
      ...scratch.store,
      read: async () => {
        throw new DatabaseBusyError();
      },
    } as typeof scratch.store;
    expect(await editorActionAuth(busy)).toMatchObject({
      ok: false,
      reason: 'failed',
      message: expect.stringMatching(/busy/i),
    });
  });
});

describe('checks for pages and server actions', () => {
  it('recognise the editor by the session cookie', async () => {
    headerJar.set('host', 'localhost:3000');
    headerJar.set('origin', SITE);
    expect(await isEditor(scratch.store)).toBe(false);
    // An answer the form can show, not an exception (a 500 and a stack trace).
    expect(await editorActionAuth(scratch.store)).toEqual({
      ok: false,
      reason: 'login',
      message: expect.stringContaining('not logged in as editor'),
    });

    cookieJar.set(SESSION_COOKIE, TOKEN);
    expect(await isEditor(scratch.store)).toBe(false);

    cookieJar.set(SESSION_COOKIE, sessionValue(TOKEN, sessionId));
    expect(await isEditor(scratch.store)).toBe(true);
    expect(await editorActionAuth(scratch.store)).toEqual({ ok: true });
  });

  it('refuse an action that writes unless it comes from this site', async () => {
    cookieJar.set(SESSION_COOKIE, sessionValue(TOKEN, sessionId));
    headerJar.set('host', 'localhost:3000');
    for (const origin of [undefined, 'null', 'https://evil.example', 'http://localhost:4000']) {
      if (origin === undefined) headerJar.delete('origin');
      else headerJar.set('origin', origin);
      expect(await editorActionAuth(scratch.store)).toMatchObject({ ok: false, reason: 'origin' });
    }
    // A proxy's X-Forwarded-Host counts only when the operator says a proxy sets it.
    headerJar.set('x-forwarded-host', 'evil.example');
    headerJar.set('origin', 'http://evil.example');
    expect(await editorActionAuth(scratch.store)).toMatchObject({ ok: false, reason: 'origin' });
    process.env.SOURCED_TRUST_PROXY = '1';
    try {
      expect(await editorActionAuth(scratch.store)).toEqual({ ok: true });
    } finally {
      delete process.env.SOURCED_TRUST_PROXY;
    }
    headerJar.delete('x-forwarded-host');
    headerJar.set('origin', SITE);
    expect(await editorActionAuth(scratch.store)).toEqual({ ok: true });
  });
});

describe('safeNextPath', () => {
  it('keeps paths on this site', async () => {
    expect(safeNextPath('/indicators/gdp?range=10y#chart')).toBe('/indicators/gdp?range=10y#chart');
    expect(safeNextPath('/')).toBe('/');
  });

  it('sends everything else home', async () => {
    for (const next of [
      undefined,
      null,
      '',
      'indicators',
      'https://evil.example/',
      '//evil.example/',
      '/\\evil.example/',
      '/\t/evil.example/',
      'javascript:alert(1)',
      // Dot segments and encoded dots collapse into `//` only once the URL is resolved.
      '/.//evil.example',
      '/%2e//evil.example',
      '/%2E//evil.example',
      '/./%2e//evil.example',
      '/a/..//evil.example',
      '/a/%2e%2e//evil.example',
      // Backslashes are slashes to a browser.
      '/\\evil.example',
      '\\\\evil.example',
      '/.\\/evil.example',
      '/%2e\\/evil.example',
      // Protocol-relative and absolute URLs, however they are spelled.
      '///evil.example',
      '/\n/evil.example',
      '/\r\n/evil.example',
      'http://evil.example/',
      'HTTPS://evil.example/',
      'http:evil.example',
      '/http://evil.example/'.slice(1),
    ]) {
      const path = safeNextPath(next);
      expect(path, String(next)).toBe('/');
    }
  });

  it('never returns what a browser would read as another site', async () => {
    const base = 'https://sourced.example.org';
    for (const next of ['/ok', '/..', '/%2e%2e/%2e%2e/x', '/a/./b/../c?x=//y#//z', '/%2F%2Fevil']) {
      const path = safeNextPath(next);
      expect(path.startsWith('/') && !path.startsWith('//')).toBe(true);
      expect(new URL(path, base).origin).toBe(base);
    }
    expect(safeNextPath('/a/./b/../c?x=//y#//z')).toBe('/a/c?x=//y#//z');
    expect(safeNextPath('/%2F%2Fevil')).toBe('/%2F%2Fevil');
  });
});
