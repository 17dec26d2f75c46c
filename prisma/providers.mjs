// One description of the models (schema.prisma, written for SQLite) serves both
// stores: the PostgreSQL schema is derived from it here, never kept by hand, so the
// two cannot drift. Prisma needs one generated client per provider (a client refuses
// an adapter of another provider), and the schema engine one schema per provider.
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');

/** The checked-in schema every other one is derived from. */
export const SCHEMA_PATH = path.join(root, 'prisma', 'schema.prisma');

/** @typedef {'sqlite' | 'postgresql'} Provider */

/** Where each provider's schema, generated client and migrations live. */
export const PROVIDERS = {
  sqlite: {
    schemaPath: SCHEMA_PATH,
    clientDir: path.join(root, 'lib', 'generated', 'prisma'),
    migrationsDir: path.join(root, 'prisma', 'migrations'),
  },
  postgresql: {
    schemaPath: path.join(root, 'lib', 'generated', 'postgresql', 'schema.prisma'),
    clientDir: path.join(root, 'lib', 'generated', 'prisma-postgresql'),
    migrationsDir: path.join(root, 'prisma', 'migrations-postgresql'),
  },
};

/**
 * The schema text for a provider. Only the datasource's provider and the client's
 * output folder differ: every model type used here (Int, Float, String, DateTime)
 * has a native column on both.
 * @param {Provider} provider
 * @returns {string}
 */
export function schemaText(provider) {
  const source = fs.readFileSync(SCHEMA_PATH, 'utf8');
  if (provider === 'sqlite') return source;
  const out = PROVIDERS[provider];
  const replaced = source
    .replace(/(datasource db \{\s*provider\s*=\s*)"sqlite"/, `$1"${provider}"`)
    .replace(
      /output(\s*)=(\s*)"[^"]*"/,
      `output$1=$2"${path.relative(path.dirname(out.schemaPath), out.clientDir)}"`,
    );
  if (!replaced.includes(`provider = "${provider}"`) || replaced === source) {
    throw new Error(`prisma/schema.prisma: cannot derive the ${provider} schema from it`);
  }
  return (
    `// Generated from prisma/schema.prisma by prisma/providers.mjs: do not edit.\n` + replaced
  );
}

/**
 * Writes the derived schema of a provider to its place; returns its path.
 * @param {Provider} provider
 */
export function writeSchema(provider) {
  const file = PROVIDERS[provider].schemaPath;
  if (provider === 'sqlite') return file;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const text = schemaText(provider);
  if (!fs.existsSync(file) || fs.readFileSync(file, 'utf8') !== text) fs.writeFileSync(file, text);
  return file;
}
