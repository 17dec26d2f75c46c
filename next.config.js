/** @type {import('next').NextConfig} */
const nextConfig = {
  // Native and WebAssembly database modules load from node_modules at run time.
  serverExternalPackages: [
    'better-sqlite3',
    '@prisma/adapter-better-sqlite3',
    '@prisma/schema-engine-wasm',
  ],
  poweredByHeader: false,
  typedRoutes: false,
};

export default nextConfig;
