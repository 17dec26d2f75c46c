// The security headers of every response, in one place: next.config.ts sets the fixed
// ones, lib/web/page-nonce.ts the Content-Security-Policy with a fresh nonce for each page.
//
// Scripts: only Next.js's own, each carrying the request's nonce ('strict-dynamic'
// lets them load their chunks, recharts among them). Styles: the stylesheet plus
// inline style attributes, which React's `style` props and recharts write and which
// nonces cannot cover. Images: blob: and data: for the chart's PNG export, which
// draws the SVG into a canvas through an image URL. Framing: nowhere, except the
// pages under /embed/, which exist to be framed.

export const EMBED_PREFIX = '/embed';

/** Whether `path` is a page meant to be embedded in other sites. */
export function isEmbedPath(path: string): boolean {
  return path === EMBED_PREFIX || path.startsWith(`${EMBED_PREFIX}/`);
}

export type PolicyOptions = {
  /** The request's nonce; without one, no script runs (see STATIC_POLICY_NOTE). */
  nonce: string | null;
  embed: boolean;
  https: boolean;
  /** `next dev` needs eval for its error overlay; production never does. */
  dev?: boolean;
};

export function contentSecurityPolicy({ nonce, embed, https, dev = false }: PolicyOptions) {
  const script = nonce
    ? `'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ''}`
    : "'none'";
  const directives = [
    "default-src 'self'",
    `script-src ${script}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' blob: data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    `frame-ancestors ${embed ? '*' : "'none'"}`,
  ];
  // Over plain http (localhost) this would send the page's own requests to https.
  if (https) directives.push('upgrade-insecure-requests');
  return directives.join('; ');
}

// Requests with a body (form posts, API writes) get no nonce (lib/web/page-nonce.ts):
// their answers get a fixed policy without one, so no script runs in them. A form
// posted before JavaScript loaded gets its answer as a page that works without
// JavaScript, as the form did; posts made by JavaScript get RSC or JSON back, where a
// policy has nothing to do.

type HeaderRule = {
  source: string;
  has?: { type: 'header'; key: string }[];
  headers: { key: string; value: string }[];
};

/** Every path except /embed and below, in next.config.ts `source` syntax. */
const NOT_EMBED = '/:path((?!embed(?:/|$)).*)';
const WITH_BODY = [{ type: 'header' as const, key: 'content-type' }];

export function securityHeaderRules(): HeaderRule[] {
  return [
    {
      source: '/:path*',
      headers: [
        { key: 'X-Content-Type-Options', value: 'nosniff' },
        { key: 'Referrer-Policy', value: 'strict-origin-when-cross-origin' },
      ],
    },
    // For browsers that predate frame-ancestors.
    { source: NOT_EMBED, headers: [{ key: 'X-Frame-Options', value: 'DENY' }] },
    // The login URL may carry the token: never send it to another site in a Referer
    // (same-origin, not no-referrer, which would make the login form's Origin "null").
    { source: '/login', headers: [{ key: 'Referrer-Policy', value: 'same-origin' }] },
    // Reads change with every write and writes must never be replayed from a cache.
    { source: '/api/:path*', headers: [{ key: 'Cache-Control', value: 'no-store' }] },
    {
      source: NOT_EMBED,
      has: WITH_BODY,
      headers: [
        {
          key: 'Content-Security-Policy',
          value: contentSecurityPolicy({ nonce: null, embed: false, https: false }),
        },
      ],
    },
    {
      source: `${EMBED_PREFIX}/:path*`,
      has: WITH_BODY,
      headers: [
        {
          key: 'Content-Security-Policy',
          value: contentSecurityPolicy({ nonce: null, embed: true, https: false }),
        },
      ],
    },
  ];
}
