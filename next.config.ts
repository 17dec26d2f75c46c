import type { NextConfig } from 'next';
import { securityHeaderRules } from './lib/web/security-headers';

// Server actions' bodies: the largest is the document form's, a file of up to 20 MB
// (lib/documents/parse.ts) and its fields. The Add data form's file goes to
// /api/imports/form, streamed to the write worker; the request gate
// (lib/web/request-gate.ts) holds every action to its own limit before its body is read.
const ACTION_BODY_MB = 21;

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
      bodySizeLimit: `${ACTION_BODY_MB}mb`,
    },
  },
  async headers() {
    return securityHeaderRules();
  },
};

export default nextConfig;
