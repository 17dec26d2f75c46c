// Prisma migrations without Prisma's native schema engine: the WebAssembly build of
// the same engine, driven through the better-sqlite3 adapter. Node 20 needs
// --experimental-wasm-modules to import it (scripts/db.ts is started with it).
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import {
  bindMigrationAwareSqlAdapterFactory,
  type SqlDriverAdapter,
  type SqlMigrationAwareDriverAdapterFactory,
} from '@prisma/driver-adapter-utils';
import type { SchemaEngine } from '@prisma/schema-engine-wasm';
import { databaseFile } from './env';

const BUSY_TIMEOUT_MS = 5000;

const root = path.resolve(import.meta.dirname, '..');
export const schemaPath = path.join(root, 'prisma', 'schema.prisma');
export const migrationsDir = path.join(root, 'prisma', 'migrations');

const noFilters = { externalTables: [], externalEnums: [] };

function readMigrations() {
  const dirs = fs.existsSync(migrationsDir)
    ? fs
        .readdirSync(migrationsDir, { withFileTypes: true })
        .filter((d) => d.isDirectory())
        .map((d) => d.name)
        .sort()
    : [];
  const lockPath = path.join(migrationsDir, 'migration_lock.toml');
  return {
    baseDir: migrationsDir,
    lockfile: {
      path: 'migration_lock.toml',
      content: fs.existsSync(lockPath) ? fs.readFileSync(lockPath, 'utf8') : null,
    },
    shadowDbInitScript: '',
    migrationDirectories: dirs.map((name) => {
      const file = path.join(migrationsDir, name, 'migration.sql');
      return {
        path: name,
        migrationFile: {
          path: 'migration.sql',
          content: fs.existsSync(file)
            ? { tag: 'ok' as const, value: fs.readFileSync(file, 'utf8') }
            : { tag: 'error' as const, value: `${file} is missing` },
        },
      };
    }),
  };
}

/**
 * Runs `task` with an engine on the database, then closes every connection the
 * engine opened: freeing the engine alone leaves its SQLite handle, and the lock
 * it holds, open until garbage collection.
 */
async function withEngine<T>(url: string, task: (engine: SchemaEngine) => Promise<T>): Promise<T> {
  const { SchemaEngine } = await import('@prisma/schema-engine-wasm');
  const file = databaseFile(url);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const factory = new PrismaBetterSqlite3({ url: `file:${file}`, timeout: BUSY_TIMEOUT_MS });
  const opened: SqlDriverAdapter[] = [];
  const tracking: SqlMigrationAwareDriverAdapterFactory = {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: async () => {
      const c = await factory.connect();
      opened.push(c);
      return c;
    },
    connectToShadowDb: async () => {
      const c = await factory.connectToShadowDb();
      opened.push(c);
      return c;
    },
  };
  const log = (line: string) => {
    if (process.env.SOURCED_DEBUG_MIGRATE) console.error(line);
  };
  const engine = await SchemaEngine.new(
    { datamodels: [[schemaPath, fs.readFileSync(schemaPath, 'utf8')]] },
    log,
    bindMigrationAwareSqlAdapterFactory(tracking),
  );
  try {
    return await task(engine);
  } finally {
    engine.free();
    await Promise.all(opened.map((c) => c.dispose()));
  }
}

/** Names of the migrations in prisma/migrations that the database has not finished applying. */
export function pendingMigrations(url: string): string[] {
  const all = readMigrations().migrationDirectories.map((d) => d.path);
  const file = databaseFile(url);
  if (!fs.existsSync(file)) return all;
  const db = new Database(file, { readonly: true, timeout: BUSY_TIMEOUT_MS });
  try {
    const table = db
      .prepare(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name = '_prisma_migrations'",
      )
      .get();
    if (!table) return all;
    const done = new Set(
      db
        .prepare(
          'SELECT migration_name AS name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL',
        )
        .all()
        .map((r) => (r as { name: string }).name),
    );
    return all.filter((name) => !done.has(name));
  } finally {
    db.close();
  }
}

/**
 * Applies pending migrations, as `prisma migrate deploy` does; returns their names.
 * An up-to-date database is answered from `_prisma_migrations` alone: the engine
 * takes an exclusive lock, which a running server's connection would block.
 */
export async function applyMigrations(url: string): Promise<string[]> {
  enableWal(url);
  if (pendingMigrations(url).length === 0) return [];
  try {
    const out = await withEngine(url, (engine) =>
      engine.applyMigrations({ migrationsList: readMigrations(), filters: noFilters }),
    );
    return out.appliedMigrationNames;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (/SocketTimeout|database is locked|SQLITE_BUSY/i.test(message)) {
      throw new Error(
        `Cannot migrate ${databaseFile(url)}: another process holds it (is a Sourced server running on it?). Stop it and try again.`,
      );
    }
    throw error;
  }
}

/**
 * WAL lets readers go on while one writer writes. The mode is stored in the
 * database file, so setting it once after migrating covers every later connection.
 */
function enableWal(url: string) {
  fs.mkdirSync(path.dirname(databaseFile(url)), { recursive: true });
  const db = new Database(databaseFile(url), { timeout: BUSY_TIMEOUT_MS });
  try {
    if (db.pragma('journal_mode', { simple: true }) !== 'wal') db.pragma('journal_mode = WAL');
  } finally {
    db.close();
  }
}

/**
 * SQL that takes the migrations folder to the current schema, or '' when they agree.
 * The migrations are applied to a scratch database first, and the engine diffs that
 * database against the schema (the shadow-database route needs the native engine).
 */
export async function diffMigrationsToSchema(scratchUrl: string): Promise<string> {
  await applyMigrations(scratchUrl);
  const files = [{ path: schemaPath, content: fs.readFileSync(schemaPath, 'utf8') }];
  const result = await withEngine(scratchUrl, (engine) =>
    engine.diff({
      from: { tag: 'schemaDatasource', files, configDir: root },
      to: { tag: 'schemaDatamodel', files },
      script: true,
      exitCode: true,
      filters: noFilters,
    }),
  );
  return result.exitCode === 2 ? (result.stdout ?? '') : '';
}

/** Writes prisma/migrations/<timestamp>_<name>/migration.sql; returns its path, or null if nothing changed. */
export async function createMigration(name: string, scratchUrl: string): Promise<string | null> {
  if (!/^[a-z0-9_]+$/.test(name)) {
    throw new Error(`Migration name "${name}" must be lower-case letters, digits and underscores`);
  }
  const sql = await diffMigrationsToSchema(scratchUrl);
  if (!sql.trim()) return null;
  const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
  const dir = path.join(migrationsDir, `${stamp}_${name}`);
  fs.mkdirSync(dir, { recursive: true });
  const lockPath = path.join(migrationsDir, 'migration_lock.toml');
  if (!fs.existsSync(lockPath)) fs.writeFileSync(lockPath, 'provider = "sqlite"\n');
  const file = path.join(dir, 'migration.sql');
  fs.writeFileSync(file, sql);
  return file;
}
