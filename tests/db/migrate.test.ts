import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { applyMigrations, diffMigrationsToSchema } from '@/lib/migrate';

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
