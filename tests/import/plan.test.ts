// The import plan (lib/import/plan.ts) against an in-memory store: what an import means,
// decided without a database, so that mutation testing can run it thousands of times.
import { describe, expect, it } from 'vitest';
import { ValueTable } from '@/lib/formats/value-table';
import {
  planFromGrouping,
  planImport,
  storedNames,
  streamingGrouping,
  writesOf,
} from '@/lib/import/plan';
import { valuesFromObservations } from '@/lib/import/sources';
import type { ImportValues } from '@/lib/import/report';
import { importMetaSchema, type ImportMetaInput } from '@/lib/schemas';
import type { CurrentObservation, IndicatorRow, StoreReader } from '@/lib/store/types';

const DENSITY: IndicatorRow = {
  id: 7,
  slug: 'density',
  title: 'Population density',
  unitLong: 'people per km²',
  unitShort: 'people/km²',
  decimals: 1,
};
const SOURCE = { title: 'Plan test', producer: 'Test lab', url: 'https://example.org/plan' };
const ENTITIES = [
  { id: 1, code: 'CHN', name: 'China' },
  { id: 2, code: 'KAZ', name: 'Kazakhstan' },
];

type Stored = {
  id: number;
  label: string;
  archivedAt?: string;
  observations: Omit<CurrentObservation, 'low' | 'high' | 'note'>[];
};

/** A store holding DENSITY, the source (id 3), two entities and the given series. */
function reader(series: Record<string, Stored> = {}, sourceId: number | null = 3): StoreReader {
  return {
    indicatorBySlug: async (slug) => (slug === DENSITY.slug ? DENSITY : null),
    sourceId: async (title, publisher) =>
      title === SOURCE.title && publisher === SOURCE.producer ? sourceId : null,
    entityNames: async () => ENTITIES.map(({ code, name }) => ({ code, name })),
    query: async () => [],
    entitiesByCode: async (codes) =>
      new Map(ENTITIES.filter((e) => codes.includes(e.code)).map((e) => [e.code, e])),
    findSeries: async (key) => {
      const code = ENTITIES.find((e) => e.id === key.entityId)?.code;
      const s = code ? series[code] : undefined;
      return s && key.indicatorId === DENSITY.id && key.sourceId === sourceId
        ? { id: s.id, archivedAt: s.archivedAt ?? null }
        : null;
    },
    currentObservations: async (id) =>
      (Object.values(series).find((s) => s.id === id)?.observations ?? []).map((o) => ({
        low: null,
        high: null,
        note: null,
        ...o,
      })),
    storedValues: async () => ({ indicator: null, rows: [] }),
  };
}

const meta = (extra: Partial<ImportMetaInput> = {}) =>
  importMetaSchema.parse({
    indicator: 'density',
    kind: 'observed',
    unit: 'people per km²',
    source: SOURCE,
    ...extra,
  });

const json = (code: string, points: [string, number][], name?: string): ImportValues =>
  valuesFromObservations(
    code,
    points.map(([period, value]) => ({ period, value })),
    name,
  );

/** Several entities' values in one input, as a file would give them. */
const rows = (
  list: [code: string | null, name: string | null, period: string, value: number][],
) => ({
  values: list.map(([entityCode, entityName, period, value], i) => ({
    row: i + 2,
    column: 'value',
    entityCode,
    entityName,
    isAggregate: entityName === 'World',
    period,
    precision: 'year' as const,
    value,
  })),
  parse: {
    format: 'tidy' as const,
    detected: 'tidy' as const,
    rowsRead: list.length,
    problems: [],
    missing: 0,
  },
});

