import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

// Stands in for the request scope that `cookies()` needs inside Next.js.
const cookieJar = vi.hoisted(() => new Map<string, string>());
vi.mock('next/headers', () => ({
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
  requireEditorInAction,
  safeNextPath,
  sessionCookie,
  sessionValue,
  tokensMatch,
} from '@/lib/auth';

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
    expect(isHttps(new Headers({ 'x-forwarded-proto': 'https' }))).toBe(true);
    expect(isHttps(new Headers({ 'x-forwarded-proto': 'https,http' }))).toBe(true);
    expect(isHttps(new Headers({ 'x-forwarded-proto': 'http' }), 'https://x/')).toBe(false);
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

  it('works out its own origin from the proxy headers', () => {
    const proxied = {
      host: 'internal:3000',
      'x-forwarded-host': 'sourced.example.org',
      'x-forwarded-proto': 'https',
    };
    const ok = request({ origin: 'https://sourced.example.org', ...proxied, ...cookie(), ...json });
    expect(authorizeRequest(ok)).toEqual({ ok: true, via: 'cookie' });
    const plain = request({ origin: 'http://sourced.example.org', ...proxied, ...cookie() });
    expect(authorizeRequest(plain)).toMatchObject({ ok: false, status: 403 });
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
    expect(await isEditor()).toBe(false);
    await expect(requireEditorInAction()).rejects.toThrow('Unauthorized: log in as editor');

    cookieJar.set(SESSION_COOKIE, TOKEN);
    expect(await isEditor()).toBe(false);

    cookieJar.set(SESSION_COOKIE, sessionValue(TOKEN));
    expect(await isEditor()).toBe(true);
    await expect(requireEditorInAction()).resolves.toBeUndefined();
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
    ]) {
      expect(safeNextPath(next)).toBe('/');
    }
  });
});
