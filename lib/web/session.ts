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

/** Derived from the token so the cookie never holds it, and changing the token ends every session. */
export function sessionValue(token: string): string {
  return crypto.createHmac('sha256', token).update(SESSION_LABEL).digest('base64url');
}

export function isValidSession(value: string | null | undefined): boolean {
  if (!value) return false;
  const token = configuredEditorToken();
  return token !== null && tokensMatch(value, sessionValue(token));
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

/** Whether a request carries the editor's session cookie or the right Bearer token. */
export function hasEditorCredentials(headers: HeaderSource): boolean {
  const presented = bearerToken(headers);
  if (presented !== null) {
    const token = configuredEditorToken();
    return presented !== '' && token !== null && tokensMatch(presented, token);
  }
  return isValidSession(readCookie(header(headers, 'cookie'), SESSION_COOKIE));
}