describe('the plan of an import', () => {
  it('adds every value of a new series, under the source and indicator it found', async () => {
    const p = await planImport(
      reader(),
      meta(),
      json('CHN', [
        ['2010', 140],
        ['2011', 141],
      ]),
      false,
    );
    expect(p.report.ok).toBe(true);
    expect(p.report.errors).toEqual([]);
    expect(p.indicator).toEqual(DENSITY);
    expect(p.sourceId).toBe(3);
    expect(p.report.source.isNew).toBe(false);
    expect(p.report.indicator).toMatchObject({ slug: 'density', isNew: false, decimals: 1 });
    expect(p.report.unit).toEqual({ declared: 'people per km²', factor: 1 });
    expect(p.unitToStore).toBeNull();
    expect(p.entityIds).toEqual(new Map([['CHN', 1]]));
    expect(p.report.counts).toMatchObject({ added: 2, changed: 0, unchanged: 0, skipped: 0 });
    const s = p.series.get('CHN')!;
    expect(s).toMatchObject({ code: 'CHN', id: null, label: 'Test lab (China)', revises: [] });
    expect([...s.adds]).toEqual([0, 1]);
    expect(p.report.entities).toEqual([
      expect.objectContaining({ code: 'CHN', name: 'China', isNew: false, values: 2, added: 2 }),
    ]);
    expect(writesOf(meta(), p).series).toHaveLength(1);
  });

  it('refuses an unknown indicator slug, and creates one defined in full', async () => {
    const unknown = await planImport(
      reader(),
      meta({ indicator: 'nope' }),
      json('CHN', [['2010', 1]]),
      false,
    );
    expect(unknown.report.ok).toBe(false);
    expect(unknown.indicator).toBeNull();
    expect(unknown.report.errors[0]).toMatchObject({
      row: null,
      column: 'indicator',
      reason: 'there is no indicator "nope"; give slug, title and unit to create it',
    });
    expect(() => writesOf(meta(), unknown)).toThrow('Only an accepted plan');
    const created = await planImport(
      reader(),
      meta({
        indicator: { slug: 'fresh', title: 'Fresh', unitLong: 'index points', unitShort: 'pts' },
        unit: 'index points',
      }),
      json('CHN', [['2010', 1]]),
      false,
    );
    expect(created.report.ok).toBe(true);
    expect(created.report.indicator).toMatchObject({ slug: 'fresh', isNew: true });
  });

  it('warns when a definition names an indicator that exists under another title', async () => {
    const p = await planImport(
      reader(),
      meta({
        indicator: { slug: 'density', title: 'Density', unitLong: 'x', unitShort: 'x' },
      }),
      json('CHN', [['2010', 1]]),
      false,
    );
    expect(p.report.warnings).toContainEqual(
      expect.objectContaining({
        column: 'indicator',
        reason: 'indicator "density" exists as "Population density"; adding to it',
      }),
    );
    expect(p.report.ok).toBe(true);
  });

  it('stores values in their own unit when it converts, and refuses one that does not', async () => {
    const mi = await planImport(
      reader(),
      meta({ unit: 'people per mi²' }),
      json('CHN', [['2010', 1]]),
      false,
    );
    expect(mi.report.ok).toBe(true);
    expect(mi.unitToStore).toBe('people per mi²');
    expect(mi.report.unit!.factor).toBeCloseTo(1 / 2.589988110336, 12);
    const short = await planImport(
      reader(),
      meta({ unit: 'people/km²' }),
      json('CHN', [['2010', 1]]),
      false,
    );
    expect(short.unitToStore).toBeNull();
    const wrong = await planImport(
      reader(),
      meta({ unit: 'tonnes' }),
      json('CHN', [['2010', 1]]),
      false,
    );
    expect(wrong.report.ok).toBe(false);
    expect(wrong.report.errors[0]).toMatchObject({ column: 'unit' });
  });

  it('compares with what is stored: unchanged, changed (a revision) and added', async () => {
    const stored = {
      CHN: {
        id: 40,
        label: 'Test lab (China)',
        observations: [
          { id: 400, period: '2010', value: 140, revision: 1 },
          { id: 401, period: '2011', value: 141, revision: 3 },
        ],
      },
    };
    const p = await planImport(
      reader(stored),
      meta(),
      json('CHN', [
        ['2010', 140],
        ['2011', 142],
        ['2012', 143],
      ]),
      false,
    );
    expect(p.report.counts).toMatchObject({ added: 1, changed: 1, unchanged: 1 });
    const s = p.series.get('CHN')!;
    expect(s.id).toBe(40);
    expect([...s.adds]).toEqual([2]);
    expect(s.revises).toEqual([{ index: 1, previous: { id: 401, revision: 3 } }]);
    expect(p.report.changesTotal).toBe(1);
    expect(p.report.changes).toEqual([
      { entity: 'CHN', period: '2011', row: 2, old: 141, new: 142, revision: 4 },
    ]);
    expect(p.report.entities[0]).toMatchObject({
      seriesId: 40,
      added: 1,
      changed: 1,
      unchanged: 1,
    });
  });

  it('re-importing the same values changes nothing', async () => {
    const stored = {
      CHN: {
        id: 40,
        label: 'x',
        observations: [{ id: 400, period: '2010', value: 140, revision: 1 }],
      },
    };
    const p = await planImport(reader(stored), meta(), json('CHN', [['2010', 140]]), false);
    expect(p.report.counts).toMatchObject({ added: 0, changed: 0, unchanged: 1 });
    expect(writesOf(meta(), p).series).toEqual([]);
  });

  it('warns that an archived series will not show what is added', async () => {
    const stored = { CHN: { id: 40, label: 'x', archivedAt: '2025-01-01', observations: [] } };
    const p = await planImport(reader(stored), meta(), json('CHN', [['2010', 1]]), false);
    expect(p.report.warnings).toContainEqual(
      expect.objectContaining({
        reason: 'series "Test lab (China)" is archived: restore it to see these values',
      }),
    );
    expect(p.report.counts.added).toBe(1);
  });

  it('names an unknown entity, and creates it only when asked', async () => {
    const input = () => json('ATL', [['2010', 1]], 'Atlantis');
    const refused = await planImport(reader(), meta(), input(), false);
    expect(refused.report.ok).toBe(false);
    expect(refused.report.errors).toEqual([
      {
        row: 1,
        column: 'code',
        reason: 'unknown entity code "ATL" (Atlantis): confirm creating it',
        severity: 'error',
      },
    ]);
    expect(refused.report.unknownEntities).toEqual([{ code: 'ATL', name: 'Atlantis', row: 1 }]);
    const created = await planImport(reader(), meta({ createEntities: true }), input(), false);
    expect(created.report.ok).toBe(true);
    expect(created.newEntities).toEqual([{ code: 'ATL', name: 'Atlantis' }]);
    expect(created.report.entities[0]).toMatchObject({ code: 'ATL', isNew: true, added: 1 });
  });

  it('matches entities by name, skips aggregates and entities not chosen', async () => {
    const input = rows([
      [null, 'kazakhstan', '2010', 5],
      ['CHN', 'China', '2010', 140],
      [null, 'World', '2010', 60],
    ]);
    const all = await planImport(reader(), meta(), input, false);
    expect(all.report.ok).toBe(true);
    expect([...all.series.keys()]).toEqual(['KAZ', 'CHN']);
    expect(all.report.counts.skipped).toBe(1);
    expect(all.report.warnings).toContainEqual(
      expect.objectContaining({
        reason:
          'skipped 1 values of aggregate rows (regions, income groups); name them in "entities" to import them',
      }),
    );
    const chosen = await planImport(reader(), meta({ entities: ['CHN', 'FRA'] }), input, false);
    expect([...chosen.series.keys()]).toEqual(['CHN']);
    expect(chosen.report.counts.skipped).toBe(2);
    expect(chosen.report.warnings).toContainEqual(
      expect.objectContaining({ column: 'entities', reason: 'the file has no values for FRA' }),
    );
    const none = await planImport(reader(), meta({ entities: ['FRA'] }), input, false);
    expect(none.report.errors).toEqual([
      expect.objectContaining({
        column: 'entities',
        reason: 'none of the values belongs to the selected entities',
      }),
    ]);
  });

  it('refuses an entity it cannot name, with the row', async () => {
    const p = await planImport(
      reader(),
      meta(),
      rows([
        [null, 'Atlantis', '2010', 1],
        ['chn', null, '2010', 2],
        ['CH1', null, '2011', 3],
      ]),
      false,
    );
    expect(p.report.errors).toEqual([
      expect.objectContaining({
        row: 2,
        column: 'entity',
        reason: '"Atlantis" has no ISO 3166 alpha-3 code and matches no known entity',
      }),
      expect.objectContaining({
        row: 4,
        column: 'code',
        reason: '"CH1" is not an ISO 3166 alpha-3 code',
      }),
    ]);
    // A lower-case code is read as its upper case.
    expect([...p.series.keys()]).toEqual(['CHN']);
  });

  it('checks periods, duplicates and ranges in JSON bodies, naming the row', async () => {
    const p = await planImport(
      reader(),
      meta(),
      valuesFromObservations('CHN', [
        { period: '2010', value: 1 },
        { period: '2010', value: 2 },
        { period: '1999-13', value: 3 },
        { period: '2011', value: 5, low: 6, high: 4 },
        { period: '2012', value: 9, low: 1, high: 4 },
        { period: '2013', value: 1.79e308 },
      ]),
      false,
    );
    expect(p.report.errors.map((e) => [e.row, e.column])).toEqual([
      [2, 'period'],
      [3, 'period'],
      [4, 'low'],
      [6, 'value'],
    ]);
    expect(p.report.errors[0]!.reason).toBe('CHN 2010 appears twice (first in row 1)');
    expect(p.report.warnings).toContainEqual(expect.objectContaining({ row: 5, column: 'value' }));
    expect(p.report.ok).toBe(false);
  });

  it('says when there is nothing to import', async () => {
    const p = await planImport(reader(), meta(), { values: [] }, false);
    expect(p.report.errors).toEqual([
      { row: null, column: null, reason: 'there are no values to import', severity: 'error' },
    ]);
  });

  it('sees a new source, and then never looks for stored series', async () => {
    const stored = {
      CHN: {
        id: 40,
        label: 'x',
        observations: [{ id: 400, period: '2010', value: 140, revision: 1 }],
      },
    };
    const p = await planImport(reader(stored, null), meta(), json('CHN', [['2010', 1]]), false);
    expect(p.report.source.isNew).toBe(true);
    expect(p.series.get('CHN')!.id).toBeNull();
    expect(p.report.counts.added).toBe(1);
  });

  it('labels series by the request’s label, or by the source and the entity', async () => {
    const labelled = await planImport(
      reader(),
      meta({ label: 'My label' }),
      json('CHN', [['2010', 1]]),
      false,
    );
    expect(labelled.series.get('CHN')!.label).toBe('My label');
    const column = await planImport(
      reader(),
      meta(),
      { ...json('CHN', [['2010', 1]]), series: 'Urban' },
      false,
    );
    expect(column.series.get('CHN')!.label).toBe('Test lab: Urban (China)');
  });
});

