// The read path's PostgreSQL store: the same chart points as the SQLite store (which
// downsamples in JavaScript, lib/domain/downsample.ts) for the same rows, from SQL that
// sends only the kept points; a data version that lets the read cache work without
// ever serving one app server's stale data after another's write; and failures that
// reach the user as "unavailable", not as a driver's error.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { openReadConnection } from '@/lib/db/client';
import { commitImport } from '@/lib/import/import-data';
import { valuesFromObservations } from '@/lib/import/sources';
import { type ReadStore } from '@/lib/read';
import { sqliteReadStore } from '@/lib/read/sqlite';
import { cached } from '@/lib/read/cache';
import { importMetaSchema } from '@/lib/schemas';
import { copyDatabase } from '@/lib/store/copy';
import { DatabaseUnavailableError } from '@/lib/db/failures';
import { postgresReadStore } from '@/lib/read/postgres';
import { DatabaseBusyError } from '@/lib/db/errors';
import { createScratchDb, testServer, type ScratchDb } from '../support/scratch-db';

const meta = (label: string, entity: string) =>
  importMetaSchema.parse({
    indicator: {
      slug: 'read-test',
      title: 'Read test',
      unitLong: 'points',
      unitShort: 'pt',
      decimals: 1,
    },
    kind: 'observed',
    unit: 'pt',
    entity,
    entities: [entity],
    createEntities: true,
    label,
    source: { title: 'Read store test', producer: 'Sourced tests', url: 'https://example.org/r' },
  });

/** A day per point, from 1990 on. */
const day = (i: number) => new Date(Date.UTC(1990, 0, 1 + i)).toISOString().slice(0, 10);

// Series lengths around the bucket counts below, values from a small set so that
// lows and highs tie, and a revised stretch so that `asOf` sees other values.
const LENGTHS = [1, 2, 3, 7, 8, 9, 50, 51, 200, 1000, 4000];
const ENTITIES = ['CHN', 'KAZ', 'FRA', 'DEU', 'USA', 'RUS', 'IND', 'JPN', 'BRA', 'GBR', 'ITA'];

