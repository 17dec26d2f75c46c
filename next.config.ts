import type { NextConfig } from 'next';
import { securityHeaderRules } from './lib/web/security-headers';

// The "Add data" form's file goes to /api/imports/form, streamed; only a browser without
// JavaScript still posts it to the form's server action, which refuses it unread. The limit
// stays the upload limit plus room for the other fields, so that such a post is answered by the
// form rather than refused by Next.js (read when the server starts). Every other action is held
// to far less by the request gate (lib/web/request-gate.ts) before its body is read.
const configuredMb = Number(process.env.SOURCED_MAX_UPLOAD_MB ?? 50);
const uploadMb = Number.isFinite(configuredMb) && configuredMb > 0 ? configuredMb : 50;

const nextConfig: NextConfig = {
  // Native and WebAssembly database modules load from node_modules at run time.
  serverExternalPackages: [
    'better-sqlite3',
    '@prisma/adapter-better-sqlite3',
    '@prisma/schema-engine-wasm',
    // pdf.js starts its worker from its own files (lib/documents/pdf.ts).
    'pdfjs-dist',
  ],
  poweredByHeader: false,
  experimental: {
    serverActions: {
      bodySizeLimit: `${uploadMb + 1}mb`,
    },
    // proxy.ts sees only requests without a body; this bounds what Next.js would
    // buffer for it if one came anyway.
    proxyClientMaxBodySize: '1mb',
  },
  async headers() {
    return securityHeaderRules();
  },
};

export default nextConfig;
