// The full export written in parts by two threads (lib/export/export-thread.ts): the
// parts each thread writes, stitched in order, are the export one thread writes; and
// their gzip output, joined, is one gzip stream of it.
import fs from 'node:fs';
import { randomBytes } from 'node:crypto';
import zlib from 'node:zlib';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  fullExportCounts,
  fullExportCsv,
  fullExportPartsCsv,
  planExportParts,
  type ExportOptions,
  type SeriesRange,
} from '@/lib/export/full-export';
import { exportOutput, type PartEnd } from '@/lib/export/export-output';
import { acceptsGzip, crc32Combine, GZIP_HEADER, gzipTrailer } from '@/lib/export/gzip-parts';
import { commitImport } from '@/lib/import/import-data';
import { setArchived } from '@/lib/import/series-writes';
import { valuesFromFile, valuesFromObservations } from '@/lib/import/sources';
import { importMetaSchema } from '@/lib/schemas';
import { WB_FIXTURE } from '../support/fixtures';
import { createScratchDb, testProvider, type ScratchDb } from '../support/scratch-db';

describe('cutting the export into parts', () => {
  it('covers every series id, in order, with parts of about the asked size', () => {
    const counts: [number, number][] = [
      [3, 4],
      [5, 4],
      [9, 1],
      [10, 20],
      [14, 2],
      [15, 2],
    ];
    expect(planExportParts(counts, 8)).toEqual([
      [0, 8],
      [9, 13],
      [14, Number.MAX_SAFE_INTEGER],
    ]);
  });

  it('makes one part of an empty database', () => {
    expect(planExportParts([], 8)).toEqual([[0, Number.MAX_SAFE_INTEGER]]);
  });
});

describe('joining deflated parts into one gzip stream', () => {
  it('combines CRC-32s as zlib computes them of the whole', () => {
    for (const [a, b] of [
      [0, 0],
      [1, 0],
      [0, 7],
      [13, 1],
      [4096, 70_000],
      [100_000, 3],
    ] as const) {
      const x = randomBytes(a);
      const y = randomBytes(b);
      expect(crc32Combine(zlib.crc32(x), zlib.crc32(y), b)).toBe(zlib.crc32(Buffer.concat([x, y])));
    }
  });

  it('gunzips, parts from two outputs joined in order, to the text they were given', async () => {
    const parts = Array.from({ length: 7 }, (_, i) =>
      Buffer.from(`part ${i},`.repeat(200 + i * 800) + (i === 3 ? '«Ак Жол» 中国' : '')),
    );
    // Each "thread" deflates every other part, as export-worker-main.ts does.
    const outputs = [0, 1].map(() => {
      const messages: (Buffer | PartEnd)[] = [];
      const output = exportOutput(
        true,
        async (chunk) => void messages.push(Buffer.from(chunk)),
        (end) => messages.push(end),
      );
      return { messages, output };
    });
    for (const [index, part] of parts.entries()) {
      const { output } = outputs[index % 2]!;
      // In several writes, as the encoder's chunks come.
      for (let at = 0; at < part.length; at += 4000)
        await output.write(part.subarray(at, at + 4000));
      await output.endPart(index);
    }
    await Promise.all(outputs.map(({ output }) => output.finish()));
    // Stitched as export-thread.ts does: each part's chunks up to its end, in part order.
    const body: Buffer[] = [Buffer.from(GZIP_HEADER)];
    let crc = 0;
    let length = 0;
    for (let index = 0; index < parts.length; index++) {
      const { messages } = outputs[index % 2]!;
      for (;;) {
        const message = messages.shift()!;
        if (Buffer.isBuffer(message)) {
          body.push(message);
          continue;
        }
        expect(message.partEnd).toBe(index);
        crc = crc32Combine(crc, message.crc, message.length);
        length += message.length;
        break;
      }
    }
    body.push(Buffer.from(gzipTrailer(crc, length)));
    expect(zlib.gunzipSync(Buffer.concat(body))).toEqual(Buffer.concat(parts));
  });

  it('reads Accept-Encoding as a client means it', () => {
    expect(acceptsGzip('gzip, deflate, br')).toBe(true);
    expect(acceptsGzip('br;q=1.0, GZIP;q=0.5')).toBe(true);
    expect(acceptsGzip('gzip;q=0, deflate')).toBe(false);
    expect(acceptsGzip('identity')).toBe(false);
    expect(acceptsGzip('*')).toBe(true);
    expect(acceptsGzip('*;q=0')).toBe(false);
    expect(acceptsGzip('')).toBe(false);
    expect(acceptsGzip(null)).toBe(false);
  });
});

