// Whole pages, kept per URL and data version, so that a page seen before costs a
// lookup rather than a render. The request gate (lib/web/request-gate.ts) asks here
// first. What a page shows depends on its URL, the data (the read store's data version,
// as lib/read/cache.ts), the host it is asked through, the day (the citation's
// "accessed" date), and who asks: only readers' plain page loads are kept, never an
// editor's page (forms to archive), a client-side navigation (RSC), a form's answer or
// anything that sets a cookie. Each page carries a fresh Content-Security-Policy nonce:
// the stored page is split at its nonce and sent with a new one (nonce-gzip.ts).
import crypto from 'node:crypto';
import type http from 'node:http';
import { gzipBody, plainBody, splitAtNonce, storedBytes, type NoncedBody } from './nonce-gzip';
import type { ReadStore } from './types';

/** The pages worth keeping: the read pages every reader sees alike. */
const CACHED_PAGES = [
  /^\/$/,
  /^\/claims$/,
  /^\/indicators\/[^/]+$/,
  /^\/sources\/\d+$/,
  /^\/embed\/indicators\/[^/]+$/,
];
/** Request headers that make a request something other than a plain page load. */
const NOT_A_PAGE_LOAD = ['rsc', 'next-action', 'next-router-state-tree', 'next-router-prefetch'];
/** The host a page's links and canonical URL are made from (lib/web/request-origin.ts). */
const ORIGIN_HEADERS = ['host', 'x-forwarded-host', 'x-forwarded-proto'];
const MAX_PAGE_BYTES = 2 * 1024 * 1024;
// Stored pages are kept compressed (nonce-gzip.ts): an indicator page is about 15 KB,
// so some 500 pages.
const MAX_TOTAL_BYTES = 8 * 1024 * 1024;

export type StoredPage = {
  status: number;
  /** Response headers, with NONCE_MARK where the nonce was. */
  headers: [string, string][];
  body: NoncedBody;
};

const NONCE_MARK = '\u0000nonce\u0000';

type PageCache = {
  version: number | string | null;
  pages: Map<string, StoredPage>;
  bytes: number;
  /** Renders under way, so that concurrent requests for one page render it once. */
  pending: Map<string, Promise<StoredPage | null>>;
};

const state = globalThis as unknown as {
  sourcedReadStore?: ReadStore;
  sourcedPageCache?: PageCache;
};

const header = (req: http.IncomingMessage, name: string) => {
  const v = req.headers[name];
  return Array.isArray(v) ? v.join(',') : (v ?? '');
};

/** The request's key without the data version, or null when it must not be cached. */
export function pageKey(
  req: Pick<http.IncomingMessage, 'method' | 'url' | 'headers'>,
  isEditor: () => boolean,
  today = new Date().toISOString().slice(0, 10),
): string | null {
  if (req.method !== 'GET' || !req.url) return null;
  const path = req.url.split('?', 1)[0]!;
  if (!CACHED_PAGES.some((p) => p.test(path))) return null;
  const r = req as http.IncomingMessage;
  if (NOT_A_PAGE_LOAD.some((h) => r.headers[h] !== undefined)) return null;
  if (/[?&]_rsc=/.test(req.url) || isEditor()) return null;
  return [today, ...ORIGIN_HEADERS.map((h) => header(r, h)), req.url].join('\u0000');
}

function cacheFor(version: number | string): PageCache {
  const cache = (state.sourcedPageCache ??= {
    version: null,
    pages: new Map(),
    bytes: 0,
    pending: new Map(),
  });
  if (cache.version !== version) {
    cache.pages.clear();
    cache.pending.clear();
    cache.bytes = 0;
    cache.version = version;
  }
  return cache;
}

const sizeOf = (page: StoredPage) => storedBytes(page.body) + 256 * page.headers.length;

function keep(cache: PageCache, key: string, page: StoredPage) {
  cache.pages.set(key, page);
  cache.bytes += sizeOf(page);
  for (const [oldest, old] of cache.pages) {
    if (cache.bytes <= MAX_TOTAL_BYTES) break;
    cache.pages.delete(oldest);
    cache.bytes -= sizeOf(old);
  }
}

function lookup(cache: PageCache, key: string): StoredPage | undefined {
  const page = cache.pages.get(key);
  if (page) {
    // Least recently used goes first: re-insert to move this one to the end.
    cache.pages.delete(key);
    cache.pages.set(key, page);
  }
  return page;
}

const acceptsGzip = (req: http.IncomingMessage) => /\bgzip\b/i.test(header(req, 'accept-encoding'));

/** Sends a stored page with a nonce of its own. */
export function sendPage(res: http.ServerResponse, page: StoredPage, gzip: boolean) {
  const nonce = crypto.randomBytes(16).toString('base64');
  const body = gzip ? gzipBody(page.body, nonce) : plainBody(page.body, nonce);
  res.statusCode = page.status;
  for (const [name, value] of page.headers)
    res.setHeader(name, value.replaceAll(NONCE_MARK, nonce));
  if (gzip) res.setHeader('Content-Encoding', 'gzip');
  res.setHeader('Vary', 'Accept-Encoding');
  res.setHeader('Content-Length', body.length);
  res.end(body);
}

