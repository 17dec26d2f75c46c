// The editor's credentials, checked without Next.js request APIs, so the request gate
// (instrumentation.ts) can tell an editor from a stranger before a body is read.
// lib/web/auth.ts builds the checks for pages, actions and route handlers on these.
import crypto from 'node:crypto';
import { NoEditorTokenError, readEditorToken } from './editor-token';
import { header, type HeaderSource } from './forwarding';

export const SESSION_COOKIE = 'sourced_editor';
const SESSION_LABEL = 'sourced-editor-session-v1';

/**
 * The configured token, or null when none exists yet (then nobody can log in, and the
 * login page says why). A malformed token still throws: that is a setup error.
 */
export function configuredEditorToken(): string | null {
  try {
    return readEditorToken();
  } catch (error) {
    if (error instanceof NoEditorTokenError) return null;
    throw error;
  }
}

/**
 * Constant-time comparison. Hashing first gives both sides the same length, so neither
 * the content nor the length of the real token leaks through timing.
 */
export function tokensMatch(a: string, b: string): boolean {
  const digest = (s: string) => crypto.createHash('sha256').update(s, 'utf8').digest();
  return crypto.timingSafeEqual(digest(a), digest(b));
}

/**
 * The cookie: a random session id and an HMAC of it under the token, so the cookie never
 * holds the token and changing the token ends every session. Only the HMAC is checked
 * here (the request gate's question, editor or stranger); whether the session is still
 * open (not logged out, not expired) is the session table's (lib/web/editor-sessions.ts).
 */
export function sessionValue(token: string, id: string): string {
  return `${id}.${sessionMac(token, id)}`;
}

function sessionMac(token: string, id: string): string {
  return crypto.createHmac('sha256', token).update(`${SESSION_LABEL}:${id}`).digest('base64url');
}

/** A session id: 32 random bytes in base64url. */
const SESSION_ID = /^[A-Za-z0-9_-]{43}$/;

export function newSessionId(): string {
  return crypto.randomBytes(32).toString('base64url');
}

/** The session id a cookie carries when its HMAC is the current token's; otherwise null. */
export function signedSessionId(value: string | null | undefined): string | null {
  if (!value) return null;
  const dot = value.indexOf('.');
  const id = value.slice(0, dot);
  if (dot === -1 || !SESSION_ID.test(id)) return null;
  const token = configuredEditorToken();
  if (token === null || !tokensMatch(value.slice(dot + 1), sessionMac(token, id))) return null;
  return id;
}

export function readCookie(cookieHeader: string | null, name: string): string | null {
  if (!cookieHeader) return null;
  for (const part of cookieHeader.split(';')) {
    const eq = part.indexOf('=');
    if (eq === -1 || part.slice(0, eq).trim() !== name) continue;
    const raw = part.slice(eq + 1).trim();
    try {
      return decodeURIComponent(raw);
    } catch {
      return raw;
    }
  }
  return null;
}

/** The token in an `Authorization: Bearer …` header; null without one, '' when malformed. */
export function bearerToken(headers: HeaderSource): string | null {
  const authorization = header(headers, 'authorization');
  if (authorization === null) return null;
  return /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(authorization)?.[1] ?? '';
}

/**
 * Whether a request carries a session cookie signed with the editor token, or the right
 * Bearer token. Synchronous and without the database: enough for the request gate's
 * limits; the checks that allow a write (lib/web/auth.ts) also ask the session table.
 */
export function hasEditorCredentials(headers: HeaderSource): boolean {
  const presented = bearerToken(headers);
  if (presented !== null) {
    const token = configuredEditorToken();
    return presented !== '' && token !== null && tokensMatch(presented, token);
  }
  return signedSessionId(readCookie(header(headers, 'cookie'), SESSION_COOKIE)) !== null;
}
