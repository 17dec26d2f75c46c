// Reading is public; every write needs the editor token. Next.js checks the Origin of
// server actions but does nothing for route handlers, so every handler and action that
// writes must call one of the checks below itself.
import 'server-only';
import crypto from 'node:crypto';
import { cookies } from 'next/headers';
import { NoEditorTokenError, readEditorToken } from './editor-token';

export const SESSION_COOKIE = 'sourced_editor';
const SESSION_LABEL = 'sourced-editor-session-v1';
const SESSION_MAX_AGE_S = 60 * 60 * 24 * 30;
const DEFAULT_CONTENT_TYPES = ['application/json', 'text/csv'];
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export type EditorAuth =
  { ok: true; via: 'bearer' | 'cookie' } | { ok: false; status: 401 | 403 | 415; error: string };

export type AuthorizeOptions = {
  /** Accepted media types; the import endpoint adds `multipart/form-data`. */
  contentTypes?: string[];
  /** Defaults to true for every method that may change state (POST, PUT, PATCH, DELETE). */
  requireContentType?: boolean;
};

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

export function sessionCookie(token: string, secure: boolean) {
  return {
    name: SESSION_COOKIE,
    value: sessionValue(token),
    httpOnly: true,
    sameSite: 'lax' as const,
    secure,
    path: '/',
    maxAge: SESSION_MAX_AGE_S,
  };
}

// Proxies may append their own values: the first one is the client-facing hop.
function firstHeaderValue(headers: Headers, name: string): string | null {
  return headers.get(name)?.split(',')[0]?.trim() || null;
}

/** Whether the browser reached us over https, directly or through a proxy that says so. */
export function isHttps(headers: Headers, requestUrl?: string): boolean {
  const forwarded = firstHeaderValue(headers, 'x-forwarded-proto');
  if (forwarded) return forwarded.toLowerCase() === 'https';
  if (!requestUrl) return false;
  try {
    return new URL(requestUrl).protocol === 'https:';
  } catch {
    return false;
  }
}

function readCookie(header: string | null, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(';')) {
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

function ownOrigin(request: Request): string | null {
  let url: URL;
  try {
    url = new URL(request.url);
  } catch {
    return null;
  }
  const host =
    firstHeaderValue(request.headers, 'x-forwarded-host') ??
    firstHeaderValue(request.headers, 'host') ??
    url.host;
  const protocol = isHttps(request.headers, request.url) ? 'https' : 'http';
  try {
    return new URL(`${protocol}://${host}`).origin;
  } catch {
    return null;
  }
}

function sameOrigin(request: Request): boolean {
  const origin = request.headers.get('origin');
  // Browsers send Origin on every cross-site POST; a missing one ("null" included) is refused.
  if (!origin || origin === 'null') return false;
  const own = ownOrigin(request);
  try {
    return own !== null && new URL(origin).origin === own;
  } catch {
    return false;
  }
}

const UNAUTHORIZED: EditorAuth = { ok: false, status: 401, error: 'Unauthorized' };
const CROSS_ORIGIN: EditorAuth = { ok: false, status: 403, error: 'Cross-origin request refused' };

/**
 * The check for route handlers. A Bearer header wins over the cookie so API clients
 * never depend on browser state; only the cookie needs the Origin check, because only
 * the browser attaches it on its own.
 */
export function authorizeRequest(request: Request, options: AuthorizeOptions = {}): EditorAuth {
  const method = request.method.toUpperCase();
  const changesState = !SAFE_METHODS.has(method);
  const token = configuredEditorToken();

  let via: 'bearer' | 'cookie';
  const authorization = request.headers.get('authorization');
  if (authorization !== null) {
    const presented = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(authorization)?.[1];
    if (!presented || token === null || !tokensMatch(presented, token)) return UNAUTHORIZED;
    via = 'bearer';
  } else {
    if (!isValidSession(readCookie(request.headers.get('cookie'), SESSION_COOKIE))) {
      return UNAUTHORIZED;
    }
    if (changesState && !sameOrigin(request)) return CROSS_ORIGIN;
    via = 'cookie';
  }

  if (options.requireContentType ?? changesState) {
    const accepted = (options.contentTypes ?? DEFAULT_CONTENT_TYPES).map((t) => t.toLowerCase());
    const mediaType = request.headers.get('content-type')?.split(';')[0]?.trim().toLowerCase();
    if (!mediaType || !accepted.includes(mediaType)) {
      return {
        ok: false,
        status: 415,
        error: `Unsupported Content-Type: send one of ${accepted.join(', ')}`,
      };
    }
  }
  return { ok: true, via };
}

export function authErrorResponse(auth: Extract<EditorAuth, { ok: false }>): Response {
  return Response.json(
    { error: auth.error },
    {
      status: auth.status,
      headers: auth.status === 401 ? { 'WWW-Authenticate': 'Bearer' } : {},
    },
  );
}

async function sessionFromCookies(): Promise<string | undefined> {
  return (await cookies()).get(SESSION_COOKIE)?.value;
}

/** For pages: show editing controls, or a login link. */
export async function isEditor(): Promise<boolean> {
  return isValidSession(await sessionFromCookies());
}

/** First line of every server action that writes; Next.js has already checked its Origin. */
export async function requireEditorInAction(): Promise<void> {
  if (!(await isEditor())) throw new Error('Unauthorized: log in as editor');
}

function hasControlCharacter(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const code = s.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}

/**
 * Where to go after logging in: only a path on this site. `//host` and `/\host` are
 * read by browsers as other sites, and control characters are dropped by URL parsing
 * (`/\t/host` becomes `//host`), so all three are refused.
 */
export function safeNextPath(next: string | null | undefined): string {
  if (!next || !next.startsWith('/') || next.startsWith('//')) return '/';
  if (next.includes('\\') || hasControlCharacter(next)) return '/';
  const base = 'http://sourced.invalid';
  try {
    const url = new URL(next, base);
    return url.origin === base ? `${url.pathname}${url.search}${url.hash}` : '/';
  } catch {
    return '/';
  }
}
