import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commitImport } from '@/lib/import/import-data';
import { valuesFromFile } from '@/lib/import/sources';
import { importMetaSchema, type ImportMetaInput } from '@/lib/schemas';
import { type ReadStore } from '@/lib/read';
import { sqliteReadStore } from '@/lib/read/sqlite';
import { defaultSelection, loadChartDownload, loadIndicatorView } from '@/lib/views/indicator';
import { loadOverview } from '@/lib/views/overview';
import { DEFAULT_VIEW, parseChartView } from '@/lib/domain/chart-view';
import { createScratchDb, testProvider, type ScratchDb } from '../support/scratch-db';
import { postgresReadStore } from '@/lib/read/postgres';

// A real database (SQLite, or PostgreSQL with TEST_DATABASE), filled through the import path users use: 45 entities with 600
// daily values each in one indicator, so a default view must select and downsample.
let scratch: ScratchDb;
let reader: Database.Database | undefined;
let pool: pg.Pool | undefined;
let store: ReadStore;
const ENTITIES = 45;
const DAYS = 600;
const SPIKE = 987_654;

const codes = Array.from(
  { length: ENTITIES },
  (_, i) => `Q${String.fromCharCode(65 + (i % 26))}${String.fromCharCode(65 + Math.floor(i / 26))}`,
);

function day(i: number) {
  return new Date(Date.UTC(2020, 0, 1) + i * 86_400_000).toISOString().slice(0, 10);
}

async function importCsv(csv: string, meta: ImportMetaInput, now?: Date) {
  const parsed = importMetaSchema.parse(meta);
  const report = await commitImport(
    scratch.writer(),
    parsed,
    valuesFromFile(new TextEncoder().encode(csv), parsed),
    now,
  );
  expect(report.ok, JSON.stringify(report.errors.slice(0, 3))).toBe(true);
  return report;
}

const source = {
  title: 'Generated daily data',
  producer: 'Test lab',
  url: 'https://example.org/d',
};

beforeAll(async () => {
  scratch = await createScratchDb({ seed: true });
  const lines = ['entity,code,period,value'];
  for (const [e, code] of codes.entries())
    for (let d = 0; d < DAYS; d++) {
      // Entity 0 has one spike on day 321; everything else is a gentle ramp.
      const value = e === 0 && d === 321 ? SPIKE : 100 + e + d / 100;
      lines.push(`Entity ${code},${code},${day(d)},${value}`);
    }
  await importCsv(lines.join('\n'), {
    indicator: {
      slug: 'many-daily',
      title: 'Many daily',
      unitLong: 'index points',
      unitShort: 'pts',
    },
    kind: 'observed',
    unit: 'index points',
    createEntities: true,
    source,
  });
  if (scratch.provider === 'sqlite') {
    reader = new Database(scratch.file, { readonly: true });
    store = sqliteReadStore(reader);
  } else {
    pool = new pg.Pool({ connectionString: scratch.url, max: 3 });
    pool.on('error', () => {});
    store = postgresReadStore(pool);
  }
});

afterAll(async () => {
  reader?.close();
  await pool?.end();
  await scratch?.cleanup();
});

