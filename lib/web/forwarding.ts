// Who sent a request and which address it was sent to. A reverse proxy tells the app
// in X-Forwarded-For, -Host and -Proto; without one, a client can write anything in
// those headers, so they count only when SOURCED_TRUST_PROXY says how many proxies
// stand in front of the server. Plain module (no `server-only`): the request gate in
// instrumentation.ts and the route handlers both use it.
import { readEnv } from '../db/env';

/** Web `Headers` (or Next.js's read-only ones), or Node's `IncomingHttpHeaders`. */
export type HeaderSource =
  { get(name: string): string | null } | Record<string, string | string[] | undefined>;

export function header(headers: HeaderSource, name: string): string | null {
  const get = (headers as { get?: unknown }).get;
  if (typeof get === 'function') return (get as (n: string) => string | null).call(headers, name);
  const value = (headers as Record<string, string | string[] | undefined>)[name.toLowerCase()];
  if (value === undefined) return null;
  return Array.isArray(value) ? value.join(', ') : value;
}

function listValues(headers: HeaderSource, name: string): string[] {
  return (header(headers, name) ?? '')
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean);
}

/** The proxies the operator declared (SOURCED_TRUST_PROXY); 0 means none. */
export function trustedProxies(env: Record<string, string | undefined> = process.env): number {
  return readEnv(env).SOURCED_TRUST_PROXY;
}

/** The headers a client could forge when no proxy is trusted. */
export const FORWARDING_HEADERS = [
  'x-forwarded-for',
  'x-forwarded-host',
  'x-forwarded-proto',
  'x-forwarded-port',
  'forwarded',
  'x-real-ip',
] as const;

/**
 * A client address as a rate-limit key: IPv4-mapped IPv6 as plain IPv4, other IPv6
 * addresses cut to their /64 (one subscriber's network, which hands out addresses
 * from it freely), ports and brackets removed.
 */
export function normalizeAddress(raw: string): string {
  let a = raw.trim().toLowerCase();
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(a);
  if (bracketed) a = bracketed[1]!;
  else if (/^\d{1,3}(\.\d{1,3}){3}:\d+$/.test(a)) a = a.slice(0, a.lastIndexOf(':'));
  const mapped = /^::ffff:(\d{1,3}(\.\d{1,3}){3})$/.exec(a);
  if (mapped) return mapped[1]!;
  if (!a.includes(':')) return a || 'unknown';
  const zone = a.indexOf('%');
  if (zone !== -1) a = a.slice(0, zone);
  const [head = '', tail = ''] = a.split('::');
  const left = head ? head.split(':') : [];
  const right = a.includes('::') && tail ? tail.split(':') : [];
  const groups = a.includes('::')
    ? [...left, ...Array<string>(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right]
    : left;
  return `${groups
    .slice(0, 4)
    .map((g) => (g || '0').replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}

/**
 * The client's address. Next.js puts the socket's address in X-Forwarded-For when the
 * request has none, and the request gate removes a client's own X-Forwarded-For unless
 * proxies are trusted; with N trusted proxies, the client is the Nth entry from the
 * right (each proxy appends the address it received the request from).
 */
export function clientAddress(headers: HeaderSource, proxies = trustedProxies()): string {
  const chain = listValues(headers, 'x-forwarded-for');
  if (chain.length === 0) return 'unknown';
  const index = Math.max(0, chain.length - Math.max(proxies, 1));
  return normalizeAddress(chain[index]!);
}

/** Whether the browser reached us over https: the URL's scheme, or a trusted proxy's word. */
export function isHttps(
  headers: HeaderSource,
  requestUrl?: string,
  proxies = trustedProxies(),
): boolean {
  const forwarded = proxies > 0 ? listValues(headers, 'x-forwarded-proto')[0] : undefined;
  if (forwarded) return forwarded.toLowerCase() === 'https';
  if (requestUrl) {
    try {
      return new URL(requestUrl).protocol === 'https:';
    } catch {
      return false;
    }
  }
  // Server actions have no URL; Next.js sets X-Forwarded-Proto from the socket when the
  // gate has removed the client's.
  return listValues(headers, 'x-forwarded-proto')[0]?.toLowerCase() === 'https';
}

// A host name or IPv4 address, or an IPv6 address in brackets, with an optional port:
// nothing that could carry a path, credentials or a second host.
const HOST =
  /^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*|\[[0-9a-f:.]+\])(?::\d{1,5})?$/i;

function urlOrigin(url: string | undefined): string | null {
  if (!url) return null;
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
}

/**
 * The origin the browser used: scheme and Host, or a trusted proxy's X-Forwarded-Host.
 * Next.js builds `request.url` from its own listening address, so the Host header is
 * the only place the public name appears.
 */
export function requestOrigin(
  headers: HeaderSource,
  requestUrl?: string,
  proxies = trustedProxies(),
): string | null {
  const host =
    (proxies > 0 ? listValues(headers, 'x-forwarded-host')[0] : undefined) ??
    header(headers, 'host');
  if (!host) return urlOrigin(requestUrl);
  if (!HOST.test(host)) return null;
  const protocol = isHttps(headers, requestUrl, proxies) ? 'https' : 'http';
  return urlOrigin(`${protocol}://${host}`);
}

/**
 * The base of absolute links in downloads: the configured public URL, or the origin
 * the request was made to.
 */
export function publicOrigin(
  headers: HeaderSource,
  requestUrl?: string,
  env: Record<string, string | undefined> = process.env,
): string {
  const { SOURCED_PUBLIC_URL, SOURCED_TRUST_PROXY } = readEnv(env);
  return (
    SOURCED_PUBLIC_URL ??
    requestOrigin(headers, requestUrl, SOURCED_TRUST_PROXY) ??
    urlOrigin(requestUrl) ??
    ''
  );
}
