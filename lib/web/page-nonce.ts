// Every answer to a request without a body gets a Content-Security-Policy with a nonce of
// its own (lib/web/security-headers.ts): Next.js reads the nonce from the request's policy
// header and puts it on its scripts. The request gate (lib/web/request-gate.ts) sets both
// before Next.js sees the request. A proxy.ts did this before: Next.js then built a
// request object and ran its middleware for every request, 1.5–2.3 ms of CPU each
// (measured on pages, chart CSVs and the API alike).
import crypto from 'node:crypto';
import type http from 'node:http';
import { isDevelopment } from '../db/env';
import { isHttps } from './forwarding';
import { contentSecurityPolicy, isEmbedPath } from './security-headers';

/** Files Next.js serves as they are: no page, no script of theirs to allow. */
const UNPOLICED = /^\/(?:_next\/static|_next\/image|favicon\.ico)(?:[/?]|$)/;

/**
 * Puts a fresh nonce's policy on `req` (for Next.js) and on `res`. Requests with a body
 * get the fixed policy of next.config.ts instead (see the note in security-headers.ts).
 */
export function setPagePolicy(req: http.IncomingMessage, res: http.ServerResponse): void {
  const url = req.url ?? '/';
  if (req.headers['content-type'] !== undefined || UNPOLICED.test(url)) return;
  const nonce = crypto.randomBytes(16).toString('base64');
  const policy = contentSecurityPolicy({
    nonce,
    embed: isEmbedPath(url.split('?', 1)[0]!),
    https: isHttps(req.headers),
    dev: isDevelopment(),
  });
  req.headers['content-security-policy'] = policy;
  res.setHeader('Content-Security-Policy', policy);
}
