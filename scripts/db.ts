// The project's database commands, for either store (DATABASE_URL). They never use
// Prisma's native engines, which this machine cannot download: see lib/db/migrate.ts.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { parseArgs } from 'node:util';
import { databaseFile, databaseProvider, describeDatabase, readEnv } from '../lib/db/env';
import { applyMigrations, createMigration, migrationFolderName } from '../lib/db/migrate';
import { createPrismaClient } from '../lib/db/client';
import { seedArticle } from '../lib/article/seed';
import { seedOutcomes } from '../lib/article/seed-outcomes';
import { openStore } from '../lib/store';
import { ensureEditorToken, loginBanner } from '../lib/web/editor-token';
import { createScratchDatabase } from '../lib/store/postgres-admin';
import { copyDatabase } from '../lib/store/copy';

const [command, ...args] = process.argv.slice(2);
function environment() {
  try {
    return readEnv();
  } catch (error) {
    // A wrong DATABASE_URL is a message to the user, not a stack trace.
    console.error((error as Error).message);
    process.exit(2);
  }
}
const { DATABASE_URL, PORT, SOURCED_PUBLIC_URL, TEST_DATABASE } = environment();

async function migrate() {
  const applied = await applyMigrations(DATABASE_URL);
  console.log(
    applied.length
      ? `Applied ${applied.length} migration(s) to ${describeDatabase(DATABASE_URL)}: ${applied.join(', ')}`
      : `Database ${describeDatabase(DATABASE_URL)} is up to date.`,
  );
}

async function seed() {
  const db = createPrismaClient(DATABASE_URL);
  try {
    const { created } = await seedArticle(db);
    const total = Object.values(created).reduce((a, b) => a + b, 0);
    console.log(
      total
        ? `Loaded the article's data: ${Object.entries(created)
            .map(([k, v]) => `${v} ${k}`)
            .join(', ')}.`
        : "The article's data is already loaded.",
    );
  } finally {
    await db.$disconnect();
  }
  // The observed outcomes go through the import path, on the write store.
  const store = openStore(DATABASE_URL);
  try {
    const { loaded, alreadyLoaded } = await seedOutcomes(store);
    for (const l of loaded)
      console.log(
        `Loaded ${l.added.toLocaleString('en-US')} observed values of ${l.indicator} (${l.entities.join(', ')}) from ${l.file}.`,
      );
    if (alreadyLoaded.length && !loaded.length)
      console.log('The observed outcomes are already loaded.');
  } finally {
    await store.close();
  }
}

/**
 * One migration per store, in folders of the same name, both diffed from the one
 * schema: the SQLite half on a scratch file, the PostgreSQL half on a scratch
 * database of the server named by --postgres or TEST_DATABASE.
 */
async function newMigration() {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { postgres: { type: 'string' } },
  });
  const name = positionals[0];
  if (!name) throw new Error('Usage: npm run db:migration -- <name> [--postgres postgresql://…]');
  const server = values.postgres ?? TEST_DATABASE;
  if (!server) {
    throw new Error(
      'A new migration is made for both stores: give a PostgreSQL server to diff on with --postgres postgresql://user@host:port/postgres (or TEST_DATABASE).',
    );
  }
  const folder = migrationFolderName(name);
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'sourced-migration-'));
  const pgScratch = await createScratchDatabase(server, 'sourced_migration');
  try {
    for (const url of [`file:${path.join(scratch, 'scratch.db')}`, pgScratch.url]) {
      const file = await createMigration(folder, url);
      console.log(
        file
          ? `Created ${path.relative(process.cwd(), file)}`
          : `The ${databaseProvider(url)} migrations match the schema: nothing to do.`,
      );
    }
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
    await pgScratch.drop();
  }
}

async function reset() {
  if (databaseProvider(DATABASE_URL) === 'postgresql') {
    const client = new pg.Client({ connectionString: DATABASE_URL });
    await client.connect();
    try {
      await client.query('DROP SCHEMA IF EXISTS public CASCADE');
      await client.query('CREATE SCHEMA public');
    } finally {
      await client.end();
    }
    console.log(`Emptied ${describeDatabase(DATABASE_URL)}.`);
    return;
  }
  const file = databaseFile(DATABASE_URL);
  for (const f of [file, `${file}-wal`, `${file}-shm`, `${file}-journal`])
    fs.rmSync(f, { force: true });
  console.log(`Deleted ${file}.`);
}

async function copy() {
  const { values } = parseArgs({
    args,
    options: {
      from: { type: 'string' },
      to: { type: 'string' },
      force: { type: 'boolean', default: false },
    },
  });
  const from = values.from ?? DATABASE_URL;
  if (!values.to)
    throw new Error(
      'Usage: npm run db:copy -- --from file:./data/sourced.db --to postgresql://user@host/db [--force]',
    );
  const result = await copyDatabase(from, values.to, {
    force: values.force,
    log: (line) => console.log(line),
  });
  console.log(
    `Copied ${result.tables.map((t) => `${t.rows} ${t.table}`).join(', ')} from ${describeDatabase(from)} to ${describeDatabase(values.to)}; every row count and the checksum of every observation (${result.checksum}) agree.`,
  );
}

const commands: Record<string, () => Promise<void> | void> = {
  migrate,
  seed,
  migration: newMigration,
  copy,
  reset: async () => {
    await reset();
    await migrate();
    await seed();
  },
  setup: async () => {
    await migrate();
    await seed();
  },
  // Creates the editor token on first use; prints it (once) with the login URL.
  token: () => {
    console.log(loginBanner(ensureEditorToken(), SOURCED_PUBLIC_URL ?? `http://localhost:${PORT}`));
  },
};

const run = command ? commands[command] : undefined;
if (!run) {
  console.error(`Usage: scripts/db.ts <${Object.keys(commands).join('|')}>`);
  process.exit(2);
}
try {
  await run();
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}
