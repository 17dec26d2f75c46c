// The full CSV export on PostgreSQL has the server print each row's value, and the
// SQLite export prints it in JavaScript (formatCsvNumber): they must agree on every
// double, including the ones float8's output writes in exponent form or as "-0", and
// on times before PostgreSQL's 2000 epoch, late revisions, quotes and filters.
import { drawable } from '@/lib/domain/drawable';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import { formatCsvNumber } from '@/lib/export/csv';
import { FULL_CSV_HEADER } from '@/lib/export/full-export';
import { fullExportStream, fullExportText } from '@/lib/export/full-export-stream';
import { commitImport } from '@/lib/import/import-data';
import { valuesFromObservations } from '@/lib/import/sources';
import { importMetaSchema } from '@/lib/schemas';
import { openStore } from '@/lib/store';
import { copyDatabase } from '@/lib/store/copy';
import { serverTextIsCsvNumber } from '@/lib/export/postgres-export';
import { createScratchDb, testServer, type ScratchDb } from '../support/scratch-db';

/** The doubles next to `x`: one step down and one up. */
function neighbours(x: number): number[] {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const bits = view.getBigUint64(0);
  return [bits - 1n, bits + 1n].map((b) => {
    view.setBigUint64(0, b);
    return view.getFloat64(0);
  });
}

/** Deterministic doubles of every magnitude, from random bit patterns and decimals. */
function randomDoubles(count: number): number[] {
  let seed = 20261130;
  const next = () => {
    seed = (seed * 1103515245 + 12345) >>> 0;
    return seed;
  };
  const view = new DataView(new ArrayBuffer(8));
  const out: number[] = [];
  while (out.length < count) {
    view.setUint32(0, next());
    view.setUint32(4, next());
    const bits = view.getFloat64(0);
    if (drawable(bits)) out.push(bits);
    const decimal = Number(`${next() % 1_000_000}e${(next() % 50) - 25}`) * (next() % 2 ? -1 : 1);
    if (drawable(decimal)) out.push(decimal);
  }
  return out;
}

const EDGE_VALUES = [
  1e-7,
  1.5e-7,
  1e-5,
  123456789012345680000,
  1e21,
  1e-300,
  -0,
  0,
  0.1 + 0.2,
  -1.5e-8,
  -2.5e-5,
  1234567890123456.7,
  // The ends of what the value rule stores (lib/domain/drawable.ts).
  1e300,
  -1e300,
  1.0000000000000001e-300,
  99999.5,
  -1e-7,
  ...[1e-7, 1e-6, 1e-4, 1e15, 1e21].flatMap((x) => [x, -x, ...neighbours(x), ...neighbours(-x)]),
];

// Indicators of their own, in a unit with no conversions: any value the value rule stores.
const meta = (label: string, entity: string, slug = 'export-values') =>
  importMetaSchema.parse({
    indicator: { slug, title: slug, unitLong: 'points', unitShort: 'pt', decimals: 2 },
    kind: 'observed',
    unit: 'pt',
    entity,
    entities: [entity],
    label,
    source: {
      title: 'Export formatting test, “quoted”',
      producer: 'Sourced tests',
      url: 'https://example.org/export',
    },
  });

/** A day per value (years alone stop at 2200). */
const period = (i: number) => new Date(Date.UTC(1900, 0, 1 + i)).toISOString().slice(0, 10);

async function commit(...args: Parameters<typeof commitImport>) {
  const report = await commitImport(...args);
  expect(report.errors).toEqual([]);
  expect(report.committed).toBe(true);
}

