// A write that runs out of disk space: 507 "the disk is full; nothing was saved", the
// database exactly as it was, and the WAL emptied so the volume is usable again. Runs
// the database (SQLite's store) on a real 4 MB tmpfs when this machine allows mounting one (root), and
// always checks the error mapping with an injected SQLITE_FULL.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFailureResponse } from '@/lib/api/routes';
import { createPrismaClient } from '@/lib/db/client';
import { SqliteStore } from '@/lib/store/sqlite';
import { commitImport } from '@/lib/import/import-data';
import { valuesFromObservations } from '@/lib/import/sources';
import { applyMigrations } from '@/lib/db/migrate';
import { importMetaSchema } from '@/lib/schemas';
import { seedArticle } from '@/lib/article/seed';
import { DiskFullError } from '@/lib/db/errors';
import { createScratchDb } from '../support/scratch-db';
import { runWriteJob } from '@/lib/write/write-job';

const FULL = 'The disk is full; nothing was saved. Free some space on the server, then try again.';

describe('the error mapping (injected SQLITE_FULL)', () => {
  it('turns SQLITE_FULL into DiskFullError and a 507', async () => {
    // SQLite's production store, on a real file, whose COMMIT reports a full disk (on
    // PostgreSQL too: a full disk there is the server's, with no SQLITE_FULL to map).
    const scratch = await createScratchDb({ provider: 'sqlite' });
    const db = new Database(scratch.file);
    const exec = db.exec.bind(db);
    db.exec = (sql: string) => {
      if (sql === 'COMMIT')
        throw Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
      return exec(sql);
    };
    const store = new SqliteStore(`file:${scratch.file}`, db);
    try {
      let caught: unknown;
      try {
        await store.write([], async () => {
          db.prepare(`INSERT INTO "Entity" (code, name) VALUES ('AAA', 'a')`).run();
        });
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(DiskFullError);
      expect(db.inTransaction).toBe(false);
      expect(db.prepare('SELECT COUNT(*) AS n FROM "Entity"').get()).toEqual({ n: 0 });
      const response = writeFailureResponse(caught);
      expect(response.status).toBe(507);
      expect(await response.json()).toEqual({ error: FULL });
      // From the write worker, where the server runs its writes, the same answer comes back.
      const result = await runWriteJob(store, { type: 'archive', seriesId: 1, archived: true });
      expect(result).toEqual({ ok: false, kind: 'disk-full', message: FULL });
    } finally {
      db.close();
      await scratch.cleanup();
    }
  });
});

/** Mounts a tmpfs of `size` at a fresh directory, or says why it cannot. */
function mountSmallFilesystem(size: string): { dir: string } | { skip: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sourced-full-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir], { stdio: 'pipe' });
    return { dir };
  } catch (error) {
    fs.rmSync(dir, { recursive: true, force: true });
    const why = String((error as { stderr?: Buffer }).stderr ?? error).trim();
    return {
      skip: `cannot mount a ${size} tmpfs here (${why || 'mount failed'}; mounting needs root), so the full disk is simulated by the injected SQLITE_FULL test only`,
    };
  }
}

function free(dir: string): number {
  const s = fs.statfsSync(dir);
  return s.bavail * s.bsize;
}

describe('a database on a 4 MB filesystem', () => {
  let mounted: { dir: string } | { skip: string };
  let writer: SqliteStore | null = null;
  beforeAll(async () => {
    mounted = mountSmallFilesystem('4m');
    if (!('dir' in mounted)) return;
    const url = `file:${path.join(mounted.dir, 'sourced.db')}`;
    await applyMigrations(url);
    const prisma = createPrismaClient(url);
    await seedArticle(prisma);
    await prisma.$disconnect();
    writer = new SqliteStore(url);
  });
  afterAll(async () => {
    await writer?.close();
    if (mounted && 'dir' in mounted) {
      execFileSync('umount', [mounted.dir]);
      fs.rmSync(mounted.dir, { recursive: true, force: true });
    }
  });

  it('refuses a write that does not fit with 507, keeps every row, and frees the WAL', async (ctx) => {
    if (!('dir' in mounted)) return ctx.skip(mounted.skip);
    const db = writer!;
    const conn = db.connection;
    const dir = mounted.dir;
    const rows = () =>
      (conn.prepare('SELECT COUNT(*) AS n FROM "Observation"').get() as { n: number }).n;
    const meta = importMetaSchema.parse({
      indicator: {
        slug: 'full-disk',
        title: 'Full disk',
        unitLong: 'people',
        unitShort: 'people',
      },
      kind: 'observed',
      unit: 'people',
      createEntities: true,
      source: { title: 'Disk filler', producer: 'Sourced tests', url: 'https://example.org/f' },
    });
    // Far more than 4 MB once stored with its indexes.
    const observations = Array.from({ length: 60_000 }, (_, i) => ({
      period: `${1000 + (i % 1200)}`,
      value: i,
      note: `row ${i} ${'padding '.repeat(8)}`,
    }));
    const perEntity = (code: string, from: number) =>
      valuesFromObservations(code, observations.slice(from, from + 1200)).values;
    const values = {
      values: Array.from({ length: 50 }, (_, e) =>
        perEntity(
          `Q${String.fromCharCode(65 + (e % 26))}${String.fromCharCode(65 + Math.floor(e / 26))}`,
          e * 1200,
        ),
      ).flat(),
    };
    // A write that fits, still in the WAL when the next one starts: the big write must
    // not leave it stuck there, unable to be copied into a database file with no room.
    const fits = await commitImport(db, meta, { values: perEntity('QZZ', 0) });
    expect(fits).toMatchObject({ ok: true, committed: true });
    expect(fs.statSync(path.join(dir, 'sourced.db-wal')).size).toBeGreaterThan(100_000);
    const before = rows();
    const seriesCount = () =>
      (conn.prepare('SELECT COUNT(*) AS n FROM "Series"').get() as { n: number }).n;
    const seriesBefore = seriesCount();
    const freeBefore = free(dir);
    expect(freeBefore).toBeGreaterThan(1024 * 1024);

    let caught: unknown;
    try {
      await commitImport(db, meta, values);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(DiskFullError);
    const response = writeFailureResponse(caught);
    expect(response.status).toBe(507);
    expect((await response.json()).error).toBe(FULL);

    // Nothing of it was saved, and the rolled-back pages no longer fill the volume.
    expect(rows()).toBe(before);
    expect(seriesCount()).toBe(seriesBefore);
    expect(fs.statSync(path.join(dir, 'sourced.db-wal')).size).toBe(0);
    // The pages of the write that fitted moved into the database file; the rest is free.
    expect(free(dir)).toBeGreaterThanOrEqual(freeBefore - 512 * 1024);

    // And the site can write again.
    const small = await commitImport(db, meta, { values: perEntity('QAA', 0).slice(0, 10) });
    expect(small).toMatchObject({ ok: true, committed: true });
    expect(rows()).toBe(before + 10);
  });
});
