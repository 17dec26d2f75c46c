// The fuzz pass, part 3 (issue #25): files whose cells hold NUL, lone surrogates and the
// rest of the hostile texts, uploaded as POST /api/imports takes them (the multipart body
// as the write worker reads it, runUploadJob), previewed (dryRun) and committed, on the
// store the tests run on (SQLite, or PostgreSQL with TEST_DATABASE set). No 5xx; a NUL in
// a cell the import keeps is the same 400 on both stores, naming the row and column; a
// refused upload, and every preview, leaves the database as it was.
import fc from 'fast-check';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createScratchDb, testProvider, type ScratchDb } from '../support/scratch-db';
import { buildXlsx, type Cell } from '../formats/xlsx-builder';
import { hostileText } from './hostile';
import { failureOfOutcome } from '@/lib/api/errors';
import { textProblem } from '@/lib/domain/text';
import { ChunkQueue } from '@/lib/write/upload';
import { runUploadJob, type WriteOutcome } from '@/lib/write/write-job';

let scratch: ScratchDb;
beforeAll(async () => {
  scratch = await createScratchDb({ seed: true });
});
afterAll(() => scratch.cleanup());

const meta = {
  indicator: { slug: 'nul-cells', title: 'NUL cells', unitLong: 'percent', unitShort: '%' },
  kind: 'observed',
  unit: '%',
  createEntities: true,
  source: { title: 'NUL cells', producer: 'Sourced fuzz', url: 'https://example.org/nul' },
};

/** Where the hostile text goes: a cell the import keeps, or one it never reads. */
const PLACES = ['entity', 'unit', 'note', 'ignored', 'ignored header'] as const;
type Place = (typeof PLACES)[number];
const KEPT: Place[] = ['entity', 'unit', 'note'];

/** A two-row file (header and France's 2010) with `text` at `place`. */
function table(place: Place, text: string): Cell[][] {
  const header = ['entity', 'code', 'period', 'value', 'unit', 'note', 'extra'];
  const row: Cell[] = ['France', 'FRA', '2010', '1.5', '%', 'a note', 'x'];
  if (place === 'ignored header') header[6] = text;
  else row[place === 'ignored' ? 6 : header.indexOf(place)] = text;
  return [header, row];
}

const csvCell = (c: Cell) => `"${String(c).replace(/"/g, '""')}"`;
const csv = (rows: Cell[][]) => rows.map((r) => r.map(csvCell).join(',')).join('\n');

/** What the route answers: 201/200 for a report that is ok, 400 for one that is not. */
function statusOf(outcome: WriteOutcome, dryRun: boolean): number {
  if (!outcome.ok) return failureOfOutcome(outcome).status;
  if (!('report' in outcome)) return 200;
  if (!outcome.report.ok) return 400;
  return dryRun ? 200 : 201;
}

async function upload(file: File, dryRun: boolean) {
  const form = new FormData();
  form.append('meta', JSON.stringify(meta));
  form.append('file', file);
  const response = new Response(form);
  const queue = new ChunkQueue();
  queue.push(new Uint8Array(await response.arrayBuffer()));
  queue.end();
  const contentType = response.headers.get('content-type')!;
  const outcome = await runUploadJob(scratch.store, queue, contentType, dryRun);
  const errors = outcome.ok && 'report' in outcome ? outcome.report.errors : [];
  return { status: statusOf(outcome, dryRun), errors };
}

async function counts() {
  const rows = await scratch.query<{ n: number }>(
    `SELECT (SELECT COUNT(*) FROM "Observation") + (SELECT COUNT(*) FROM "Series") + (SELECT COUNT(*) FROM "Source") + (SELECT COUNT(*) FROM "Entity") + (SELECT COUNT(*) FROM "Indicator") AS n`,
  );
  return Number(rows[0]!.n);
}

/** Previews, then commits; both answer alike, and neither a refusal nor a preview writes. */
async function previewThenCommit(file: () => File) {
  const before = await counts();
  const preview = await upload(file(), true);
  expect(preview.status).toBeLessThan(500);
  expect(await counts()).toBe(before);
  const commit = await upload(file(), false);
  expect(commit.status).toBeLessThan(500);
  expect(commit.status >= 400).toBe(preview.status >= 400);
  if (commit.status >= 400) expect(await counts()).toBe(before);
  return commit;
}

const csvFile = (place: Place, text: string) => () =>
  new File([csv(table(place, text))], 'cells.csv', { type: 'text/csv' });

describe(`fuzz: hostile cells in uploaded files on ${testProvider}`, () => {
  it.each(KEPT)('a NUL in the %s cell is a 400 naming row 2 and the column', async (place) => {
    const commit = await previewThenCommit(csvFile(place, 'Fr\u0000a'));
    expect(commit.status).toBe(400);
    expect(commit.errors).toContainEqual(
      expect.objectContaining({
        row: 2,
        column: place,
        reason: expect.stringContaining('contains a NUL character, which cannot be stored'),
      }),
    );
  });

  it('a NUL in a column the import does not read is ignored, on both stores alike', async () => {
    for (const place of ['ignored', 'ignored header'] as const) {
      const commit = await previewThenCommit(csvFile(place, 'x\u0000y'));
      expect(commit.status, place).toBeLessThan(400);
    }
  });

  it('a workbook whose XML holds a NUL or a lone surrogate is refused whole, writing nothing', async () => {
    for (const raw of ['a\u0000b', 'a&#0;b', 'a&#xD800;b', 'a&#xDC00;']) {
      const book = unzipSync(buildXlsx([{ name: 'Data', rows: table('note', 'PLACEHOLDER') }]));
      for (const [name, bytes] of Object.entries(book))
        if (name.endsWith('.xml'))
          book[name] = strToU8(strFromU8(bytes).replace('PLACEHOLDER', raw));
      const bytes = zipSync(book);
      const commit = await previewThenCommit(() => new File([bytes], 'cells.xlsx'));
      expect(commit.status, raw).toBe(400);
    }
  });

  it('any hostile text anywhere: no 5xx, previews and refusals write nothing', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...PLACES),
        hostileText,
        fc.boolean(),
        async (place, text, asWorkbook) => {
          const rows = table(place, text);
          const file = asWorkbook
            ? () =>
                new File(
                  [buildXlsx([{ name: 'Data', rows }]) as Uint8Array<ArrayBuffer>],
                  'cells.xlsx',
                )
            : csvFile(place, text);
          const commit = await previewThenCommit(file);
          // A NUL survives CSV and the workbook's XML refuses it: either way, a 400.
          if (KEPT.includes(place) && textProblem(text) && text.includes('\u0000'))
            expect(commit.status).toBe(400);
        },
      ),
      { numRuns: 40 },
    );
  });
});
