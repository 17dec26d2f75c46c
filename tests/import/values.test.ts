// Values that would poison every download that shows them, and the low–high rule,
// through each path into the database.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import type { Store } from '@/lib/store';
import type { SqliteStore } from '@/lib/store/sqlite';
import { chartCsvChunks } from '@/lib/export/responses';
import { sqliteReadStore } from '@/lib/read/sqlite';
import { loadIndicatorView } from '@/lib/views/indicator';
import { DEFAULT_VIEW } from '@/lib/domain/chart-view';
import { boundsProblem } from '@/lib/domain/bounds';
import { convertFinite, unstorableValue } from '@/lib/domain/units';
import { commitImport, previewImport } from '@/lib/import/import-data';
import { valuesFromFile, valuesFromObservations } from '@/lib/import/sources';
import { importMetaSchema } from '@/lib/schemas';
import { createScratchDb, type ScratchDb } from '../support/scratch-db';

const source = { title: 'Value checks', producer: 'Sourced tests', url: 'https://example.org/v' };
const densityMeta = importMetaSchema.parse({
  indicator: 'population-density',
  kind: 'observed',
  unit: 'people per km²',
  source,
});

function count(db: Store): number {
  const conn = (db as SqliteStore).connection;
  return (conn.prepare('SELECT COUNT(*) AS n FROM "Observation"').get() as { n: number }).n;
}

describe('unstorableValue', () => {
  it('refuses a value that overflows in another unit of its dimension', () => {
    // 1.79e308 people/km² is 4.6e308 people/mi²: Infinity.
    expect(unstorableValue(1.79e308, 'people per km²')).toBe(
      '1.79e+308 people/km² is too large to be shown in people/mi²',
    );
    expect(unstorableValue(1e299, 'people per mi²')).toBeNull();
    expect(unstorableValue(1e303, 'million people')).toMatch(/too large to be shown in people$/);
    expect(unstorableValue(1e299, 'people per km²')).toBeNull();
    expect(unstorableValue(Infinity, 'anything')).toBe('Infinity is not a finite number');
    expect(unstorableValue(NaN, 'people')).toBe('NaN is not a finite number');
    // A unit the registry does not know converts to nothing else.
    expect(unstorableValue(1e300, 'index points')).toBeNull();
  });

  it('has convertFinite say null where a conversion overflows', () => {
    expect(convertFinite(1.79e308, 2.589988110336)).toBeNull();
    expect(convertFinite(10, 0.5)).toBe(5);
  });
});

describe('boundsProblem', () => {
  it('is an error when low is above high, a warning when the value is outside', () => {
    expect(boundsProblem(5, 6, 4)).toMatchObject({ severity: 'error', column: 'low' });
    expect(boundsProblem(9, 1, 4)).toMatchObject({ severity: 'warning', column: 'value' });
    expect(boundsProblem(3, 1, 4)).toBeNull();
    expect(boundsProblem(3, undefined, null)).toBeNull();
  });
});

describe('the write path', () => {
  let scratch: ScratchDb;
  let db: Store;
  beforeAll(async () => {
    // SQLite's store: the download check below reads the file directly.
    scratch = await createScratchDb({ seed: true, provider: 'sqlite' });
    db = scratch.store;
  });
  afterAll(() => scratch.cleanup());

  it('refuses 1.79e308 from JSON, naming row and field, and stores nothing', async () => {
    const before = count(db);
    const report = await commitImport(
      db,
      densityMeta,
      valuesFromObservations('CHN', [
        { period: '2019', value: 150 },
        { period: '2020', value: 1.79e308 },
        { period: '2021', value: 150, low: 1e299, high: 1.79e308 },
      ]),
    );
    expect(report.ok).toBe(false);
    expect(report.errors.map((e) => [e.row, e.column, e.reason])).toEqual([
      [2, 'value', '1.79e+308 people/km² is too large to be shown in people/mi²'],
      [3, 'high', '1.79e+308 people/km² is too large to be shown in people/mi²'],
    ]);
    expect(count(db)).toBe(before);
  });

  it('refuses the same value from a CSV file', async () => {
    const csv = 'entity,code,period,value\nChina,CHN,2020,1.79e308\n';
    const report = await previewImport(
      db,
      densityMeta,
      valuesFromFile(new TextEncoder().encode(csv), densityMeta),
    );
    expect(report.errors).toEqual([
      {
        row: 2,
        column: 'value',
        reason: '1.79e+308 people/km² is too large to be shown in people/mi²',
        severity: 'error',
      },
    ]);
  });

  it('applies one low–high rule to JSON and CSV', async () => {
    const json = await previewImport(
      db,
      densityMeta,
      valuesFromObservations('CHN', [{ period: '2020', value: 5, low: 6, high: 4 }]),
    );
    const csv = await previewImport(
      db,
      densityMeta,
      valuesFromFile(
        new TextEncoder().encode('entity,code,period,value,low,high\nChina,CHN,2020,5,6,4\n'),
        densityMeta,
      ),
    );
    for (const report of [json, csv]) {
      expect(report.ok).toBe(false);
      expect(report.errors).toEqual([
        {
          row: expect.any(Number),
          column: 'low',
          reason: 'low (6) is greater than high (4)',
          severity: 'error',
        },
      ]);
    }
    // A value outside its own range is accepted with a warning, by both paths too.
    const outside = await previewImport(
      db,
      densityMeta,
      valuesFromObservations('CHN', [{ period: '2020', value: 9, low: 1, high: 4 }]),
    );
    expect(outside.ok).toBe(true);
    expect(outside.warnings.map((w) => w.reason)).toEqual([
      'the value 9 lies outside its low–high range',
    ]);
  });

  it('leaves a cell empty, not the download failing, for a value stored before the check', async () => {
    // As an older version would have stored it: straight into the table.
    const conn = (db as SqliteStore).connection;
    const series = conn
      .prepare(
        `SELECT s.id FROM "Series" s JOIN "Indicator" i ON i.id = s."indicatorId" WHERE i.slug = 'population-density' LIMIT 1`,
      )
      .get() as { id: number };
    conn
      .prepare(
        `INSERT INTO "Observation" ("seriesId", period, precision, value, revision, "recordedAt") VALUES (?, '1999', 'year', 1.79e308, 1, '2020-01-01 00:00:00')`,
      )
      .run(series.id);
    const reader = new Database(scratch.file, { readonly: true });
    try {
      const store = sqliteReadStore(reader);
      const view = { ...DEFAULT_VIEW, unit: 'people per mi²' };
      const v = (await loadIndicatorView('population-density', view, {}, store))!;
      const points = v.chart.flatMap((c) => c.points);
      expect(points.length).toBeGreaterThan(0);
      expect(points.some((p) => p.period === '1999')).toBe(false);
      expect(v.table.rows.some((r) => r.period === '1999')).toBe(false);
      const rows = store.chartRows(
        v.chart.map((c) => c.id),
        { from: null, to: null },
        null,
      );
      const chunks: Uint8Array[] = [];
      for await (const chunk of chartCsvChunks(v, false, rows)) chunks.push(chunk);
      const csv = Buffer.concat(chunks).toString('utf8');
      expect(csv).toContain('Entity,Code,Year');
      // The row is there, its cell empty: the download completes.
      expect(csv).toMatch(/\r\nChina,CHN,1999,(,)*\r\n/);
    } finally {
      reader.close();
    }
  });
});