describe('the indicator view', () => {
  it('opens an indicator with many series on a default selection', async () => {
    const v = (await loadIndicatorView('many-daily', DEFAULT_VIEW, {}, store))!;
    expect(v.series).toHaveLength(ENTITIES);
    expect(v.defaults).toHaveLength(6);
    expect(v.selected.map((s) => s.entity.code)).toEqual(codes.slice(0, 6));
    expect(v.query).toBe('');
  });

  it('downsamples each series to its bucket budget and keeps the spike', async () => {
    const v = (await loadIndicatorView('many-daily', DEFAULT_VIEW, {}, store))!;
    // 3,000 points for 6 series: 250 buckets each, at most two points a bucket plus the ends.
    for (const s of v.chart) expect(s.points.length).toBeLessThanOrEqual(502);
    expect(v.downsampled).toHaveLength(6);
    expect(v.downsampled[0]).toMatchObject({ total: DAYS });
    const first = v.chart[0]!;
    expect(first.points.map((p) => p.value)).toContain(SPIKE);
    expect(first.points[0]!.period).toBe(day(0));
    expect(first.points[first.points.length - 1]!.period).toBe(day(DAYS - 1));
  });

  it('pages the table instead of rendering every row', async () => {
    const v = (await loadIndicatorView('many-daily', DEFAULT_VIEW, { tablePage: 3 }, store))!;
    expect(v.table.total).toBe(6 * DAYS);
    expect(v.table.rows).toHaveLength(50);
    expect(v.table.page).toBe(3);
    expect(v.table.pageCount).toBe(72);
    expect(v.table.rows[0]!.period).toBe(day(100));
  });

  it('shows a chosen selection, in range, and names the view in the query', async () => {
    const ids = (await loadIndicatorView('many-daily', DEFAULT_VIEW, {}, store))!.series.map(
      (s) => s.id,
    );
    const picked = `${ids[10]},${ids[20]}`;
    const v = (await loadIndicatorView(
      'many-daily',
      parseChartView({ series: picked, from: '2021', to: '2021' }),
      {},
      store,
    ))!;
    expect(v.chart.map((c) => c.id)).toEqual([ids[10], ids[20]]);
    expect(v.chart[0]!.points.every((p) => p.period.startsWith('2021'))).toBe(true);
    expect(v.table.total).toBe(2 * (DAYS - 366));
    expect(v.query).toBe(`series=${encodeURIComponent(picked)}&from=2021&to=2021`);
    expect(v.fileNames.chart).toBe('many-daily_chart_2021-2021.csv');
  });

  it('shows at most 40 series and says so', async () => {
    const ids = (await loadIndicatorView('many-daily', DEFAULT_VIEW, {}, store))!.series.map(
      (s) => s.id,
    );
    // Ids the indicator does not have are dropped before the limit applies.
    const v = (await loadIndicatorView(
      'many-daily',
      parseChartView({ series: [...ids, ...ids.map((i) => i + 1000)].join(',') }),
      {},
      store,
    ))!;
    expect(v.chart).toHaveLength(40);
    expect(v.chart.map((c) => c.id)).toEqual(ids.slice(0, 40));
    expect(v.clamped).toEqual({ requested: 45, shown: 40 });
  });

  it('converts values to the unit shown, and keeps what was recorded', async () => {
    await importCsv('entity,code,period,value\nChina,CHN,2019,14.0\n', {
      indicator: 'oil-consumption',
      kind: 'observed',
      unit: 'million barrels per day',
      source: { title: 'Oil data', producer: 'Test lab', url: 'https://example.org/o' },
    });
    const v = (await loadIndicatorView('oil-consumption', DEFAULT_VIEW, {}, store))!;
    const observed = v.chart.find((c) => c.kind === 'observed')!;
    // 14 mb/d × 365 days ÷ 7.33 barrels per tonne = 697.1 Mt/yr.
    expect(observed.points[0]).toMatchObject({
      period: '2019',
      value: 697.1,
      original: { value: 14, unit: 'million barrels per day' },
    });
    expect(v.unit).toMatchObject({ long: 'million tonnes per year', converted: false });
    const inKbd = (await loadIndicatorView(
      'oil-consumption',
      parseChartView({ unit: 'kb/d' }),
      {},
      store,
    ))!;
    expect(inKbd.unit).toMatchObject({ short: 'kb/d', converted: true });
    expect(inKbd.chart.find((c) => c.kind === 'observed')!.points[0]!.value).toBe(14000);
    expect(inKbd.fileNames.chart).toBe('oil-consumption_chart_in-kb-d.csv');
  });

  it('applies asOf: a value revised later shows as it was then', async () => {
    const meta: ImportMetaInput = {
      indicator: { slug: 'revised', title: 'Revised', unitLong: 'units', unitShort: 'u' },
      kind: 'observed',
      unit: 'units',
      source,
    };
    await importCsv(
      'entity,code,period,value\nChina,CHN,2010,1\n',
      meta,
      new Date('2020-01-01T00:00:00Z'),
    );
    await importCsv(
      'entity,code,period,value\nChina,CHN,2010,2\n',
      meta,
      new Date('2024-01-01T00:00:00Z'),
    );
    const value = async (asOf: string | undefined) =>
      (await loadIndicatorView('revised', parseChartView({ asOf }), {}, store))!.chart[0]?.points[0]
        ?.value;
    expect(await value(undefined)).toBe(2);
    expect(await value('2021-06-30')).toBe(1);
    expect(
      (await loadIndicatorView('revised', parseChartView({ asOf: '2019-12-31' }), {}, store))!
        .series,
    ).toEqual([]);
  });

  it('sees a write at the next read, through the cache', async () => {
    const before = (await loadIndicatorView('revised', DEFAULT_VIEW, {}, store))!;
    await importCsv('entity,code,period,value\nChina,CHN,2011,3\n', {
      indicator: 'revised',
      kind: 'observed',
      unit: 'units',
      source,
    });
    const after = (await loadIndicatorView('revised', DEFAULT_VIEW, {}, store))!;
    expect(before.table.total).toBe(1);
    expect(after.table.total).toBe(2);
  });
});

