// Server actions carry the "Add data" form's file: allow the upload limit plus room
// for the other fields (read when the server starts).
const uploadMb = Number(process.env.SOURCED_MAX_UPLOAD_MB ?? 50);

/** @type {import('next').NextConfig} */
const nextConfig = {
  // Native and WebAssembly database modules load from node_modules at run time.
  serverExternalPackages: [
    'better-sqlite3',
    '@prisma/adapter-better-sqlite3',
    '@prisma/schema-engine-wasm',
  ],
  poweredByHeader: false,
  experimental: {
    serverActions: {
      bodySizeLimit: `${(Number.isFinite(uploadMb) && uploadMb > 0 ? uploadMb : 50) + 1}mb`,
    },
  },
};

export default nextConfig;
