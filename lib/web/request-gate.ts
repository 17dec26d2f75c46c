// The first look at every request, before Next.js reads a byte of its body. Two jobs:
//
// - Forwarding headers: unless SOURCED_TRUST_PROXY says a proxy sets them, the
//   client's own X-Forwarded-For, -Host and -Proto are removed, so Next.js fills them
//   in from the socket and nothing downstream (its own Origin check for server
//   actions, our login throttle, links in downloads) believes what a client wrote.
// - Body size: Next.js has one body limit for every server action, and the Add data
//   form needs the upload limit. Strangers get a small limit, the editor's other
//   forms a medium one, and only the editor's Add data form and the API (whose route
//   handlers enforce their own limit after authorising) get more. A refused request
//   is answered 413 from its headers alone: its body is never buffered or parsed,
//   and at most DRAIN_LIMIT of it is read before the connection is cut.
//
// It also times strangers' headers and bodies and caps connections per address
// (lib/web/connection-guard.ts), gives each request the context in which a database
// failure is noted, so that the request answers 503 rather than 500
// (lib/db/unavailable.ts), lets a route send a body it compressed itself
// (lib/web/precompressed.ts), and sends a page seen before from the page cache
// (lib/read/page-cache.ts), and gives every page its Content-Security-Policy nonce
// (lib/web/page-nonce.ts). The warm-up's own requests (lib/web/warm-up.ts) pass by
// but for the nonce.
//
// Installed from instrumentation.ts, which Next.js runs once when the server starts.
// Next.js offers no hook on the raw request, so this wraps the HTTP server's "request"
// event; requests that arrive while the server is still starting are held until it is
// installed by the server's preload (scripts/listening-servers.mjs), when there is one.
import http from 'node:http';
import type { Socket } from 'node:net';
import { guardConnection, headersArrived, timeAnonymousBody } from './connection-guard';
import { answerUnavailable } from '../db/unavailable';
import { servePage } from '../read/page-cache';
import { FORWARDING_HEADERS, trustedProxies } from './forwarding';
import { restoreContentEncoding } from './precompressed';
import { hasEditorCredentials } from './session';
import { setPagePolicy } from './page-nonce';
import { isWarmUpServer } from './warm-up';

/** Bodies from someone without the editor's credentials: a login form needs ~1 KB. */
export const ANONYMOUS_BODY_LIMIT = 64 * 1024;
/** The editor's forms other than Add data (archive, log out). */
export const EDITOR_ACTION_BODY_LIMIT = 1024 * 1024;
/** How much of a refused body is read (and dropped) before the connection is cut. */
export const DRAIN_LIMIT = 1024 * 1024;
/**
 * The Add data page: its script streams a file to /api/imports/form, so its server action
 * carries only typed values and the mapping (an editor's action limit). A browser without
 * JavaScript that posts a file gets the form's answer up to that size, this gate's above.
 */
export const UPLOAD_PATH = '/data/new';
/** The page whose form adds a document, from a file of up to 20 MB (lib/documents/parse.ts). */
export const DOCUMENT_PATH = '/sources/new';
/** A document's file plus the form's other fields. */
export const DOCUMENT_FORM_BODY_LIMIT = 21 * 1024 * 1024;

type RawRequest = {
  method?: string;
  url?: string;
  headers: Record<string, string | string[] | undefined>;
};

export type GateRefusal = { status: 403 | 411 | 413; error: string };

const KB = 1024;
const describeSize = (bytes: number) =>
  bytes >= 1024 * KB ? `${bytes / 1024 / KB} MB` : `${bytes / KB} KB`;

function pathOf(url: string | undefined): string {
  try {
    return new URL(url ?? '/', 'http://gate.invalid').pathname;
  } catch {
    return '/';
  }
}

/**
 * The largest body `request` may send, or null when something later decides: the
 * route handlers under /api, which authorise before reading and stream uploads to the
 * write worker.
 */
export function bodyLimit(request: RawRequest, isEditor: () => boolean): number | null {
  if (!isEditor()) return ANONYMOUS_BODY_LIMIT;
  const path = pathOf(request.url);
  if (path.startsWith('/api/')) return null;
  if (path === DOCUMENT_PATH) return DOCUMENT_FORM_BODY_LIMIT;
  return EDITOR_ACTION_BODY_LIMIT;
}

function tooLarge(limit: number, path: string): string {
  const size = describeSize(limit);
  if (limit === ANONYMOUS_BODY_LIMIT)
    return `The request body is larger than ${size}. Uploading data needs the editor token: log in first.`;
  if (path === UPLOAD_PATH)
    return `The request body is larger than ${size}: the Add data page sends files with its script. Turn JavaScript on, or send the file to POST /api/imports.`;
  return `The request body is larger than ${size}; files are uploaded on the Add data page or through the API.`;
}

/** Whether the request must be refused before its body is read, and why. */
export function checkBody(
  request: RawRequest,
  isEditor: () => boolean = () => hasEditorCredentials(request.headers),
): GateRefusal | null {
  const method = (request.method ?? 'GET').toUpperCase();
  if (method === 'GET' || method === 'HEAD' || method === 'OPTIONS') return null;
  const lengthHeader = request.headers['content-length'];
  const length = typeof lengthHeader === 'string' ? Number(lengthHeader) : NaN;
  const chunked = request.headers['transfer-encoding'] !== undefined;
  if (!chunked && (length === 0 || lengthHeader === undefined)) return null;
  const limit = bodyLimit(request, isEditor);
  if (limit === null) return null;
  if (chunked || !Number.isFinite(length)) {
    return { status: 411, error: 'Send a Content-Length with the request body.' };
  }
  if (length <= limit) return null;
  return { status: 413, error: tooLarge(limit, pathOf(request.url)) };
}

