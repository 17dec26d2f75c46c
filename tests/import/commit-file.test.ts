// A file committed as it is read, with the writer writing through the store itself (the
// server's write worker: lib/import/speculative/commit-file.ts): a read that fails part way
// rolls the writer back and frees the store for its next write.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { commitFileAsRead, writerThroughStore } from '@/lib/import/speculative/commit-file';
import { importMetaSchema } from '@/lib/schemas';
import { SqliteStore } from '@/lib/store/sqlite';
import type { Store } from '@/lib/store/types';
import { runWriteJob } from '@/lib/write/write-job';
import { createScratchDb, type ScratchDb } from '../support/scratch-db';

const meta = importMetaSchema.parse({
  indicator: { slug: 'commit-file', title: 'Commit file', unitLong: 'percent', unitShort: '%' },
  kind: 'observed',
  unit: '%',
  createEntities: true,
  source: { title: 'Commit file test', producer: 'Sourced tests', url: 'https://example.org/c' },
});

describe('a file committed as it is read, through the store', () => {
  let scratch: ScratchDb;
  let planStore: Store;
  let dir: string;
  beforeEach(async () => {
    scratch = await createScratchDb({ seed: true });
    planStore = scratch.provider === 'sqlite' ? new SqliteStore(scratch.url) : scratch.store;
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'commit-file-'));
  });
  afterEach(async () => {
    if (planStore !== scratch.store) await planStore.close();
    fs.rmSync(dir, { recursive: true, force: true });
    await scratch.cleanup();
  });

  const commit = (file: string) =>
    commitFileAsRead(scratch.store, file, meta, {
      url: scratch.url,
      connect: () => writerThroughStore(scratch.store),
      planStore,
    });

  const observations = async () =>
    (await scratch.query<{ n: number }>('SELECT COUNT(*) AS n FROM "Observation"'))[0]!.n;

  it('saves every value of the file', async () => {
    const file = path.join(dir, 'data.csv');
    const rows = ['entity,code,period,value'];
    for (let y = 1900; y < 2000; y++) rows.push(`France,FRA,${y},${y / 10}`, `Chad,TCD,${y},1`);
    fs.writeFileSync(file, rows.join('\n'));
    const before = await observations();
    expect(await commit(file)).toMatchObject({ committed: true, counts: { added: 200 } });
    expect(await observations()).toBe(before + 200);
  });

  it('rolls the writer back when the file cannot be read, and the next write goes through', async () => {
    const before = await observations();
    // A folder: it has a size, but reading it fails once the writer has begun.
    await expect(commit(dir)).rejects.toThrow(/EISDIR/);
    const { seriesId } = (
      await scratch.query<{ seriesId: number }>('SELECT id AS "seriesId" FROM "Series" LIMIT 1')
    )[0]!;
    expect(
      await runWriteJob(scratch.store, { type: 'archive', seriesId, archived: true }),
    ).toMatchObject({ ok: true });
    expect(await observations()).toBe(before);
    expect(
      await scratch.query('SELECT id FROM "Indicator" WHERE slug = ?', ['commit-file']),
    ).toEqual([]);
  });
});
