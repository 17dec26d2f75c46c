import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { commitImport, commitImports } from '@/lib/import/import-data';
import { valuesFromObservations } from '@/lib/import/sources';
import { importMetaSchema } from '@/lib/schemas';
import { openStore, type Store } from '@/lib/store';
import { DatabaseUnavailableError } from '@/lib/db/failures';
import { indicatorLockKey } from '@/lib/store/postgres';
import { DatabaseBusyError } from '@/lib/db/errors';
import { createScratchDb, testServer, type ScratchDb } from '../support/scratch-db';

const source = { title: 'Concurrency test', producer: 'Sourced tests', url: 'https://example.org' };
const densityMeta = (label = 'concurrent writes') =>
  importMetaSchema.parse({
    indicator: 'population-density',
    kind: 'observed',
    unit: 'people per km²',
    entity: 'CHN',
    entities: ['CHN'],
    label,
    source,
  });

function one(period: string, value: number) {
  return valuesFromObservations('CHN', [{ period, value }]);
}

// The write path's guarantees on PostgreSQL, where several app servers (here: several
// stores, each with its own pool) write to one database at once.
describe.skipIf(!testServer)('the PostgreSQL store', () => {
  let scratch: ScratchDb;
  let other: Store;
  beforeEach(async () => {
    scratch = await createScratchDb({ seed: true });
    other = openStore(scratch.url);
  });
  afterEach(async () => {
    await other.close();
    await scratch.cleanup();
  });

  it('loses no value when writers on two pools add to one series at once', async () => {
    const stores = [scratch.store, other];
    const reports = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        commitImport(stores[i % 2]!, densityMeta(), one(String(2000 + i), 100 + i)),
      ),
    );
    expect(reports.every((r) => r.ok && r.committed && r.counts.added === 1)).toBe(true);
    // One series, not one per racing writer.
    expect(new Set(reports.map((r) => r.entities[0]!.seriesId)).size).toBe(1);
    const rows = await scratch.query<{ period: string; value: number }>(
      `SELECT period, value FROM "Observation" o JOIN "Series" s ON s.id = o."seriesId"
        WHERE s.label = 'concurrent writes' ORDER BY period`,
    );
    expect(rows).toEqual(
      Array.from({ length: 20 }, (_, i) => ({ period: String(2000 + i), value: 100 + i })),
    );
  });

  it('keeps every revision when writers revise one value at once', async () => {
    await commitImport(scratch.store, densityMeta(), one('2020', 1));
    const stores = [scratch.store, other];
    const reports = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        commitImport(stores[i % 2]!, densityMeta(), one('2020', 10 + i)),
      ),
    );
    expect(reports.every((r) => r.ok && r.counts.changed === 1)).toBe(true);
    const rows = await scratch.query<{ value: number; revision: number; current: number }>(
      `SELECT value, revision, CASE WHEN "supersededAt" IS NULL THEN 1 ELSE 0 END AS current
         FROM "Observation" o JOIN "Series" s ON s.id = o."seriesId"
        WHERE s.label = 'concurrent writes' AND period = '2020' ORDER BY revision`,
    );
    expect(rows.map((r) => r.revision)).toEqual(Array.from({ length: 11 }, (_, i) => i + 1));
    expect(rows.filter((r) => r.current === 1)).toHaveLength(1);
    expect(new Set(rows.map((r) => r.value))).toEqual(
      new Set([1, ...Array.from({ length: 10 }, (_, i) => 10 + i)]),
    );
  });

  it('lets writers to different indicators create the same source and entity at once', async () => {
    const meta = (slug: string) =>
      importMetaSchema.parse({
        indicator: { slug, title: slug, unitLong: 'percent', unitShort: '%', decimals: 1 },
        kind: 'observed',
        unit: '%',
        entity: 'ZZZ',
        entities: ['ZZZ'],
        createEntities: true,
        source: { ...source, title: 'A source both create' },
      });
    const reports = await Promise.all(
      ['race-a', 'race-b', 'race-c', 'race-d'].map((slug, i) =>
        commitImport(i % 2 ? other : scratch.store, meta(slug), {
          values: [
            {
              row: 1,
              column: 'value',
              entityCode: 'ZZZ',
              entityName: 'Nowhere',
              isAggregate: false,
              period: '2020',
              precision: 'year',
              value: i,
            },
          ],
        }),
      ),
    );
    expect(reports.every((r) => r.ok && r.committed)).toBe(true);
    expect(
      await scratch.query(
        `SELECT COUNT(*) AS n FROM "Source" WHERE title = 'A source both create'`,
      ),
    ).toEqual([{ n: 1 }]);
    expect(await scratch.query(`SELECT COUNT(*) AS n FROM "Entity" WHERE code = 'ZZZ'`)).toEqual([
      { n: 1 },
    ]);
  });

  it('reads what a re-import compares with in a few round trips, and plans it as before', async () => {
    const codes = Array.from({ length: 300 }, (_, i) =>
      String.fromCharCode(65 + (Math.floor(i / 26) % 26), 65 + (i % 26), 81),
    );
    const manyMeta = importMetaSchema.parse({
      indicator: {
        slug: 'many-entities',
        title: 'Many',
        unitLong: 'points',
        unitShort: 'pt',
        decimals: 1,
      },
      kind: 'observed',
      unit: 'pt',
      createEntities: true,
      source,
    });
    const values = (change: (code: string, year: number) => number) => ({
      values: codes.flatMap((code, row) =>
        Array.from({ length: 5 }, (_, y) => ({
          row: row + 1,
          column: String(2000 + y),
          entityCode: code,
          entityName: `Entity ${code}`,
          isAggregate: false,
          period: String(2000 + y),
          precision: 'year' as const,
          value: change(code, y),
        })),
      ),
    });
    const first = await commitImport(
      scratch.store,
      manyMeta,
      values((_, y) => y),
    );
    expect(first.counts).toMatchObject({ added: 1500, changed: 0 });

    const queries = vi.spyOn(pg.Client.prototype, 'query');
    try {
      const again = await commitImport(
        scratch.store,
        manyMeta,
        values((_, y) => y),
      );
      expect(again.counts).toMatchObject({ added: 0, changed: 0, unchanged: 1500 });
      // Series and values of 300 entities: a handful of queries, not two per series.
      expect(queries.mock.calls.length).toBeLessThan(30);
    } finally {
      queries.mockRestore();
    }
    // Every third entity revised, in another order: the same plan as one at a time.
    const revised = await commitImport(
      other,
      manyMeta,
      values((code, y) => (codes.indexOf(code) % 3 === 0 && y === 4 ? 99 : y)),
    );
    expect(revised.counts).toMatchObject({ added: 0, changed: 100, unchanged: 1400 });
    const stored = await scratch.query<{ n: number }>(
      `SELECT COUNT(*) AS n FROM "Observation" WHERE value = 99 AND "supersededAt" IS NULL`,
    );
    expect(stored).toEqual([{ n: 100 }]);
  });

  it('plans the second import of one transaction on what the first wrote', async () => {
    const [a, b] = await commitImports(scratch.store, [
      { meta: densityMeta('twice in one write'), input: one('2020', 1) },
      { meta: densityMeta('twice in one write'), input: one('2020', 2) },
    ]);
    expect(a!.counts).toMatchObject({ added: 1, changed: 0 });
    expect(b!.counts).toMatchObject({ added: 0, changed: 1 });
    const rows = await scratch.query<{ value: number; revision: number }>(
      `SELECT value, revision FROM "Observation" o JOIN "Series" s ON s.id = o."seriesId"
        WHERE s.label = 'twice in one write' ORDER BY revision`,
    );
    expect(rows).toEqual([
      { value: 1, revision: 1 },
      { value: 2, revision: 2 },
    ]);
  });

  it('answers DatabaseBusyError, writing nothing, while another writer holds the indicator', async () => {
    const holder = new pg.Client({ connectionString: scratch.url });
    await holder.connect();
    const previous = process.env.SOURCED_PG_LOCK_TIMEOUT_MS;
    process.env.SOURCED_PG_LOCK_TIMEOUT_MS = '300';
    const impatient = openStore(scratch.url);
    try {
      await holder.query('BEGIN');
      await holder.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [
        indicatorLockKey('population-density'),
      ]);
      const attempt = commitImport(impatient, densityMeta(), one('2020', 5));
      await expect(attempt).rejects.toBeInstanceOf(DatabaseBusyError);
      await expect(attempt).rejects.toThrow(/busy/);
      await holder.query('COMMIT');
      const after = await commitImport(impatient, densityMeta(), one('2020', 5));
      expect(after.committed).toBe(true);
    } finally {
      if (previous === undefined) delete process.env.SOURCED_PG_LOCK_TIMEOUT_MS;
      else process.env.SOURCED_PG_LOCK_TIMEOUT_MS = previous;
      await impatient.close();
      await holder.end();
    }
  });
});

describe('a PostgreSQL server that cannot be reached', () => {
  it('is a DatabaseUnavailableError (a busy error, so a 503), not a socket error', async () => {
    // Port 1 on the loopback: nothing listens there.
    const store = openStore('postgresql://sourced@127.0.0.1:1/sourced');
    try {
      const attempt = commitImport(store, densityMeta(), one('2020', 1));
      await expect(attempt).rejects.toBeInstanceOf(DatabaseUnavailableError);
      await expect(attempt).rejects.toBeInstanceOf(DatabaseBusyError);
      await expect(attempt).rejects.toThrow(/cannot be reached/);
    } finally {
      await store.close();
    }
  });
});
