// Next year's file from the same publisher (lib/import/vintages.ts): a source differing from a
// stored one only by year or edition adds to the earlier vintage's series, as revisions, unless
// the request keeps it apart; a different work of the same publisher never does.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runWriteJob, type WriteOutcome } from '@/lib/write/write-job';
import { sameWork, workOf } from '@/lib/import/vintages';
import { importMetaSchema } from '@/lib/schemas';
import { createScratchDb, type ScratchDb } from '../support/scratch-db';

describe('titles of the same work', () => {
  it.each([
    ['World Population Prospects 2022', 'World Population Prospects 2024'],
    [
      'Statistical Review of World Energy 2023, 72nd edition',
      'Statistical Review of World Energy 2024 (73rd edition)',
    ],
    ['World Economic Outlook, April 2024', 'World Economic Outlook — October 2024'],
    ['WDI (2024-06-28 release)', 'WDI (2025-07-01 release)'],
  ])('%s / %s', (a, b) => expect(sameWork(a, b)).toBe(true));

  it.each([
    ['World Population Prospects 2024', 'World Population Prospects 2024'],
    ['World Energy Outlook 2024', 'Statistical Review of World Energy 2024'],
    ['Population 2024', 'Population density 2024'],
    ['2024', '2025'],
  ])('not %s / %s', (a, b) => expect(sameWork(a, b)).toBe(false));

  it('keeps the words that name the work', () => {
    expect(workOf('Bevölkerungsstand, Ausgabe 2024')).toBe('bevolkerungsstand ausgabe');
  });
});

describe('a newer vintage, on the store', () => {
  let scratch: ScratchDb;
  beforeEach(async () => {
    scratch = await createScratchDb();
  });
  afterEach(() => scratch.cleanup());

  const meta = (title: string, extra: Record<string, unknown> = {}) =>
    importMetaSchema.parse({
      indicator: {
        slug: 'vintage-test',
        title: 'Vintage test',
        unitLong: 'people',
        unitShort: 'p',
      },
      kind: 'projection',
      unit: 'people',
      entity: 'KAZ',
      createEntities: true,
      source: { title, producer: 'UN DESA', url: 'https://example.org/wpp' },
      ...extra,
    });
  const values = (pairs: [string, number][]) => ({
    values: pairs.map(([period, value], i) => ({
      row: i + 2,
      column: 'value',
      entityCode: 'KAZ',
      entityName: null,
      isAggregate: false,
      period,
      precision: 'year' as const,
      value,
    })),
  });
  const run = (m: ReturnType<typeof meta>, pairs: [string, number][], dryRun = false) =>
    runWriteJob(scratch.store, { type: 'import', meta: m, values: values(pairs), dryRun });
  const report = (o: WriteOutcome) => {
    if (!o.ok || !('report' in o)) throw new Error(`not a report: ${JSON.stringify(o)}`);
    return o.report;
  };
  const count = async (sql: string) => Number((await scratch.query<{ n: number }>(sql))[0]!.n);

  it('adds to the earlier vintage’s series, as revisions where values changed', async () => {
    const first = report(
      await run(meta('World Population Prospects 2022'), [
        ['2030', 20.1],
        ['2040', 21.9],
      ]),
    );
    const seriesId = first.entities[0]!.seriesId;
    const second = report(
      await run(meta('World Population Prospects 2024'), [
        ['2030', 20.4],
        ['2040', 21.9],
        ['2050', 23],
      ]),
    );
    expect(second).toMatchObject({
      ok: true,
      committed: true,
      counts: { added: 1, changed: 1, unchanged: 1 },
    });
    expect(second.entities[0]).toMatchObject({
      seriesId,
      seriesLabel: 'UN DESA (Kazakhstan)',
      vintage: { seriesId, sourceTitle: 'World Population Prospects 2022', added: true },
    });
    expect(second.warnings.map((w) => w.reason)).toContain(
      'KAZ: “World Population Prospects 2022” is an earlier vintage of this source, so the values are added to its series "UN DESA (Kazakhstan)" (revisions where they changed); send "vintage": "separate" (or untick “Add to the existing series”) for a series of their own',
    );
    expect(await count('SELECT COUNT(*) AS n FROM "Series"')).toBe(1);
    expect(await count('SELECT COUNT(*) AS n FROM "Observation" WHERE revision = 2')).toBe(1);
  });

  it('makes a series of its own when asked, saying which it kept apart from', async () => {
    report(await run(meta('World Population Prospects 2022'), [['2030', 20.1]]));
    const second = report(
      await run(meta('World Population Prospects 2024', { vintage: 'separate' }), [['2030', 20.4]]),
    );
    expect(second.counts).toMatchObject({ added: 1, changed: 0 });
    expect(second.entities[0]!.vintage).toMatchObject({ added: false });
    expect(await count('SELECT COUNT(*) AS n FROM "Series"')).toBe(2);
  });

  it('never adds to a different work of the same publisher, nor to another kind', async () => {
    report(await run(meta('World Population Prospects 2022'), [['2030', 20.1]]));
    const other = report(await run(meta('World Urbanization Prospects 2024'), [['2030', 20.4]]));
    expect(other.entities[0]!.vintage).toBeUndefined();
    const observed = report(
      await run(meta('World Population Prospects 2024', { kind: 'observed' }), [['2030', 20.4]]),
    );
    expect(observed.entities[0]!.vintage).toBeUndefined();
    expect(await count('SELECT COUNT(*) AS n FROM "Series"')).toBe(3);
  });
});
