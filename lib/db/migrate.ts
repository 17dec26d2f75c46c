// Prisma migrations without Prisma's native schema engine: the WebAssembly build of
// the same engine, driven through the project's driver adapters (better-sqlite3 for
// SQLite, pg for PostgreSQL). Node 20 needs --experimental-wasm-modules to import it
// (scripts/db.ts is started with it). Each store has its own migrations folder, both
// made from prisma/schema.prisma (prisma/providers.mjs); the drift test checks both.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaPg } from '@prisma/adapter-pg';
import {
  bindMigrationAwareSqlAdapterFactory,
  type SqlDriverAdapter,
  type SqlMigrationAwareDriverAdapterFactory,
} from '@prisma/driver-adapter-utils';
import type { SchemaEngine } from '@prisma/schema-engine-wasm';
import { PROVIDERS, schemaText } from '../../prisma/providers.mjs';
import { databaseFile, databaseProvider, describeDatabase, type DatabaseProvider } from './env';

const BUSY_TIMEOUT_MS = 5000;

const root = path.resolve(import.meta.dirname, '..', '..');

export const schemaPath = PROVIDERS.sqlite.schemaPath;
export const migrationsDir = PROVIDERS.sqlite.migrationsDir;

/** The migrations folder of a store. */
export function migrationsDirFor(provider: DatabaseProvider): string {
  return PROVIDERS[provider].migrationsDir;
}

const noFilters = { externalTables: [], externalEnums: [] };

function migrationNames(provider: DatabaseProvider): string[] {
  const dir = migrationsDirFor(provider);
  return fs.existsSync(dir)
    ? fs
        .readdirSync(dir, { withFileTypes: true })
        .filter((d) => d.isDirectory())
        .map((d) => d.name)
        .sort()
    : [];
}

