// Reading is public; every write needs the editor token. Next.js checks the Origin of
// server actions but does nothing for route handlers, so every handler and action that
// writes must call one of the checks below itself.
import 'server-only';
import { cookies, headers } from 'next/headers';
import { clientAddress, isHttps, requestOrigin } from './forwarding';
import { loginThrottle, throttledMessage } from './login-throttle';
import { readEnv } from '../db/env';
import { failureOf } from '../api/errors';
import { getStore } from '../store';
import type { Store } from '../store/types';
import { SESSION_TTL_MS, isOpenEditorSession } from './editor-sessions';
import {
  SESSION_COOKIE,
  bearerToken,
  configuredEditorToken,
  readCookie,
  sessionValue,
  signedSessionId,
  tokensMatch,
} from './session';

export { SESSION_COOKIE, configuredEditorToken, isHttps, sessionValue, tokensMatch };

const SESSION_MAX_AGE_S = SESSION_TTL_MS / 1000;
const DEFAULT_CONTENT_TYPES = ['application/json', 'text/csv'];
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export type EditorAuth =
  | { ok: true; via: 'bearer' | 'cookie' }
  | { ok: false; status: 401 | 403 | 415; error: string }
  | { ok: false; status: 429; error: string; retryAfterS: number };

export type AuthorizeOptions = {
  /** Accepted media types; the import endpoint adds `multipart/form-data`. */
  contentTypes?: string[];
  /** Defaults to true for every method that may change state (POST, PUT, PATCH, DELETE). */
  requireContentType?: boolean;
};

/** The cookie for a session opened at login (lib/web/editor-sessions.ts). */
export function sessionCookie(token: string, sessionId: string, secure: boolean) {
  return {
    name: SESSION_COOKIE,
    value: sessionValue(token, sessionId),
    httpOnly: true,
    sameSite: 'lax' as const,
    secure,
    path: '/',
    maxAge: SESSION_MAX_AGE_S,
  };
}

/**
 * Whether `origin` (a request's Origin header) is this site: the origin the request
 * was made to, or the configured public URL. Browsers send Origin on every cross-site
 * POST, so a missing one ("null" included) is refused.
 */
function originIsOwn(origin: string | null, own: string | null): boolean {
  if (!origin || origin === 'null') return false;
  let presented: string;
  try {
    presented = new URL(origin).origin;
  } catch {
    return false;
  }
  const configured = readEnv().SOURCED_PUBLIC_URL;
  return presented === own || (configured !== undefined && presented === configured);
}

function sameOrigin(request: Request): boolean {
  return originIsOwn(request.headers.get('origin'), requestOrigin(request.headers, request.url));
}

const UNAUTHORIZED: EditorAuth = { ok: false, status: 401, error: 'Unauthorized' };
const CROSS_ORIGIN: EditorAuth = { ok: false, status: 403, error: 'Cross-origin request refused' };

function throttled(retryAfterMs: number): EditorAuth {
  return {
    ok: false,
    status: 429,
    error: throttledMessage(retryAfterMs),
    retryAfterS: Math.ceil(retryAfterMs / 1000),
  };
}

/**
 * Whether a cookie's value is a session that is open now: signed with the current token,
 * and in the session table neither revoked (logged out) nor expired. The table is read at
 * every check, so a logout on any server ends the session on all of them.
 */
export async function isOpenSession(
  value: string | null | undefined,
  store?: Store,
): Promise<boolean> {
  const id = signedSessionId(value);
  return id !== null && isOpenEditorSession(store ?? getStore(), id);
}

/**
 * The check for route handlers. A Bearer header wins over the cookie so API clients
 * never depend on browser state; only the cookie needs the Origin check, because only
 * the browser attaches it on its own. `store` holds the sessions (the process's by default).
 */
export async function authorizeRequest(
  request: Request,
  options: AuthorizeOptions = {},
  store?: Store,
): Promise<EditorAuth> {
  const method = request.method.toUpperCase();
  const changesState = !SAFE_METHODS.has(method);
  const token = configuredEditorToken();

  let via: 'bearer' | 'cookie';
  const presented = bearerToken(request.headers);
  if (presented !== null) {
    // Guessing the token through the API is throttled like guessing it at /login.
    const client = clientAddress(request.headers);
    const wait = loginThrottle().check(client);
    if (!wait.allowed) return throttled(wait.retryAfterMs);
    if (!presented || token === null || !tokensMatch(presented, token)) {
      loginThrottle().fail(client);
      return UNAUTHORIZED;
    }
    loginThrottle().succeed(client);
    via = 'bearer';
  } else {
    if (!(await isOpenSession(readCookie(request.headers.get('cookie'), SESSION_COOKIE), store))) {
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
  const headers: Record<string, string> = {};
  if (auth.status === 401) headers['WWW-Authenticate'] = 'Bearer';
  if (auth.status === 429) headers['Retry-After'] = String(auth.retryAfterS);
  return Response.json({ error: auth.error }, { status: auth.status, headers });
}

async function sessionFromCookies(): Promise<string | undefined> {
  return (await cookies()).get(SESSION_COOKIE)?.value;
}

/** For pages: show editing controls, or a login link. */
export async function isEditor(store?: Store): Promise<boolean> {
  return isOpenSession(await sessionFromCookies(), store);
}

/** The session id of this request's cookie when its signature holds (for logging out). */
export async function signedSessionOfRequest(): Promise<string | null> {
  return signedSessionId(await sessionFromCookies());
}

export const LOGIN_REQUIRED =
  'You are not logged in as editor (or your session has ended). Log in, then try again; nothing was saved.';
export const CROSS_ORIGIN_ACTION =
  'This form was sent from another site, so it was refused; nothing was saved.';

/** Whether a server action was posted from this site (see originIsOwn). */
export async function actionFromThisSite(): Promise<boolean> {
  const h = await headers();
  return originIsOwn(h.get('origin'), requestOrigin(h));
}

export type ActionAuth =
  { ok: true } | { ok: false; reason: 'login' | 'origin' | 'failed'; message: string };

/**
 * First line of every server action that writes. Answers instead of throwing, so the
 * form can say "log in" rather than the server logging a stack trace and a 500.
 * Next.js checks an action's Origin only when the browser sends one; a write also
 * needs it to be this site, as the route handlers do. Sessions are read from `store`
 * (the process's by default).
 */
export async function editorActionAuth(store?: Store): Promise<ActionAuth> {
  let editor: boolean;
  try {
    editor = await isEditor(store);
  } catch (error) {
    // The session table could not be read (busy, unreachable): say so, as a write would.
    return { ok: false, reason: 'failed', message: failureOf(error).message };
  }
  if (!editor) return { ok: false, reason: 'login', message: LOGIN_REQUIRED };
  if (!(await actionFromThisSite())) {
    return { ok: false, reason: 'origin', message: CROSS_ORIGIN_ACTION };
  }
  return { ok: true };
}

/**
 * Where to go after logging in: only a path on this site. The value is resolved as a
 * browser would resolve it first (dot segments, `%2e`, backslashes, tabs and newlines
 * all change what a path means), and only then checked: the same origin, and a path
 * that does not start with `//`, which a browser would read as another host.
 */
export function safeNextPath(next: string | null | undefined): string {
  if (!next || !next.startsWith('/')) return '/';
  const base = 'http://sourced.invalid';
  let url: URL;
  try {
    url = new URL(next, base);
  } catch {
    return '/';
  }
  if (url.origin !== base) return '/';
  const path = `${url.pathname}${url.search}${url.hash}`;
  if (!path.startsWith('/') || path.startsWith('//') || path.startsWith('/\\')) return '/';
  return path;
}