const header = (request: RawRequest, name: string): string | undefined => {
  const v = request.headers[name];
  return Array.isArray(v) ? v[0] : v;
};

/**
 * A server action posted from another site: Next.js refuses it too, but by throwing,
 * which answers 500 (a cross-origin logout included). Refused here with a 403, as
 * Next.js would decide it: the Origin's host against the (forwarded) host.
 */
export function checkActionOrigin(request: RawRequest): GateRefusal | null {
  if ((request.method ?? 'GET').toUpperCase() !== 'POST') return null;
  if (header(request, 'next-action') === undefined) return null;
  const origin = header(request, 'origin');
  if (origin === undefined) return null;
  const host = (header(request, 'x-forwarded-host') ?? header(request, 'host') ?? '')
    .split(',')[0]!
    .trim()
    .toLowerCase();
  let from: string | null;
  try {
    from = new URL(origin).host.toLowerCase();
  } catch {
    from = null;
  }
  if (from !== null && from === host) return null;
  return { status: 403, error: 'Forms of this site are only accepted from this site.' };
}

/** Removes forwarding headers a client wrote itself (see the top of this file). */
export function dropUntrustedForwarding(
  headers: RawRequest['headers'],
  proxies = trustedProxies(),
): void {
  if (proxies > 0) return;
  for (const name of FORWARDING_HEADERS) delete headers[name];
}

function refuse(req: http.IncomingMessage, res: http.ServerResponse, refusal: GateRefusal): void {
  const body = JSON.stringify({ error: refusal.error });
  res.writeHead(refusal.status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(body),
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
    'Content-Security-Policy': "default-src 'none'; frame-ancestors 'none'",
  });
  res.end(body);
  // The body is read and dropped, never held, so that a client that is still sending
  // can read this answer (closing at once would reset the connection under it). Past
  // DRAIN_LIMIT it is not worth reading on: the connection is cut.
  let drained = 0;
  req.on('data', (chunk: Buffer) => {
    drained += chunk.length;
    if (drained > DRAIN_LIMIT) req.socket.destroy();
  });
  req.resume();
}

function sendsBody(req: http.IncomingMessage): boolean {
  const method = (req.method ?? 'GET').toUpperCase();
  if (method === 'GET' || method === 'HEAD' || method === 'OPTIONS') return false;
  return (
    req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length']) > 0
  );
}

/** Handles the request itself (true) when it must be refused; otherwise lets it through. */
export function gateRequest(req: http.IncomingMessage, res: http.ServerResponse): boolean {
  headersArrived(req);
  dropUntrustedForwarding(req.headers);
  const refusal = checkActionOrigin(req) ?? checkBody(req);
  if (!refusal) {
    if (sendsBody(req) && !hasEditorCredentials(req.headers)) timeAnonymousBody(req, res);
    return false;
  }
  refuse(req, res, refusal);
  return true;
}

const INSTALLED = Symbol.for('sourced.requestGate');
const HELD_REQUESTS = Symbol.for('sourced.heldRequests');

export function installRequestGate(): void {
  const proto = http.Server.prototype as unknown as Record<PropertyKey, unknown> & {
    emit: (this: http.Server, event: string | symbol, ...args: unknown[]) => boolean;
  };
  if (proto[INSTALLED]) return;
  const emit = proto.emit;
  proto.emit = function (this: http.Server, event: string | symbol, ...args: unknown[]) {
    if (isWarmUpServer(this)) {
      // Rendered as a reader's page is, nonce and all, without the reader's checks.
      if (event === 'request')
        setPagePolicy(args[0] as http.IncomingMessage, args[1] as http.ServerResponse);
      return emit.call(this, event, ...args);
    }
    if (event === 'connection') {
      try {
        guardConnection(this, args[0] as Socket);
      } catch (error) {
        console.error('connection guard:', error);
      }
    }
    if (event === 'request') {
      const [req, res] = args as [http.IncomingMessage, http.ServerResponse];
      try {
        if (gateRequest(req, res)) return true;
        setPagePolicy(req, res);
      } catch (error) {
        // A fault in the gate must not take the site down; Next.js still checks
        // credentials and its own body limit.
        console.error('request gate:', error);
      }
      // A body compressed by the route keeps its Content-Encoding (lib/web/precompressed.ts).
      restoreContentEncoding(res);
      // A request the database failed answers 503, not 500 (lib/db/unavailable.ts).
      const handle = () => answerUnavailable(res, () => emit.call(this, event, ...args));
      // A page seen before at this data version is sent from memory (lib/read/page-cache.ts).
      if (servePage(req, res, () => hasEditorCredentials(req.headers), handle)) return true;
      return handle();
    }
    return emit.call(this, event, ...args);
  };
  proto[INSTALLED] = true;
  // Requests that came before the gate, held by the server's preload
  // (scripts/listening-servers.mjs), go through it now.
  const held = (globalThis as Record<PropertyKey, unknown>)[HELD_REQUESTS] as
    [http.Server, http.IncomingMessage, http.ServerResponse][] | undefined;
  for (const [server, req, res] of held?.splice(0) ?? []) server.emit('request', req, res);
}