describe.skipIf(!testServer)('the PostgreSQL read store', () => {
  let sqlite: ScratchDb;
  let postgres: ScratchDb;
  let pool: pg.Pool;
  let pgRead: ReadStore;
  let liteRead: ReadStore;
  let closeLite: () => void;
  let ids: number[];

  beforeAll(async () => {
    [sqlite, postgres] = await Promise.all([
      createScratchDb({ seed: true, provider: 'sqlite' }),
      createScratchDb({ provider: 'postgresql' }),
    ]);
    let seed = 7;
    const next = () => (seed = (seed * 48271) % 2147483647);
    ids = [];
    for (const [k, length] of LENGTHS.entries()) {
      const observations = Array.from({ length }, (_, i) => ({
        period: day(i),
        value: (next() % 9) - 4 + (k % 3 === 0 ? 0 : (next() % 1000) / 1000),
      }));
      const report = await commitImport(
        sqlite.store,
        meta(`Series of ${length}`, ENTITIES[k]!),
        valuesFromObservations(ENTITIES[k]!, observations),
        new Date('2024-01-01T00:00:00Z'),
      );
      expect(report.errors).toEqual([]);
      expect(report.committed).toBe(true);
      ids.push(report.entities[0]!.seriesId!);
    }
    // A series whose precision varies and whose values carry lows and highs: the points
    // kept are read again for those, on both stores.
    const mixed = valuesFromObservations(
      'CAN',
      Array.from({ length: 300 }, (_, i) => ({
        period: i % 2 ? day(i) : String(1600 + i),
        value: (i * 7) % 11,
        low: i % 5 === 0 ? -1 - i : undefined,
        high: i % 5 === 0 ? 20 + i : undefined,
      })),
    );
    for (const [i, v] of mixed.values.entries()) v.precision = i % 2 ? 'day' : 'year';
    const bounded = await commitImport(
      sqlite.store,
      meta('Mixed precision, with bounds', 'CAN'),
      mixed,
      new Date('2024-01-01T00:00:00Z'),
    );
    expect(bounded.errors).toEqual([]);
    ids.push(bounded.entities[0]!.seriesId!);
    // A revision of part of the longest series, later.
    await commitImport(
      sqlite.store,
      meta('Series of 4000', 'ITA'),
      valuesFromObservations(
        'ITA',
        Array.from({ length: 500 }, (_, i) => ({ period: day(i * 3), value: 100 - (i % 17) })),
      ),
      new Date('2025-01-01T00:00:00Z'),
    );
    await copyDatabase(sqlite.url, postgres.url);
    pool = new pg.Pool({ connectionString: postgres.url, max: 4 });
    pgRead = postgresReadStore(pool);
    const conn = openReadConnection(sqlite.url);
    liteRead = sqliteReadStore(conn);
    closeLite = () => conn.close();
  }, 120_000);
  afterAll(async () => {
    closeLite?.();
    await pool?.end();
    await Promise.all([sqlite?.cleanup(), postgres?.cleanup()]);
  });

  it('keeps the same chart points as the SQLite store, in the same order', async () => {
    const ranges = [
      { from: null, to: null },
      { from: 1990, to: 1991 },
      { from: 1995, to: null },
    ];
    const asOfs = [null, new Date('2024-06-01T00:00:00Z')];
    let compared = 0;
    for (const buckets of [1, 2, 3, 7.5, 8, 50, 700]) {
      for (const range of ranges) {
        for (const asOf of asOfs) {
          const lite = await liteRead.points(ids, range, asOf, buckets);
          const pgPoints = await pgRead.points(ids, range, asOf, buckets);
          expect(pgPoints.points, `${buckets} buckets, ${JSON.stringify(range)}, ${asOf}`).toEqual(
            lite.points,
          );
          expect(pgPoints.stats).toEqual(lite.stats);
          compared += lite.points.length;
        }
      }
    }
    // A view of a few series is read in one statement, the rest in a transaction: both
    // keep what SQLite keeps, and a few series with points to read again (the mixed
    // one) take the transaction.
    for (const few of [ids.slice(0, 1), ids.slice(-3), ids.slice(2, 10), ids.slice(-9)]) {
      const lite = await liteRead.points(few, ranges[0]!, null, 8);
      expect((await pgRead.points(few, ranges[0]!, null, 8)).points, `${few}`).toEqual(lite.points);
    }
    // The mixed series' kept points carry their own precision and bounds.
    const mixedPoints = (await pgRead.points(ids.slice(-1), ranges[0]!, null, 8)).points;
    expect(new Set(mixedPoints.map((p) => p.precision))).toEqual(new Set(['day', 'year']));
    expect(mixedPoints.some((p) => p.low !== null && p.high !== null)).toBe(true);
    // Downsampling happened: far fewer points than rows, yet every series is there.
    const all = await liteRead.points(ids, { from: null, to: null }, null, 8);
    expect(all.points.length).toBeLessThan(LENGTHS.reduce((a, b) => a + b) / 10);
    expect(new Set(all.points.map((p) => p.seriesId)).size).toBe(ids.length);
    expect(compared).toBeGreaterThan(1000);
  });

  it("names the same quoting series as the SQLite store, the seeded article's", async () => {
    const quoting = await liteRead.quotedSeries();
    expect(quoting.length).toBeGreaterThan(0);
    expect(await pgRead.quotedSeries()).toEqual(quoting);
    // Each of them has a quote, and the imported series none.
    expect(await liteRead.quotes(quoting, null)).not.toEqual([]);
    expect(quoting.filter((id) => ids.includes(id))).toEqual([]);
  });

  it('has a data version that holds still without writes and moves with any commit', async () => {
    const before = await pgRead.dataVersion();
    expect(typeof before).toBe('string');
    expect(await pgRead.dataVersion()).toBe(before);
    await commitImport(
      postgres.store,
      meta('Series of 1', 'CHN'),
      valuesFromObservations('CHN', [{ period: day(1), value: 1 }]),
    );
    expect(await pgRead.dataVersion()).not.toBe(before);
  });

  it('lets the read cache serve a write made through another app server at the next request', async () => {
    // Two app servers: two pools on one database, the cache on the first one.
    const secondPool = new pg.Pool({ connectionString: postgres.url, max: 2 });
    onTestFinished(() => secondPool.end());
    const server = postgresReadStore(secondPool);
    const counts = () =>
      cached(server, 'series counts', async () => [...(await server.seriesCounts(null))]);
    const first = await counts();
    // Cached: the same object again, while nothing was written.
    expect(await counts()).toBe(first);
    const added = await commitImport(
      postgres.store,
      meta('Written elsewhere', 'KAZ'),
      valuesFromObservations('KAZ', [{ period: '2001', value: 2 }]),
    );
    expect(added.committed).toBe(true);
    const after = await counts();
    expect(after).not.toBe(first);
    const total = (c: [number, number][]) => c.reduce((a, [, n]) => a + n, 0);
    expect(total(after)).toBe(total(first) + 1);
  });
});

describe('the PostgreSQL read store on a server that cannot be reached', () => {
  it('fails every read with DatabaseUnavailableError, a busy error (503), not a socket error', async () => {
    // Port 1 on the loopback: nothing listens there.
    const pool = new pg.Pool({ connectionString: 'postgresql://sourced@127.0.0.1:1/sourced' });
    pool.on('error', () => {});
    const store = postgresReadStore(pool);
    try {
      const range = { from: null, to: null };
      const reads: Promise<unknown>[] = [
        store.dataVersion(),
        store.listIndicators(null),
        store.findIndicator('population-density'),
        store.points([1], range, null, 10),
        store.observationPage(1, { range, asOf: null, after: null, limit: 10 }),
        (async () => {
          for await (const row of store.chartRows([1], range, null)) return row;
        })(),
      ];
      for (const read of reads) {
        await expect(read).rejects.toBeInstanceOf(DatabaseUnavailableError);
        await expect(read).rejects.toBeInstanceOf(DatabaseBusyError);
      }
    } finally {
      await pool.end();
    }
  });
});