/** The page to keep from a finished response, or null when it must not be kept. */
export function storablePage(
  status: number,
  headers: http.OutgoingHttpHeaders,
  body: Buffer,
): StoredPage | null {
  if (status !== 200 || body.length > MAX_PAGE_BYTES) return null;
  if (headers['set-cookie'] !== undefined || headers['content-encoding'] !== undefined) return null;
  if (!/^text\/html/i.test(String(headers['content-type'] ?? ''))) return null;
  const policy = String(headers['content-security-policy'] ?? '');
  const nonce = /'nonce-([A-Za-z0-9+/=]{16,})'/.exec(policy)?.[1];
  if (!nonce) return null;
  const kept: [string, string][] = [];
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || name === 'content-length' || name === 'vary') continue;
    const text = Array.isArray(value) ? value.join(', ') : String(value);
    kept.push([name, text.replaceAll(nonce, NONCE_MARK)]);
  }
  return { status, headers: kept, body: splitAtNonce(body, nonce) };
}

type Methods = Pick<http.ServerResponse, 'writeHead' | 'write' | 'end' | 'flushHeaders'>;

/**
 * Lets the server render the page into memory (uncompressed: the stored page is
 * compressed once, here), then keeps it and sends it as a stored page is sent; a
 * response that cannot be kept is sent as it was made.
 */
function capture(res: http.ServerResponse, gzip: boolean, done: (page: StoredPage | null) => void) {
  const original: Methods = {
    writeHead: res.writeHead,
    write: res.write,
    end: res.end,
    flushHeaders: res.flushHeaders,
  };
  const chunks: Buffer[] = [];
  const add = (chunk: unknown, encoding?: unknown) => {
    if (chunk === undefined || chunk === null || typeof chunk === 'function') return;
    chunks.push(
      typeof chunk === 'string'
        ? Buffer.from(chunk, (typeof encoding === 'string' ? encoding : 'utf8') as BufferEncoding)
        : Buffer.from(chunk as Uint8Array),
    );
  };
  const callback = (args: unknown[]) =>
    args.find((a) => typeof a === 'function') as (() => void) | undefined;
  const patched = res as unknown as Record<keyof Methods, (...args: unknown[]) => unknown>;
  patched.writeHead = function (status: unknown, ...rest: unknown[]) {
    res.statusCode = status as number;
    const headers = rest.find((r) => typeof r === 'object' && r !== null);
    if (Array.isArray(headers)) {
      for (let i = 0; i + 1 < headers.length; i += 2)
        res.setHeader(String(headers[i]), headers[i + 1] as string);
    } else if (headers) {
      for (const [k, v] of Object.entries(headers))
        if (v !== undefined) res.setHeader(k, v as string);
    }
    return res;
  };
  patched.flushHeaders = () => undefined;
  patched.write = (chunk: unknown, ...rest: unknown[]) => {
    add(chunk, rest[0]);
    callback(rest)?.();
    return true;
  };
  patched.end = (...args: unknown[]) => {
    if (args.length > 0 && typeof args[0] !== 'function') add(args[0], args[1]);
    Object.assign(res, original);
    const body = Buffer.concat(chunks);
    const page = storablePage(res.statusCode, res.getHeaders(), body);
    done(page);
    if (page) sendPage(res, page, gzip);
    else res.end(body, callback(args));
    return res;
  };
}

/**
 * Serves `req` from the page cache, or has `render` (the server's own handling) make the
 * page and keeps it. Returns false at once when the request is not one to cache.
 */
export function servePage(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  isEditor: () => boolean,
  render: () => unknown,
): boolean {
  const store = state.sourcedReadStore;
  const key = store ? pageKey(req, isEditor) : null;
  if (!store || key === null) return false;
  void (async () => {
    const version = await store.dataVersion().catch(() => null);
    if (version === null) return void render();
    const cache = cacheFor(version);
    const gzip = acceptsGzip(req);
    const hit = lookup(cache, key);
    if (hit) return sendPage(res, hit, gzip);
    const pending = cache.pending.get(key);
    if (pending) {
      const page = await pending;
      return page ? sendPage(res, page, gzip) : void render();
    }
    let settle: (page: StoredPage | null) => void = () => {};
    cache.pending.set(key, new Promise((resolve) => (settle = resolve)));
    capture(res, gzip, (page) => {
      cache.pending.delete(key);
      // Kept under the version read before the render: a write during it moves the
      // version, so the page is never served as newer than it is.
      if (page && cache.version === version) keep(cache, key, page);
      settle(page);
    });
    res.once('close', () => settle(null));
    delete req.headers['accept-encoding'];
    render();
  })().catch((error: unknown) => {
    console.error('page cache:', error);
    if (!res.headersSent) {
      res.statusCode = 503;
      res.end();
    }
  });
  return true;
}