describe.skipIf(!testServer)('the full export on PostgreSQL', () => {
  let sqlite: ScratchDb;
  let postgres: ScratchDb;
  const values = [...EDGE_VALUES, ...randomDoubles(3000)];

  beforeAll(async () => {
    [sqlite, postgres] = await Promise.all([
      createScratchDb({ seed: true, provider: 'sqlite' }),
      createScratchDb({ provider: 'postgresql' }),
    ]);
    // Recorded before 2000 (a negative time in PostgreSQL's binary format), at the
    // epoch itself, and late; one series revised past the revisions the encoder caches.
    const edge = values.slice(0, EDGE_VALUES.length);
    await commit(
      sqlite.store,
      meta('Edge values', 'CHN'),
      valuesFromObservations(
        'CHN',
        edge.map((value, i) => ({ period: period(i), value })),
      ),
      new Date('1999-12-31T23:59:59.999Z'),
    );
    const random = values.slice(EDGE_VALUES.length);
    await commit(
      sqlite.store,
      meta('Random values', 'KAZ'),
      valuesFromObservations(
        'KAZ',
        random.map((value, i) => ({ period: period(i), value })),
      ),
      new Date('2000-01-01T00:00:00.000Z'),
    );
    for (let r = 0; r < 70; r++) {
      await commit(
        sqlite.store,
        meta('Revised often', 'CHN', 'export-revisions'),
        valuesFromObservations('CHN', [{ period: '2030', value: r / 7 }]),
        new Date(Date.UTC(2041, 0, 1, 0, 0, r, 7)),
      );
    }
    await copyDatabase(sqlite.url, postgres.url);
  }, 120_000);
  afterAll(() => Promise.all([sqlite?.cleanup(), postgres?.cleanup()]));

  it('writes every value as formatCsvNumber does, byte for byte as the SQLite export', async () => {
    const text = await fullExportText(postgres.store, undefined, { bom: false });
    expect(text).toBe(await fullExportText(sqlite.store, undefined, { bom: false }));
    const rows = parse(text, { columns: true }) as Record<string, string>[];
    expect(Object.keys(rows[0]!)).toEqual([...FULL_CSV_HEADER]);
    const written = (label: string) =>
      rows.filter((r) => r.series === label).map((r) => [r.period, r.value]);
    expect(written('Edge values')).toEqual(
      EDGE_VALUES.map((v, i) => [period(i), formatCsvNumber(v)]),
    );
    expect(written('Random values')).toEqual(
      values.slice(EDGE_VALUES.length).map((v, i) => [period(i), formatCsvNumber(v)]),
    );
    // Both sides of each threshold took both paths: the server's text and the rewrite.
    expect(EDGE_VALUES.filter(serverTextIsCsvNumber).length).toBeGreaterThan(5);
    expect(EDGE_VALUES.filter((v) => !serverTextIsCsvNumber(v)).length).toBeGreaterThan(10);

    const stamps = new Set(rows.map((r) => r.recorded_at));
    expect(stamps).toContain('1999-12-31T23:59:59.999Z');
    expect(stamps).toContain('2000-01-01T00:00:00.000Z');
    const revised = rows.filter((r) => r.series === 'Revised often');
    expect(revised).toEqual([
      expect.objectContaining({ revision: '70', recorded_at: '2041-01-01T00:01:09.007Z' }),
    ]);
    // The article's quotes and their outlets came through.
    expect(rows.filter((r) => r.quote !== '').length).toBeGreaterThan(0);
  });

  it('agrees with the SQLite export for one indicator and as of a date', async () => {
    for (const slug of ['export-revisions', 'export-values', 'oil-import-share']) {
      for (const asOf of [null, new Date('2041-01-01T00:00:30Z'), new Date('2000-01-01')]) {
        expect(await fullExportText(postgres.store, slug, { asOf }), `${slug} ${asOf}`).toBe(
          await fullExportText(sqlite.store, slug, { asOf }),
        );
      }
    }
  });

  it('hands its connection back usable, or closes it, when a download is cancelled', async () => {
    const pool = new pg.Pool({ connectionString: postgres.url, max: 1 });
    const store = openStore(postgres.url, { pool });
    try {
      for (let i = 0; i < 3; i++) {
        const chunks = fullExportStream(store, undefined, {});
        await chunks.next(); // the header
        await chunks.next(); // rows: the COPY is running
        await chunks.return(undefined);
      }
      // The pool's one connection is free again and not stuck in the COPY.
      const { rows } = await pool.query<{ n: string }>('SELECT COUNT(*) AS n FROM "Observation"');
      expect(Number(rows[0]!.n)).toBeGreaterThan(3000);
      expect((await fullExportText(store)).length).toBeGreaterThan(100_000);
    } finally {
      await store.close();
      await pool.end();
    }
  });
});
