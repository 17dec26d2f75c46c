import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { observationsJson } from '@/lib/api/read';
import { parseAsOf } from '@/lib/domain/as-of';
import { DEFAULT_VIEW } from '@/lib/domain/chart-view';
import { commitImport } from '@/lib/import/import-data';
import { valuesFromFile } from '@/lib/import/sources';
import type { ReadStore } from '@/lib/read';
import { importMetaSchema } from '@/lib/schemas';
import { loadIndicatorView } from '@/lib/views/indicator';
import { scratchReadStore } from '../support/read-store';
import { createScratchDb, type ScratchDb } from '../support/scratch-db';

// What the read path knows "as of" a day, on the store the tests run on (SQLite, or
// PostgreSQL with TEST_DATABASE). `asOf=YYYY-MM-DD` is the last millisecond of that day,
// and a value recorded at exactly that millisecond is known then: the boundary is `<=`.
const DAY = '2022-03-04';
const AT = parseAsOf(DAY)!; // 2022-03-04T23:59:59.999Z
const DAY_BEFORE = '2022-03-03';
const SLUG = 'known-then';

let scratch: ScratchDb;
let read: { store: ReadStore; close(): Promise<void> };
let seriesId: number;
let savedUrl: string | undefined;

async function importAt(slug: string, rows: [string, number][], now: Date) {
  const meta = importMetaSchema.parse({
    indicator: { slug, title: slug, unitLong: 'units', unitShort: 'u' },
    kind: 'observed',
    unit: 'units',
    createEntities: true,
    source: { title: 'As-of test data', producer: 'Sourced tests', url: 'https://example.org/a' },
  });
  const csv = ['entity,code,period,value', ...rows.map(([p, v]) => `China,CHN,${p},${v}`)];
  const report = await commitImport(
    scratch.writer(),
    meta,
    valuesFromFile(new TextEncoder().encode(csv.join('\n')), meta),
    now,
  );
  expect(report.errors).toEqual([]);
}

beforeAll(async () => {
  scratch = await createScratchDb();
  // 2010 is revised at exactly AT and again later; 2012 first appears at exactly AT.
  await importAt(
    SLUG,
    [
      ['2010', 1],
      ['2011', 10],
    ],
    new Date('2021-05-01T12:00:00Z'),
  );
  await importAt(
    SLUG,
    [
      ['2010', 2],
      ['2012', 20],
    ],
    AT,
  );
  await importAt(SLUG, [['2010', 3]], new Date('2023-01-01T00:00:00Z'));
  // An indicator (and its series) created at exactly AT.
  await importAt('born-at-as-of', [['2015', 5]], AT);
  read = scratchReadStore(scratch);
  const [row] = await scratch.query<{ id: number }>(
    'SELECT s.id FROM "Series" s JOIN "Indicator" i ON i.id = s."indicatorId" WHERE i.slug = ?',
    [SLUG],
  );
  seriesId = row!.id;
  // observationsJson looks the series up through the process's Prisma client.
  savedUrl = process.env.DATABASE_URL;
  process.env.DATABASE_URL = scratch.url;
});

afterAll(async () => {
  if (savedUrl === undefined) delete process.env.DATABASE_URL;
  else process.env.DATABASE_URL = savedUrl;
  await read?.close();
  await scratch?.cleanup();
});

const valuesOf = (rows: { period: string; value: number | null }[]) =>
  Object.fromEntries(rows.map((r) => [r.period, r.value]));

describe('the read store as of a day', () => {
  it('knows what was recorded at exactly asOf, and not the moment before', async () => {
    const page = (asOf: Date | null) =>
      read.store.observationPage(seriesId, {
        range: { from: null, to: null },
        asOf,
        after: null,
        limit: 10,
      });
    expect(valuesOf(await page(AT))).toEqual({ '2010': 2, '2011': 10, '2012': 20 });
    // One revision per period: the one superseded at exactly asOf is no longer live.
    expect((await page(AT)).map((r) => [r.period, r.revision])).toEqual([
      ['2010', 2],
      ['2011', 1],
      ['2012', 1],
    ]);
    expect(valuesOf(await page(new Date(AT.getTime() - 1)))).toEqual({ '2010': 1, '2011': 10 });
    expect(valuesOf(await page(null))).toEqual({ '2010': 3, '2011': 10, '2012': 20 });
  });

  it('lists an indicator and a series created at exactly asOf', async () => {
    const slugs = async (asOf: Date) => (await read.store.listIndicators(asOf)).map((i) => i.slug);
    expect(await slugs(AT)).toContain('born-at-as-of');
    expect(await slugs(new Date(AT.getTime() - 1))).not.toContain('born-at-as-of');
    const [born] = await scratch.query<{ id: number }>(
      'SELECT id FROM "Indicator" WHERE slug = ?',
      ['born-at-as-of'],
    );
    expect(await read.store.listSeries(born!.id, AT)).toHaveLength(1);
    expect(await read.store.listSeries(born!.id, new Date(AT.getTime() - 1))).toEqual([]);
  });

  it('draws the chart as of the day a revision was recorded at its last millisecond', async () => {
    const points = async (asOf: string) =>
      (await loadIndicatorView(SLUG, { ...DEFAULT_VIEW, asOf }, {}, read.store))!.chart[0]!.points;
    expect(valuesOf(await points(DAY))).toEqual({ '2010': 2, '2011': 10, '2012': 20 });
    expect(valuesOf(await points(DAY_BEFORE))).toEqual({ '2010': 1, '2011': 10 });
  });
});

describe('GET /api/series/<id>/observations?asOf=', () => {
  const get = async (query: string) => {
    const url = new URL(`http://localhost/api/series/${seriesId}/observations${query}`);
    return (await observationsJson(seriesId, url, read.store))!;
  };

  it('answers with the values as known at the end of that day', async () => {
    expect(valuesOf((await get(`?asOf=${DAY}`)).observations)).toEqual({
      '2010': 2,
      '2011': 10,
      '2012': 20,
    });
    expect(valuesOf((await get(`?asOf=${DAY_BEFORE}`)).observations)).toEqual({
      '2010': 1,
      '2011': 10,
    });
    expect(valuesOf((await get('')).observations)).toEqual({ '2010': 3, '2011': 10, '2012': 20 });
  });

  it('gives each value the revision and the time it was recorded', async () => {
    const [y2010] = (await get(`?asOf=${DAY}`)).observations;
    expect(y2010).toMatchObject({ period: '2010', value: 2, revision: 2 });
    expect(y2010!.recordedAt).toBe(AT.toISOString());
  });
});
