// The import route's upload as the write worker reads it (lib/write/upload.ts): the
// multipart body streamed in chunks, in either order of its parts, and every refusal the
// route gives, with the database left as it was.
import fs from 'node:fs';
import os from 'node:os';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ChunkQueue } from '@/lib/write/upload';
import { runUploadJob, runWriteJob, type WriteOutcome } from '@/lib/write/write-job';
import { createScratchDb, type ScratchDb } from '../support/scratch-db';

const meta = {
  indicator: { slug: 'upload-test', title: 'Upload test', unitLong: 'percent', unitShort: '%' },
  kind: 'observed',
  unit: '%',
  createEntities: true,
  source: { title: 'Upload test', producer: 'Sourced tests', url: 'https://example.org/u' },
};

const csv = ['entity,code,period,value', 'France,FRA,2010,1.5', 'France,FRA,2011,2.5'].join('\n');

/** A multipart body as a client sends it, in chunks of `size` bytes. */
async function multipart(parts: [string, string | Blob][], size = 7) {
  const form = new FormData();
  for (const [name, value] of parts) form.append(name, value);
  const response = new Response(form);
  const bytes = new Uint8Array(await response.arrayBuffer());
  const contentType = response.headers.get('content-type')!;
  const queue = new ChunkQueue();
  for (let at = 0; at < bytes.length; at += size) queue.push(bytes.slice(at, at + size));
  queue.end();
  return { body: queue, contentType };
}

const file = (text: string) => new Blob([text], { type: 'text/csv' });

describe('the queue an upload streams through', () => {
  it('tells the sender of each chunk as its reader takes it, not as it arrives', async () => {
    let taken = 0;
    const queue = new ChunkQueue(() => taken++);
    for (const byte of [1, 2, 3]) queue.push(Uint8Array.of(byte));
    expect(taken).toBe(0);
    const reader = queue[Symbol.asyncIterator]();
    expect((await reader.next()).value).toEqual(Uint8Array.of(1));
    expect(taken).toBe(1);
    await reader.next();
    await reader.next();
    expect(taken).toBe(3);
    queue.end();
    expect((await reader.next()).done).toBe(true);
    expect(taken).toBe(3);
  });
});

