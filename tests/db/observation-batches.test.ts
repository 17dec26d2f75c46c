// The store writes observations in INSERTs of 500 rows whose statement carries the write's
// time, and the values' precision when they share one. Every row must read back as it was
// read from the file, whichever statement wrote it: shared or mixed precisions, with or
// without ranges and notes, and the rows after the last full batch.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { commitFileImport } from '@/lib/import/file-import';
import { importsFromFile } from '@/lib/import/sources';
import { importMetaSchema } from '@/lib/schemas';
import { createScratchDb, type ScratchDb } from '../support/scratch-db';

const NOW = new Date('2026-11-30T12:00:00.000Z');
const meta = importMetaSchema.parse({
  indicator: {
    slug: 'batch-check',
    title: 'Batch check',
    unitLong: 'index points',
    unitShort: 'pts',
  },
  kind: 'observed',
  unit: 'index points',
  createEntities: true,
  source: { title: 'Batch check', producer: 'Sourced tests', url: 'https://example.org/batch' },
});

type Row = { code: string; period: string; precision: string; value: number; note: string | null };

function fileOf(rows: Row[], withNotes: boolean): Uint8Array {
  const head = withNotes ? 'entity,code,period,value,note' : 'entity,code,period,value';
  const lines = rows.map(
    (r) => `${r.code} land,${r.code},${r.period},${r.value}${withNotes ? `,${r.note ?? ''}` : ''}`,
  );
  return new TextEncoder().encode([head, ...lines].join('\n') + '\n');
}

async function stored(scratch: ScratchDb): Promise<Row[]> {
  return scratch.query<Row>(
    `SELECT e.code, o.period, o.precision, o.value, o.note FROM "Observation" o
       JOIN "Series" s ON s.id = o."seriesId" JOIN "Entity" e ON e.id = s."entityId"
       JOIN "Indicator" i ON i.id = s."indicatorId"
      WHERE i.slug = 'batch-check' AND o."recordedAt" = ? ORDER BY e.code, o.period`,
    [NOW.toISOString().replace('Z', '+00:00')],
  );
}

const sorted = (rows: Row[]) =>
  [...rows].sort((a, b) => a.code.localeCompare(b.code) || a.period.localeCompare(b.period));

describe('observations written in batches', () => {
  let scratch: ScratchDb;
  beforeEach(async () => {
    scratch = await createScratchDb();
  });
  afterEach(() => scratch.cleanup());

  it('reads back years and months of one file, with and without notes', async () => {
    const rows: Row[] = [];
    // 701 years and 613 months: two full batches and a remainder, two precisions.
    for (let y = 1500; y <= 2200; y++)
      rows.push({ code: 'QYR', period: String(y), precision: 'year', value: y / 4, note: null });
    for (let m = 0; m < 613; m++) {
      const period = `${1950 + Math.floor(m / 12)}-${String((m % 12) + 1).padStart(2, '0')}`;
      const note = m % 100 === 7 ? `revised ${m}` : null;
      rows.push({ code: 'QMO', period, precision: 'month', value: m + 0.5, note });
    }
    const report = await commitFileImport(
      scratch.store,
      importsFromFile(fileOf(rows, true), meta),
      NOW,
    );
    expect(report.committed).toBe(true);
    expect(await stored(scratch)).toEqual(sorted(rows));
  });

  it('reads back days that share their precision, without notes', async () => {
    const rows: Row[] = [];
    for (let d = 0; d < 1234; d++) {
      const period = new Date(Date.UTC(2001, 0, 1) + d * 86_400_000).toISOString().slice(0, 10);
      rows.push({ code: 'QDY', period, precision: 'day', value: d * 1.25, note: null });
    }
    await commitFileImport(scratch.store, importsFromFile(fileOf(rows, false), meta), NOW);
    expect(await stored(scratch)).toEqual(sorted(rows));
  });
});