/** The store, with the arguments of every call of `method` recorded. */
function recording<M extends 'listSeries' | 'listArchived' | 'quotes'>(method: M) {
  const calls: Parameters<ReadStore[M]>[] = [];
  const original = store[method] as (...args: Parameters<ReadStore[M]>) => unknown;
  const recorded = {
    ...store,
    [method]: (...args: Parameters<ReadStore[M]>) => {
      calls.push(args);
      return original(...args);
    },
  } as ReadStore;
  return { store: recorded, calls };
}

describe('a new view of an indicator seen before', () => {
  it('reads the series list once per data version, not once per selection', async () => {
    const { store: counting, calls: lists } = recording('listSeries');
    const view = (series: string) => parseChartView({ series: series.split(',') });
    const ids = (await loadIndicatorView('many-daily', DEFAULT_VIEW, {}, counting))!.series.map(
      (s) => String(s.id),
    );
    const other = (await loadIndicatorView('many-daily', view(ids[7]!), {}, counting))!;
    await loadIndicatorView('many-daily', view(`${ids[8]},${ids[9]}`), {}, counting);
    expect(lists).toHaveLength(1);
    expect(other.series.map((s) => String(s.id))).toEqual(ids);
    expect(other.selected.map((s) => String(s.id))).toEqual([ids[7]]);
  });
});

describe("the chart download's view", () => {
  // Each view as the page builds it and as the chart CSV does, which reads no points.
  const views = async () => {
    const ids = (await loadIndicatorView('many-daily', DEFAULT_VIEW, {}, store))!.series.map(
      (s) => s.id,
    );
    return [
      ['many-daily', DEFAULT_VIEW],
      ['many-daily', parseChartView({ series: `${ids[3]},${ids[30]}`, from: '2021', to: '2021' })],
      ['many-daily', parseChartView({ series: `${ids[5]}`, transform: 'change', to: '2020' })],
      ['oil-consumption', parseChartView({ unit: 'kb/d' })],
      ['revised', parseChartView({ asOf: '2021-06-30' })],
      ['revised', parseChartView({ asOf: '2019-12-31' })],
    ] as const;
  };

  it("names the page's series, units, count and file, without reading a point", async () => {
    const noPoints = {
      ...store,
      points: () => Promise.reject(new Error('the download read the chart points')),
    } as ReadStore;
    for (const [slug, view] of await views()) {
      const page = (await loadIndicatorView(slug, view, {}, store))!;
      const download = (await loadChartDownload(slug, view, noPoints))!;
      const label = `${slug} ${page.query}`;
      expect(download.chart, label).toEqual(
        page.chart.map(({ id, label, kind, entityCode, entityName }) => {
          return { id, label, kind, entityCode, entityName };
        }),
      );
      expect(download.factors, label).toEqual(page.factors);
      expect(download.dated, label).toBe(page.dated);
      expect(download.total, label).toBe(page.table.total);
      expect(download.fileName, label).toBe(page.fileNames.chart);
      expect(download.query, label).toBe(page.query);
      expect(download.transform.id, label).toBe(page.transform.id);
      expect(download.asOf, label).toEqual(page.asOf);
    }
  });

  it('reads the rows of a small download at once, the same rows as streamed', async () => {
    for (const [slug, view] of await views()) {
      const v = (await loadChartDownload(slug, view, store))!;
      const ids = v.chart.map((c) => c.id);
      const range = { from: v.view.from, to: v.view.to };
      const rows = async (options?: { few: boolean }) => {
        const out: unknown[] = [];
        for await (const batch of store.chartRows(ids, range, v.asOf, options)) out.push(...batch);
        return out;
      };
      const streamed = await rows();
      expect(streamed).toHaveLength(v.total);
      expect(await rows({ few: true })).toEqual(streamed);
    }
  });

  it('is null for an indicator that does not exist', async () => {
    expect(await loadChartDownload('no-such-indicator', DEFAULT_VIEW, store)).toBeNull();
  });
});