describe('an upload read as it streams in', () => {
  let scratch: ScratchDb;
  beforeEach(async () => {
    scratch = await createScratchDb({ seed: true });
  });
  afterEach(() => scratch.cleanup());

  const observations = async () =>
    (await scratch.query<{ n: number }>('SELECT COUNT(*) AS n FROM "Observation"'))[0]!.n;

  const upload = async (parts: [string, string | Blob][], dryRun = false, size = 7) => {
    const { body, contentType } = await multipart(parts, size);
    return runUploadJob(scratch.store, body, contentType, dryRun);
  };

  const report = (o: WriteOutcome) => {
    if (!o.ok || !('report' in o)) throw new Error(`not a report: ${JSON.stringify(o)}`);
    return o.report;
  };

  it('imports the file whether the meta part comes before or after it', async () => {
    const before = await observations();
    const metaFirst = report(
      await upload([
        ['meta', JSON.stringify(meta)],
        ['file', file(csv)],
      ]),
    );
    expect(metaFirst).toMatchObject({ ok: true, committed: true, counts: { added: 2 } });
    const fileFirst = report(
      await upload([
        ['file', file(csv.replace('2.5', '3.5'))],
        ['meta', JSON.stringify(meta)],
      ]),
    );
    expect(fileFirst).toMatchObject({ ok: true, committed: true, counts: { changed: 1 } });
    expect(fileFirst.changes).toEqual([
      expect.objectContaining({ entity: 'FRA', period: '2011', row: 3, old: 2.5, new: 3.5 }),
    ]);
    expect(await observations()).toBe(before + 3);
  });

  it('previews with dryRun and writes nothing', async () => {
    const before = await observations();
    const preview = report(
      await upload(
        [
          ['file', file(csv)],
          ['meta', JSON.stringify(meta)],
        ],
        true,
        3,
      ),
    );
    expect(preview).toMatchObject({ ok: true, committed: false, counts: { added: 2 } });
    expect(await observations()).toBe(before);
  });

  it('names the row, field and reason of a bad value, and writes nothing', async () => {
    const before = await observations();
    const bad = report(
      await upload([
        ['meta', JSON.stringify(meta)],
        ['file', file(`${csv}\nFrance,FRA,2012,lots`)],
      ]),
    );
    expect(bad.ok).toBe(false);
    expect(bad.errors).toEqual([
      expect.objectContaining({ row: 4, column: 'value', reason: expect.stringContaining('lots') }),
    ]);
    expect(await observations()).toBe(before);
  });

  it('refuses a form without a file, without meta, or with meta that is not valid', async () => {
    expect(await upload([['meta', JSON.stringify(meta)]])).toEqual({
      ok: false,
      kind: 'invalid',
      status: 400,
      error: 'The "file" part is missing',
    });
    expect(await upload([['file', file(csv)]])).toEqual({
      ok: false,
      kind: 'invalid',
      status: 400,
      error: 'The "meta" part is missing',
    });
    expect(
      await upload([
        ['file', file(csv)],
        ['meta', '{not json'],
      ]),
    ).toEqual({
      ok: false,
      kind: 'invalid',
      status: 400,
      error: 'The "meta" part is not valid JSON',
    });
    const invalid = await upload([
      ['meta', JSON.stringify({ ...meta, kind: 'guessed' })],
      ['file', file(csv)],
    ]);
    expect(invalid).toMatchObject({ ok: false, kind: 'invalid', status: 400 });
    expect(invalid).toHaveProperty('errors', [expect.objectContaining({ path: 'kind' })]);
  });

  it('refuses a body that is not multipart', async () => {
    const body = new ChunkQueue();
    body.push(new TextEncoder().encode('entity,period,value\n'));
    body.end();
    expect(await runUploadJob(scratch.store, body, 'text/csv', false)).toMatchObject({
      ok: false,
      kind: 'invalid',
      status: 400,
      error: 'The body is not valid multipart/form-data',
    });
  });

  it('refuses a file over the upload limit (413) and writes nothing', async () => {
    const before = await observations();
    const previous = process.env.SOURCED_MAX_UPLOAD_MB;
    process.env.SOURCED_MAX_UPLOAD_MB = '0.001';
    try {
      const big = `${csv}\n${Array.from({ length: 200 }, (_, i) => `Kazakhstan,KAZ,${1800 + i},1`).join('\n')}`;
      expect(
        await upload(
          [
            ['meta', JSON.stringify(meta)],
            ['file', file(big)],
          ],
          false,
          1000,
        ),
      ).toEqual({
        ok: false,
        kind: 'invalid',
        status: 413,
        error: expect.stringMatching(/^The file is larger than the limit of/),
      });
    } finally {
      if (previous === undefined) delete process.env.SOURCED_MAX_UPLOAD_MB;
      else process.env.SOURCED_MAX_UPLOAD_MB = previous;
    }
    expect(await observations()).toBe(before);
  });

  it('accepts a file of exactly the upload limit', async () => {
    const previous = process.env.SOURCED_MAX_UPLOAD_MB;
    process.env.SOURCED_MAX_UPLOAD_MB = String(1024 / 1024 / 1024); // 1,024 bytes
    try {
      const exact = `${csv}\nKazakhstan,KAZ,2010,1\n`.padEnd(1024, '\n');
      expect(new Blob([exact]).size).toBe(1024);
      const outcome = await upload([
        ['meta', JSON.stringify(meta)],
        ['file', file(exact)],
      ]);
      expect(report(outcome)).toMatchObject({ ok: true, counts: { added: 3 } });
    } finally {
      if (previous === undefined) delete process.env.SOURCED_MAX_UPLOAD_MB;
      else process.env.SOURCED_MAX_UPLOAD_MB = previous;
    }
  });

  const spillDirs = () =>
    fs.readdirSync(os.tmpdir()).filter((n) => n.startsWith('sourced-upload-'));

  /** A tidy file of `entities` × `years` values. */
  const bigCsv = (entities: number, years: number) => {
    const rows = ['entity,code,period,value'];
    for (let e = 0; e < entities; e++) {
      const code = `Q${String.fromCharCode(65 + Math.floor(e / 26))}${String.fromCharCode(65 + (e % 26))}`;
      for (let y = 0; y < years; y++) rows.push(`Land ${code},${code},${1000 + y},${e + y / 10}`);
    }
    return rows.join('\n');
  };

  it('saves an upload from a file on disk that it then removes, saved or refused', async () => {
    const before = spillDirs();
    const saved = report(
      await upload(
        [
          ['meta', JSON.stringify(meta)],
          ['file', file(bigCsv(40, 500))],
        ],
        false,
        64 * 1024,
      ),
    );
    expect(saved).toMatchObject({ ok: true, committed: true, counts: { added: 20_000 } });
    const refused = report(
      await upload([
        ['meta', JSON.stringify(meta)],
        ['file', file(`${csv}\nFrance,FRA,2012,abc`)],
      ]),
    );
    expect(refused).toMatchObject({ ok: false, committed: false });
    expect(spillDirs()).toEqual(before);
  });

  it('lets another write wait for an upload being saved, then saves it too', async () => {
    const { seriesId } = (
      await scratch.query<{ seriesId: number }>('SELECT id AS "seriesId" FROM "Series" LIMIT 1')
    )[0]!;
    const { body, contentType } = await multipart(
      [
        ['meta', JSON.stringify(meta)],
        ['file', file(bigCsv(150, 1000))],
      ],
      64 * 1024,
    );
    const saving = runUploadJob(scratch.store, body, contentType, false);
    // Once the file is on disk, the upload's writer holds the database while it reads it:
    // the archive is asked for meanwhile, on the same store, as the write worker would.
    while (spillDirs().length === 0) await new Promise((r) => setTimeout(r, 5));
    await new Promise((r) => setTimeout(r, 100));
    const t0 = performance.now();
    const archived = await runWriteJob(scratch.store, {
      type: 'archive',
      seriesId,
      archived: true,
    });
    const waited = performance.now() - t0;
    expect(archived).toMatchObject({ ok: true, archivedAt: expect.any(String) });
    expect(report(await saving)).toMatchObject({ committed: true, counts: { added: 150_000 } });
    // Waited in the store's queue, not on SQLite's lock (5 s a try, then "busy").
    expect(waited).toBeLessThan(4000);
  });
});
