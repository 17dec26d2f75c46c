// The project's database commands. They never use Prisma's native engines, which
// this machine cannot download: see lib/migrate.ts.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { databaseFile, readEnv } from '../lib/env';
import { applyMigrations, createMigration } from '../lib/migrate';
import { createPrismaClient } from '../lib/db';
import { seedArticle } from '../lib/seed-article';
import { ensureEditorToken, loginBanner } from '../lib/editor-token';

const [command, ...args] = process.argv.slice(2);
const { DATABASE_URL, PORT, SOURCED_PUBLIC_URL } = readEnv();

async function migrate() {
  const applied = await applyMigrations(DATABASE_URL);
  console.log(
    applied.length
      ? `Applied ${applied.length} migration(s) to ${databaseFile(DATABASE_URL)}: ${applied.join(', ')}`
      : `Database ${databaseFile(DATABASE_URL)} is up to date.`,
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
}

async function newMigration(name: string | undefined) {
  if (!name) throw new Error('Usage: npm run db:migration -- <name>');
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'sourced-migration-'));
  try {
    const file = await createMigration(name, `file:${path.join(scratch, 'scratch.db')}`);
    console.log(
      file
        ? `Created ${path.relative(process.cwd(), file)}`
        : 'The schema matches the migrations: nothing to do.',
    );
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

function reset() {
  const file = databaseFile(DATABASE_URL);
  for (const f of [file, `${file}-wal`, `${file}-shm`, `${file}-journal`])
    fs.rmSync(f, { force: true });
  console.log(`Deleted ${file}.`);
}

const commands: Record<string, () => Promise<void> | void> = {
  migrate,
  seed,
  migration: () => newMigration(args[0]),
  reset: async () => {
    reset();
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