describe('what every view of an indicator shares', () => {
  it('keeps the series list while new selections of other indicators fill the view cache', async () => {
    const { store: counting, calls } = recording('listSeries');
    const first = (await loadIndicatorView('many-daily', DEFAULT_VIEW, {}, counting))!;
    const ids = first.series.map((s) => String(s.id));
    // SELECTIONS keeps 32 views; each of these is new, and of another indicator.
    for (let from = 1960; from < 2000; from++)
      await loadIndicatorView(
        'oil-import-share',
        parseChartView({ from: String(from) }),
        {},
        counting,
      );
    await loadIndicatorView('many-daily', parseChartView({ series: [ids[3]!] }), {}, counting);
    const lists = calls.map(([indicatorId]) => indicatorId);
    expect(lists.filter((id) => id === lists[0])).toHaveLength(1);
  });

  it('reads the archived series once per data version, not once per selection', async () => {
    const { store: counting, calls: reads } = recording('listArchived');
    const first = (await loadIndicatorView('many-daily', DEFAULT_VIEW, {}, counting))!;
    const ids = first.series.map((s) => String(s.id));
    const other = await loadIndicatorView(
      'many-daily',
      parseChartView({ series: [ids[5]!] }),
      {},
      counting,
    );
    expect(reads).toHaveLength(1);
    expect(other!.archived).toEqual(first.archived);
  });

  it('asks for the quotes of the series that quote a source, and only of those', async () => {
    const { store: counting, calls } = recording('quotes');
    const asked = () => calls.map(([ids]) => ids);
    const observed = (await loadIndicatorView('many-daily', DEFAULT_VIEW, {}, counting))!;
    expect(observed.quotes).toEqual([]);
    expect(asked()).toEqual([]);

    const article = (await loadIndicatorView('oil-import-share', DEFAULT_VIEW, {}, counting))!;
    const quoting = new Set(article.quotes.map((q) => q.seriesId));
    expect(quoting.size).toBeGreaterThan(0);
    expect(asked()).toHaveLength(1);
    expect(new Set(asked()[0])).toEqual(quoting);
    // The same quotes as asking about every series in view.
    const all = await store.quotes(
      article.selected.map((s) => s.id),
      null,
    );
    expect(article.quotes.map((q) => q.quote.id).sort()).toEqual(all.map((q) => q.id).sort());
  });
});

// Counts the rows SQLite hands out; on PostgreSQL the same bound is the view's own logic.
describe.skipIf(testProvider !== 'sqlite')('the overview', () => {
  it('reads a bounded number of rows, not every observation', async () => {
    let rows = 0;
    const counting = new Proxy(reader!, {
      get(target, prop, receiver) {
        if (prop !== 'prepare') return Reflect.get(target, prop, receiver);
        return (sql: string) => {
          const statement = target.prepare(sql);
          return new Proxy(statement, {
            get(st, key, rcv) {
              const fn = Reflect.get(st, key, rcv);
              if (key === 'all')
                return (...args: unknown[]) => {
                  const out = fn.apply(st, args) as unknown[];
                  rows += out.length;
                  return out;
                };
              if (key === 'iterate')
                return function* (...args: unknown[]) {
                  for (const r of fn.apply(st, args) as Iterable<unknown>) {
                    rows++;
                    yield r;
                  }
                };
              if (key === 'get')
                return (...args: unknown[]) => {
                  rows++;
                  return fn.apply(st, args);
                };
              return typeof fn === 'function' ? fn.bind(st) : fn;
            },
          });
        };
      },
    });
    const cards = await loadOverview(null, sqliteReadStore(counting));
    const card = cards.find((c) => c.view.indicator.slug === 'many-daily')!;
    expect(card.view.selected).toHaveLength(6);
    expect(card.summary.latest?.sortKey).toBe(day(DAYS - 1));
    // 27,000 observations in that indicator alone; the cards read their sketches only.
    expect(rows).toBeGreaterThan(0);
    expect(rows).toBeLessThan(4000);
  });
});

