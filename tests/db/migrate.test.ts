import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import {
  applyMigrations,
  diffMigrationsToSchema,
  migrationsDirFor,
  pendingMigrations,
} from '@/lib/db/migrate';
import { createScratchDatabase } from '@/lib/store/postgres-admin';
import { schemaText } from '@/prisma/providers.mjs';
import { testServer } from '../support/scratch-db';

describe('migrations through the WebAssembly schema engine', () => {
  const dirs: string[] = [];
  const scratchUrl = () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sourced-migrate-'));
    dirs.push(dir);
    return { url: `file:${path.join(dir, 'm.db')}`, file: path.join(dir, 'm.db') };
  };
  afterEach(() => dirs.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

  it('applies every migration once, records it, and turns on WAL', async () => {
    const { url, file } = scratchUrl();
    const first = await applyMigrations(url);
    expect(first.length).toBeGreaterThan(0);
    expect(await applyMigrations(url)).toEqual([]);
    const db = new Database(file);
    try {
      const applied = db
        .prepare('SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL')
        .all();
      expect(applied.map((r) => (r as { migration_name: string }).migration_name)).toEqual(first);
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    } finally {
      db.close();
    }
  });

  it('has a migration for every change in prisma/schema.prisma', async () => {
    const { url } = scratchUrl();
    expect(await diffMigrationsToSchema(url)).toBe('');
  });
});

// The PostgreSQL schema and migrations are made from the same prisma/schema.prisma;
// on a PostgreSQL test run (TEST_DATABASE), these fail when either has drifted.
describe.skipIf(!testServer)('PostgreSQL migrations through the WebAssembly schema engine', () => {
  const drops: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const drop of drops.splice(0)) await drop();
  });
  const scratch = async () => {
    const db = await createScratchDatabase(testServer!, 'sourced_migrate');
    drops.push(db.drop);
    return db.url;
  };

  it('applies every migration once and records it', async () => {
    const url = await scratch();
    const first = await applyMigrations(url);
    expect(first).toEqual(
      fs.readdirSync(migrationsDirFor('postgresql')).filter((d) => !d.endsWith('.toml')),
    );
    expect(await applyMigrations(url)).toEqual([]);
    expect(await pendingMigrations(url)).toEqual([]);
  });

  it('has a migration for every change in prisma/schema.prisma', async () => {
    expect(await diffMigrationsToSchema(await scratch())).toBe('');
  });
});

describe('the PostgreSQL schema', () => {
  it('is prisma/schema.prisma with only the provider and the client folder changed', () => {
    const sqlite = schemaText('sqlite');
    const postgres = schemaText('postgresql');
    const strip = (s: string) =>
      s
        .replace(/^\/\/ Generated from.*\n/, '')
        .replace(/provider = "(sqlite|postgresql)"/, 'provider = X')
        .replace(/output(\s*)= "[^"]*"/, 'output = X');
    expect(postgres).toContain('provider = "postgresql"');
    expect(strip(postgres)).toBe(strip(sqlite));
  });
});
