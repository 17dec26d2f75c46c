import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

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
  isValidSession,
  editorActionAuth,
  safeNextPath,
  sessionCookie,
  sessionValue,
  tokensMatch,
} from '@/lib/web/auth';

const TOKEN = 'test-editor-token-0123456789';
const SITE = 'http://localhost:3000';

// lib/auth reads the token from process.env on every call; each test sets its own.
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
const cookie = () => ({ cookie: `other=1; ${SESSION_COOKIE}=${sessionValue(TOKEN)}` });

describe('tokensMatch', () => {
  it('accepts only the identical token, whatever the lengths', () => {
    expect(tokensMatch(TOKEN, TOKEN)).toBe(true);
    expect(tokensMatch(TOKEN, `${TOKEN}x`)).toBe(false);
    expect(tokensMatch(TOKEN, TOKEN.slice(0, -1))).toBe(false);
    expect(tokensMatch('', TOKEN)).toBe(false);
  });
});

describe('the session cookie', () => {
  it('holds a value derived from the token, not the token, and changes with it', () => {
    const value = sessionValue(TOKEN);
    expect(value).not.toContain(TOKEN);
    expect(value).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(sessionValue(`${TOKEN}-rotated`)).not.toBe(value);
    expect(isValidSession(value)).toBe(true);

    process.env.SOURCED_EDITOR_TOKEN = `${TOKEN}-rotated`;
    expect(isValidSession(value)).toBe(false);
  });

  it('refuses the raw token, and anything empty', () => {
    expect(isValidSession(TOKEN)).toBe(false);
    expect(isValidSession('')).toBe(false);
    expect(isValidSession(undefined)).toBe(false);
  });

  it('is HttpOnly, SameSite=Lax, site-wide, and Secure only when asked', () => {
    expect(sessionCookie(TOKEN, true)).toEqual({
      name: 'sourced_editor',
      value: sessionValue(TOKEN),
      httpOnly: true,
      sameSite: 'lax',
      secure: true,
      path: '/',
      maxAge: 60 * 60 * 24 * 30,
    });
    expect(sessionCookie(TOKEN, false).secure).toBe(false);
  });

  it('is Secure behind https, told by the proxy or by the URL', () => {
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
  it('accepts the right Bearer token without an Origin', () => {
    expect(authorizeRequest(request({ authorization: `Bearer ${TOKEN}`, ...json }))).toEqual({
      ok: true,
      via: 'bearer',
    });
  });

  it('refuses a wrong Bearer token with 401 and no hint', async () => {
    const auth = authorizeRequest(request({ authorization: `Bearer ${TOKEN}x`, ...json }));
    expect(auth).toEqual({ ok: false, status: 401, error: 'Unauthorized' });
    // Same answer as for no credentials at all, and for another scheme.
    expect(authorizeRequest(request(json))).toEqual(auth);
    expect(authorizeRequest(request({ authorization: `Basic ${TOKEN}`, ...json }))).toEqual(auth);
    // A wrong Bearer token is not rescued by a valid cookie.
    expect(
      authorizeRequest(
        request({ authorization: 'Bearer nope', origin: SITE, ...cookie(), ...json }),
      ),
    ).toEqual(auth);

    if (auth.ok) throw new Error('unreachable');
    const response = authErrorResponse(auth);
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe('Bearer');
    expect(await response.json()).toEqual({ error: 'Unauthorized' });
  });

  it('accepts the session cookie from the same origin', () => {
    expect(authorizeRequest(request({ origin: SITE, ...cookie(), ...json }))).toEqual({
      ok: true,
      via: 'cookie',
    });
  });

  it('works out its own origin from the proxy headers, when told a proxy sets them', () => {
    const proxied = {
      host: 'internal:3000',
      'x-forwarded-host': 'sourced.example.org',
      'x-forwarded-proto': 'https',
    };
    const ok = () =>
      request({ origin: 'https://sourced.example.org', ...proxied, ...cookie(), ...json });
    // Without SOURCED_TRUST_PROXY the headers are the client's own words: ignored.
    expect(authorizeRequest(ok())).toMatchObject({ ok: false, status: 403 });
    process.env.SOURCED_TRUST_PROXY = '1';
    try {
      expect(authorizeRequest(ok())).toEqual({ ok: true, via: 'cookie' });
      const plain = request({ origin: 'http://sourced.example.org', ...proxied, ...cookie() });
      expect(authorizeRequest(plain)).toMatchObject({ ok: false, status: 403 });
    } finally {
      delete process.env.SOURCED_TRUST_PROXY;
    }
  });

  it('accepts the configured public URL as its own origin', () => {
    process.env.SOURCED_PUBLIC_URL = 'https://data.example.org';
    try {
      const write = request({ origin: 'https://data.example.org', ...cookie(), ...json });
      expect(authorizeRequest(write)).toEqual({ ok: true, via: 'cookie' });
    } finally {
      delete process.env.SOURCED_PUBLIC_URL;
    }
  });

  it('refuses a cookie sent from another origin with 403', async () => {
    const auth = authorizeRequest(
      request({ origin: 'https://evil.example', ...cookie(), ...json }),
    );
    expect(auth).toEqual({ ok: false, status: 403, error: 'Cross-origin request refused' });
    if (auth.ok) throw new Error('unreachable');
    const response = authErrorResponse(auth);
    expect(response.status).toBe(403);
    expect(response.headers.get('www-authenticate')).toBeNull();
    // Another port is another origin.
    expect(
      authorizeRequest(request({ origin: 'http://localhost:4000', ...cookie(), ...json })),
    ).toMatchObject({ status: 403 });
  });

  it('refuses a cookie-authenticated write without an Origin with 403', () => {
    expect(authorizeRequest(request({ ...cookie(), ...json }))).toMatchObject({ status: 403 });
    expect(authorizeRequest(request({ origin: 'null', ...cookie(), ...json }))).toMatchObject({
      status: 403,
    });
  });

  it('does not need an Origin for a cookie-authenticated read', () => {
    expect(authorizeRequest(request(cookie(), { method: 'GET' }))).toEqual({
      ok: true,
      via: 'cookie',
    });
  });

  it('refuses requests without credentials with 401', () => {
    expect(authorizeRequest(request({ origin: SITE, ...json }))).toMatchObject({ status: 401 });
    expect(
      authorizeRequest(request({ cookie: `${SESSION_COOKIE}=${TOKEN}`, origin: SITE, ...json })),
    ).toMatchObject({ status: 401 });
  });

  it('refuses everyone when no token is configured', () => {
    delete process.env.SOURCED_EDITOR_TOKEN;
    expect(configuredEditorToken()).toBeNull();
    expect(authorizeRequest(request({ authorization: `Bearer ${TOKEN}`, ...json }))).toMatchObject({
      status: 401,
    });
  });

  it('refuses other content types with 415, after authentication', () => {
    const bearer = { authorization: `Bearer ${TOKEN}` };
    const form = request({ ...bearer, 'content-type': 'application/x-www-form-urlencoded' });
    const auth = authorizeRequest(form);
    expect(auth).toMatchObject({ ok: false, status: 415 });
    if (auth.ok) throw new Error('unreachable');
    expect(auth.error).toContain('application/json');
    expect(auth.error).toContain('text/csv');
    expect(authorizeRequest(request(bearer))).toMatchObject({ status: 415 });
    // Authentication is checked first, so strangers learn nothing about the endpoint.
    expect(authorizeRequest(request({ 'content-type': 'text/plain' }))).toMatchObject({
      status: 401,
    });
    // Parameters and case do not matter.
    expect(
      authorizeRequest(request({ ...bearer, 'content-type': 'Text/CSV; charset=utf-8' })),
    ).toEqual({ ok: true, via: 'bearer' });
  });

  it('accepts multipart only where the endpoint asks for it', () => {
    const upload = () =>
      request({
        authorization: `Bearer ${TOKEN}`,
        'content-type': 'multipart/form-data; boundary=----x',
      });
    expect(authorizeRequest(upload())).toMatchObject({ status: 415 });
    expect(
      authorizeRequest(upload(), {
        contentTypes: ['application/json', 'text/csv', 'multipart/form-data'],
      }),
    ).toEqual({ ok: true, via: 'bearer' });
  });

  it('checks no content type on reads unless asked to', () => {
    const bearer = { authorization: `Bearer ${TOKEN}` };
    expect(authorizeRequest(request(bearer, { method: 'GET' }))).toEqual({
      ok: true,
      via: 'bearer',
    });
    expect(authorizeRequest(request(bearer), { requireContentType: false })).toEqual({
      ok: true,
      via: 'bearer',
    });
    expect(
      authorizeRequest(request(bearer, { method: 'GET' }), { requireContentType: true }),
    ).toMatchObject({ status: 415 });
  });
});

describe('checks for pages and server actions', () => {
  it('recognise the editor by the session cookie', async () => {
    headerJar.set('host', 'localhost:3000');
    headerJar.set('origin', SITE);
    expect(await isEditor()).toBe(false);
    // An answer the form can show, not an exception (a 500 and a stack trace).
    expect(await editorActionAuth()).toEqual({
      ok: false,
      reason: 'login',
      message: expect.stringContaining('not logged in as editor'),
    });

    cookieJar.set(SESSION_COOKIE, TOKEN);
    expect(await isEditor()).toBe(false);

    cookieJar.set(SESSION_COOKIE, sessionValue(TOKEN));
    expect(await isEditor()).toBe(true);
    expect(await editorActionAuth()).toEqual({ ok: true });
  });

  it('refuse an action that writes unless it comes from this site', async () => {
    cookieJar.set(SESSION_COOKIE, sessionValue(TOKEN));
    headerJar.set('host', 'localhost:3000');
    for (const origin of [undefined, 'null', 'https://evil.example', 'http://localhost:4000']) {
      if (origin === undefined) headerJar.delete('origin');
      else headerJar.set('origin', origin);
      expect(await editorActionAuth()).toMatchObject({ ok: false, reason: 'origin' });
    }
    // A proxy's X-Forwarded-Host counts only when the operator says a proxy sets it.
    headerJar.set('x-forwarded-host', 'evil.example');
    headerJar.set('origin', 'http://evil.example');
    expect(await editorActionAuth()).toMatchObject({ ok: false, reason: 'origin' });
    process.env.SOURCED_TRUST_PROXY = '1';
    try {
      expect(await editorActionAuth()).toEqual({ ok: true });
    } finally {
      delete process.env.SOURCED_TRUST_PROXY;
    }
    headerJar.delete('x-forwarded-host');
    headerJar.set('origin', SITE);
    expect(await editorActionAuth()).toEqual({ ok: true });
  });
});

describe('safeNextPath', () => {
  it('keeps paths on this site', () => {
    expect(safeNextPath('/indicators/gdp?range=10y#chart')).toBe('/indicators/gdp?range=10y#chart');
    expect(safeNextPath('/')).toBe('/');
  });

  it('sends everything else home', () => {
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

  it('never returns what a browser would read as another site', () => {
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
