// Gives every page a Content-Security-Policy with a fresh nonce (lib/web/security-headers.ts).
// Next.js reads the nonce from the request's policy header and puts it on its scripts;
// pages here are rendered per request already, which nonces require.
import { NextResponse, type NextRequest } from 'next/server';
import { isDevelopment } from './lib/db/env';
import { isHttps } from './lib/web/forwarding';
import { contentSecurityPolicy, isEmbedPath } from './lib/web/security-headers';

export function proxy(request: NextRequest) {
  const nonce = Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString('base64');
  const policy = contentSecurityPolicy({
    nonce,
    embed: isEmbedPath(request.nextUrl.pathname),
    https: isHttps(request.headers, request.url),
    dev: isDevelopment(),
  });
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set('x-nonce', nonce);
  requestHeaders.set('Content-Security-Policy', policy);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set('Content-Security-Policy', policy);
  return response;
}

export const config = {
  matcher: [
    {
      source: '/((?!_next/static|_next/image|favicon.ico).*)',
      // Requests with a body never come here: see the note in lib/web/security-headers.ts.
      missing: [{ type: 'header', key: 'content-type' }],
    },
  ],
};