function readMigrations(provider: DatabaseProvider) {
  const dir = migrationsDirFor(provider);
  const lockPath = path.join(dir, 'migration_lock.toml');
  return {
    baseDir: dir,
    lockfile: {
      path: 'migration_lock.toml',
      content: fs.existsSync(lockPath) ? fs.readFileSync(lockPath, 'utf8') : null,
    },
    shadowDbInitScript: '',
    migrationDirectories: migrationNames(provider).map((name) => {
      const file = path.join(dir, name, 'migration.sql');
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
 * The schema engine reads PostgreSQL's catalogs, which have columns of the internal
 * one-byte `"char"` type (pg_class.relkind and the like); @prisma/adapter-pg 7.10
 * rejects that type ("Column type 'char' could not be deserialized"), so describing a
 * database, and hence applying migrations and diffing, would fail. Its values are
 * one-character strings: reporting the columns as text lets them through unchanged.
 */
class CatalogClient extends pg.Client {
  // @ts-expect-error pg's overloads cannot be restated; every call is passed through.
  override query(...args: unknown[]) {
    const last = args.length - 1;
    const callback = args[last];
    // pg.Pool#query calls with a callback; a checked-out client returns a promise.
    if (typeof callback === 'function') {
      args[last] = (error: unknown, result: pg.QueryResult) =>
        callback(error, error ? result : asText(result));
    }
    // @ts-expect-error see above
    const result = super.query(...args);
    const promise = result as unknown as Promise<pg.QueryResult> | undefined;
    return promise && typeof promise.then === 'function' ? promise.then(asText) : result;
  }
}
function asText(result: pg.QueryResult): pg.QueryResult {
  for (const f of result?.fields ?? []) if (f.dataTypeID === CHAR_OID) f.dataTypeID = TEXT_OID;
  return result;
}
const CHAR_OID = 18;
const TEXT_OID = 25;

function adapterFactory(url: string): SqlMigrationAwareDriverAdapterFactory {
  if (databaseProvider(url) === 'postgresql') {
    const pool = new pg.Pool({
      connectionString: url,
      Client: CatalogClient as unknown as typeof pg.Client,
      max: 2,
    });
    return new PrismaPg(pool, { disposeExternalPool: true });
  }
  const file = databaseFile(url);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  return new PrismaBetterSqlite3({ url: `file:${file}`, timeout: BUSY_TIMEOUT_MS });
}

/**
 * Runs `task` with an engine on the database, then closes every connection the
 * engine opened: freeing the engine alone leaves its SQLite handle, and the lock
 * it holds (or its PostgreSQL pool), open until garbage collection.
 */
async function withEngine<T>(url: string, task: (engine: SchemaEngine) => Promise<T>): Promise<T> {
  const { SchemaEngine } = await import('@prisma/schema-engine-wasm');
  const provider = databaseProvider(url);
  const factory = adapterFactory(url);
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
  const schema = PROVIDERS[provider].schemaPath;
  const engine = await SchemaEngine.new(
    { datamodels: [[schema, schemaText(provider)]] },
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

async function appliedMigrations(url: string): Promise<Set<string> | null> {
  const done =
    'SELECT migration_name AS name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL';
  if (databaseProvider(url) === 'postgresql') {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const table = await client.query(`SELECT to_regclass('_prisma_migrations') AS t`);
      if (!table.rows[0]?.t) return null;
      return new Set((await client.query<{ name: string }>(done)).rows.map((r) => r.name));
    } finally {
      await client.end();
    }
  }
  const file = databaseFile(url);
  if (!fs.existsSync(file)) return null;
  const db = new Database(file, { readonly: true, timeout: BUSY_TIMEOUT_MS });
  try {
    const table = db
      .prepare(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name = '_prisma_migrations'",
      )
      .get();
    if (!table) return null;
    return new Set(
      db
        .prepare(done)
        .all()
        .map((r) => (r as { name: string }).name),
    );
  } finally {
    db.close();
  }
}

/** Names of the store's migrations that the database has not finished applying. */
export async function pendingMigrations(url: string): Promise<string[]> {
  const all = migrationNames(databaseProvider(url));
  const done = await appliedMigrations(url);
  return done ? all.filter((name) => !done.has(name)) : all;
}

/**
 * Applies pending migrations, as `prisma migrate deploy` does; returns their names.
 * An up-to-date database is answered from `_prisma_migrations` alone: on SQLite the
 * engine takes an exclusive lock, which a running server's connection would block.
 */
export async function applyMigrations(url: string): Promise<string[]> {
  const provider = databaseProvider(url);
  if (provider === 'sqlite') enableWal(url);
  if ((await pendingMigrations(url)).length === 0) return [];
  try {
    const out = await withEngine(url, (engine) =>
      engine.applyMigrations({ migrationsList: readMigrations(provider), filters: noFilters }),
    );
    return out.appliedMigrationNames;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (/SocketTimeout|database is locked|SQLITE_BUSY/i.test(message)) {
      throw new Error(
        `Cannot migrate ${describeDatabase(url)}: another process holds it (is a Sourced server running on it?). Stop it and try again.`,
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
 * SQL that takes a store's migrations folder to the current schema, or '' when they
 * agree. The migrations are applied to a scratch database (an empty SQLite file or
 * PostgreSQL database) first, and the engine diffs that database against the schema
 * (the shadow-database route needs the native engine).
 */
export async function diffMigrationsToSchema(scratchUrl: string): Promise<string> {
  await applyMigrations(scratchUrl);
  const provider = databaseProvider(scratchUrl);
  const files = [{ path: PROVIDERS[provider].schemaPath, content: schemaText(provider) }];
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

/** The migration folder name for a new migration: a UTC timestamp and the name. */
export function migrationFolderName(name: string, now = new Date()): string {
  if (!/^[a-z0-9_]+$/.test(name)) {
    throw new Error(`Migration name "${name}" must be lower-case letters, digits and underscores`);
  }
  return `${now.toISOString().replace(/\D/g, '').slice(0, 14)}_${name}`;
}

/**
 * Writes <migrations>/<folder>/migration.sql for the store of `scratchUrl`; returns
 * its path, or null if that store's migrations already match the schema.
 */
export async function createMigration(folder: string, scratchUrl: string): Promise<string | null> {
  const sql = await diffMigrationsToSchema(scratchUrl);
  if (!sql.trim()) return null;
  const provider = databaseProvider(scratchUrl);
  const base = migrationsDirFor(provider);
  const dir = path.join(base, folder);
  fs.mkdirSync(dir, { recursive: true });
  const lockPath = path.join(base, 'migration_lock.toml');
  if (!fs.existsSync(lockPath)) fs.writeFileSync(lockPath, `provider = "${provider}"\n`);
  const file = path.join(dir, 'migration.sql');
  fs.writeFileSync(file, sql);
  return file;
}