describe('the plan of values grouped as they were read, and released', () => {
  /** The grouping of `input` fed in two batches, the first released before the second comes. */
  const grouped = async (m: ReturnType<typeof meta>, input: ReturnType<typeof rows>) => {
    const all = ValueTable.from(input.values);
    const table = new ValueTable(4);
    const problems: string[] = [];
    const names = await storedNames(reader());
    const grouping = streamingGrouping(table, m, names, DENSITY, (_r, _c, reason) =>
      problems.push(reason),
    );
    const half = Math.ceil(all.length / 2);
    for (const [from, to] of [
      [0, half],
      [half, all.length],
    ] as const) {
      for (let i = from; i < to; i++) table.push(all.at(i));
      grouping.add(0, table.length, new Int32Array(table.length));
      table.release();
    }
    return { grouping, table, problems };
  };
  const input = rows([
    ['KAZ', 'Kazakhstan', '2010', 5],
    ['CHN', 'China', '2010', 140],
    ['WLD', 'World', '2010', 60],
    ['CHN', 'China', '2011', 141],
    ['FRA', 'France', '2010', 400],
  ]);

  it('reports what the plan of the whole table reports, each series counted', async () => {
    for (const m of [meta({ createEntities: true }), meta({ entities: ['CHN', 'DEU'] })]) {
      const whole = await planImport(reader(), m, input, false);
      const { grouping, table, problems } = await grouped(m, input);
      expect(problems).toEqual([]);
      const flat = await planFromGrouping(
        reader(),
        m,
        { ...input, values: table },
        grouping,
        false,
      );
      expect(flat!.report).toEqual(whole.report);
      expect(flat!.counted).toEqual(
        new Map([...whole.series.values()].map((s) => [s.code, s.adds.length])),
      );
      expect(writesOf(m, flat!).series.map((s) => s.code)).toEqual(
        writesOf(m, whole).series.map((s) => s.code),
      );
    }
  });

  it('gives up when a series holds values, and a released table is never planned by index', async () => {
    const m = meta({ createEntities: true });
    const { grouping, table } = await grouped(m, input);
    const stored = reader({ CHN: { id: 40, label: 'Test lab (China)', observations: [] } });
    const filled = reader({
      CHN: {
        id: 40,
        label: 'Test lab (China)',
        observations: [{ id: 1, period: '2010', value: 140, revision: 1 }],
      },
    });
    const values = { ...input, values: table };
    expect(await planFromGrouping(stored, m, values, grouping, false)).not.toBeNull();
    expect(await planFromGrouping(filled, m, values, grouping, false)).toBeNull();
    await expect(planImport(filled, m, values, false)).rejects.toThrow(/released/);
  });

  it('hears of the first value it refuses', async () => {
    const m = meta({ createEntities: true, unit: 'people per km²' });
    const bad = rows([['CHN', 'China', '2010', 1e300]]);
    const { problems } = await grouped(m, bad);
    expect(problems).toHaveLength(1);
  });
});