describe.skipIf(testProvider !== 'sqlite')('the export written in parts', () => {
  let scratch: ScratchDb;
  let lead: Database.Database;
  let second: Database.Database;
  let beforeRevision: Date;

  beforeAll(async () => {
    scratch = await createScratchDb({ seed: true });
    const store = scratch.writer();
    const growth = importMetaSchema.parse({
      indicator: {
        slug: 'population-growth',
        title: 'Population growth',
        unitLong: 'annual %',
        unitShort: '%',
        decimals: 2,
      },
      kind: 'observed',
      unit: '%',
      entities: ['CHN', 'KAZ', 'KOR', 'MNG', 'RUS'],
      createEntities: true,
      source: {
        title: 'World Development Indicators',
        producer: 'World Bank',
        url: 'https://data.worldbank.org',
      },
    });
    const wb = fs.readFileSync(WB_FIXTURE);
    expect((await commitImport(store, growth, valuesFromFile(wb, growth))).ok).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 5));
    beforeRevision = new Date();
    await new Promise((resolve) => setTimeout(resolve, 5));
    const revised = await commitImport(
      store,
      { ...growth, entities: undefined, entity: 'KAZ' },
      valuesFromObservations('KAZ', [{ period: '2023', value: 1.5 }]),
    );
    expect(revised.counts).toMatchObject({ changed: 1 });
    const hidden = await commitImport(
      store,
      { ...growth, entities: undefined, entity: 'CHN', label: 'Archived before the export' },
      valuesFromObservations('CHN', [{ period: '2020', value: 1 }]),
    );
    await setArchived(store, hidden.entities[0]!.seriesId!, true);
    lead = new Database(scratch.file, { readonly: true });
    second = new Database(scratch.file, { readonly: true });
  });
  afterAll(async () => {
    lead?.close();
    second?.close();
    await scratch?.cleanup();
  });

  const whole = (slug: string | undefined, options: ExportOptions) =>
    Buffer.concat([...fullExportCsv(lead, slug, options)]);

  /** Even parts from one connection, odd from the other, stitched by their ends. */
  function stitched(slug: string | undefined, options: ExportOptions, parts: SeriesRange[]) {
    const split = (db: Database.Database, odd: boolean) => {
      const byPart = new Map<number, Buffer[]>();
      let current: Buffer[] = [];
      for (const item of fullExportPartsCsv(
        db,
        slug,
        options,
        parts,
        (i) => i % 2 === (odd ? 1 : 0),
        !odd,
      )) {
        if (typeof item === 'number') {
          byPart.set(item, current);
          current = [];
        } else current.push(Buffer.from(item));
      }
      return byPart;
    };
    const even = split(lead, false);
    const odd = split(second, true);
    return Buffer.concat(parts.flatMap((_, i) => (i % 2 === 0 ? even : odd).get(i)!));
  }

  it('stitches into the same bytes as one thread writes, for every view of the data', () => {
    const views: [string | undefined, ExportOptions][] = [
      [undefined, { bom: true }],
      [undefined, { bom: false }],
      ['population-growth', { bom: true }],
      [undefined, { bom: true, asOf: beforeRevision }],
      ['population-growth', { bom: true, asOf: beforeRevision }],
    ];
    for (const [slug, options] of views) {
      const parts = planExportParts(fullExportCounts(lead, slug), 7);
      expect(parts.length, `${slug} ${JSON.stringify(options)}`).toBeGreaterThan(4);
      const expected = whole(slug, options);
      expect(stitched(slug, options, parts).equals(expected)).toBe(true);
    }
    // The views differ: the revision and the slug are seen.
    const now = whole(undefined, { bom: true }).toString();
    const then = whole(undefined, { bom: true, asOf: beforeRevision }).toString();
    expect(now).toContain('population-growth,Kazakhstan,KAZ,2023,1.5,');
    expect(then).not.toContain('population-growth,Kazakhstan,KAZ,2023,1.5,');
    expect(now).not.toContain('Archived before the export');
  });

  it("counts one indicator's rows from the index alone", () => {
    const counts = fullExportCounts(lead, 'population-growth');
    expect(counts.length).toBeGreaterThanOrEqual(5);
    const total = counts.reduce((sum, [, n]) => sum + n, 0);
    const rows = whole('population-growth', { bom: false }).toString().trim().split('\r\n');
    expect(total).toBe(rows.length - 1 + 1); // rows less the header, plus the archived one
  });
});