describe('defaultSelection', () => {
  const s = (id: number, kind: 'observed' | 'reported', code: string, recordedAt: string) => ({
    id,
    kind,
    entity: { code, name: code },
    recordedAt,
  });

  it('shows every series when there are few', async () => {
    expect(
      defaultSelection([s(1, 'observed', 'AAA', '2020'), s(2, 'observed', 'BBB', '2021')]),
    ).toEqual([1, 2]);
  });

  it('takes the claims and the newest outcome for each entity they name', async () => {
    const series = [
      s(1, 'reported', 'CHN', '2004'),
      s(2, 'reported', 'KAZ', '2004'),
      ...Array.from({ length: 10 }, (_, i) => s(10 + i, 'observed', 'ZZZ', '2010')),
      s(30, 'observed', 'CHN', '2020'),
      s(31, 'observed', 'KAZ', '2020'),
      s(40, 'observed', 'CHN', '2026'),
      s(41, 'observed', 'KAZ', '2026'),
    ];
    expect(defaultSelection(series)).toEqual([1, 2, 10, 11, 40, 41]);
  });
});

describe('transforms', () => {
  /** The chart CSV of a view as { "entity|period": value } for its one series column. */
  async function csvValues(v: NonNullable<Awaited<ReturnType<typeof loadIndicatorView>>>) {
    const { chartCsvChunks } = await import('@/lib/export/responses');
    const rows = store.chartRows(
      v.chart.map((c) => c.id),
      { from: v.view.from, to: v.view.to },
      v.asOf,
    );
    let text = '';
    for await (const chunk of chartCsvChunks(v, false, rows)) text += Buffer.from(chunk).toString();
    const [, ...lines] = text.trim().split(/\r?\n/);
    return new Map(
      lines.map((l) => {
        const [entity, , time, value] = l.split(',');
        return [`${entity}|${time}`, value === '' ? null : Number(value)];
      }),
    );
  }

  for (const transform of ['relative', 'change', 'index'] as const) {
    it(`${transform}: the chart, every table page and the CSV show the same numbers`, async () => {
      const view = { ...parseChartView({ series: '', transform }), series: null };
      const v = (await loadIndicatorView('many-daily', view, { tablePage: 2 }, store))!;
      expect(v.transform.id).toBe(transform);
      expect(v.fileNames.chart).toContain(
        transform === 'change' ? 'change-on-previous' : transform,
      );
      const csv = await csvValues(v);
      const first = v.chart[0]!;
      // The chart is downsampled, and its points are the CSV's values at their periods.
      expect(first.points.length).toBeLessThan(DAYS);
      for (const p of first.points)
        expect(p.value, `${transform} ${p.period}`).toBe(
          csv.get(`${first.entityName}|${p.period}`),
        );
      // The spike shows in the change on the previous period of the downsampled chart.
      if (transform === 'change')
        expect(Math.max(...first.points.map((p) => p.value))).toBeGreaterThan(100_000);
      // Page 2 of the table starts inside the first series, so its change needs the row before.
      expect(v.table.page).toBe(2);
      const byId = new Map(v.series.map((s) => [s.id, s]));
      for (const r of v.table.rows) {
        const name = byId.get(r.seriesId)!.entity.name;
        expect(r.shown, `${transform} ${r.period}`).toBe(csv.get(`${name}|${r.period}`) ?? null);
      }
      const page1 = (await loadIndicatorView('many-daily', view, { tablePage: 1 }, store))!;
      const start = page1.table.rows[0]!;
      expect(start.shown).toBe(transform === 'change' ? null : transform === 'index' ? 100 : 0);
    });
  }
});
