import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_VIEW } from '@/lib/domain/chart-view';
import { loadIndicatorView } from '@/lib/views/indicator';
import type { ReadStore } from '@/lib/read';
import { loadSourceDetail } from '@/lib/views/source-detail';
import { seedArticle } from '@/lib/article/seed';
import { createScratchDb, type ScratchDb } from '../support/scratch-db';
import { scratchReadStore } from '../support/read-store';

describe('the read path on the seeded article', () => {
  let scratch: ScratchDb;
  let read: { store: ReadStore; close(): Promise<void> };
  const view = (slug: string) => loadIndicatorView(slug, DEFAULT_VIEW, {}, read.store);
  beforeAll(async () => {
    scratch = await createScratchDb();
    await seedArticle(scratch.db);
    read = scratchReadStore(scratch);
  });
  afterAll(async () => {
    await read.close();
    await scratch.cleanup();
  });

  it('lists the five indicators with the article’s numbers', async () => {
    const values: Record<string, string[]> = {};
    for (const row of await read.store.listIndicators(null)) {
      const v = (await view(row.slug))!;
      values[row.slug] = v.chart.flatMap((s) =>
        s.points.map((p) => `${s.entityCode} ${s.kind} ${p.period} ${p.value}`),
      );
    }
    expect(values).toEqual({
      'oil-import-share': ['CHN projection 2010 50'],
      'oil-consumption': ['CHN projection 2020 400'],
      'population-density': ['CHN reported 2004 130', 'KAZ reported 2004 5'],
      'rural-urban-migration': ['CHN reported 2004 12'],
      'territory-vs-france': ['KAZ reported 2004 5'],
      // Operands of the article's derivations: the shipped outcomes fill them (db:seed).
      'land-area': [],
      'oil-production': [],
      'urban-population': [],
    });
  });

  it('gives each series its provenance: quote, outlet, speaker and document', async () => {
    const density = (await view('population-density'))!;
    const china = density.selected.find((s) => s.entity.code === 'CHN')!;
    const quotes = density.quotes.filter((q) => q.seriesId === china.id).map((q) => q.quote);
    expect(quotes).toHaveLength(1);
    expect(quotes[0]).toMatchObject({
      citedOutlet: 'Ak Zhol Kazakstan, June 11',
      speaker: 'the Chinese foreign minister',
    });
    expect(quotes[0]!.text).toContain(
      '“We have 130 people per square kilometer, whereas you have only five”',
    );
    expect(density.sources.get(china.sourceId)).toMatchObject({
      publisher: 'Eurasia Daily Monitor',
      volume: '1',
      issue: '43',
      publishedOn: '2004',
      citation:
        'Eurasia Daily Monitor, “China’s Relations With Kazakhstan Are Warming, But To What End?”, Volume 1, Issue 43 (2004).',
    });
  });

  it('returns null for an unknown slug or source', async () => {
    expect(await view('no-such-indicator')).toBeNull();
    expect(await loadSourceDetail(99999, read.store)).toBeNull();
  });

  it('shows only current revisions and hides archived series', async () => {
    const indicator = await scratch.db.indicator.create({
      data: {
        slug: 'test-revisions',
        title: 'T',
        description: 'D',
        unitLong: 'units',
        unitShort: 'u',
      },
    });
    const entity = await scratch.db.entity.findUniqueOrThrow({ where: { code: 'CHN' } });
    const source = await scratch.db.source.create({
      data: { title: 'Test data', publisher: 'Tester' },
    });
    const live = await scratch.db.series.create({
      data: {
        indicatorId: indicator.id,
        entityId: entity.id,
        kind: 'observed',
        label: 'live',
        sourceId: source.id,
      },
    });
    await scratch.db.series.create({
      data: {
        indicatorId: indicator.id,
        entityId: entity.id,
        kind: 'observed',
        label: 'archived',
        sourceId: source.id,
        archivedAt: new Date(),
      },
    });
    await scratch.db.observation.createMany({
      data: [
        {
          seriesId: live.id,
          period: '2011',
          precision: 'year',
          value: 1,
          revision: 1,
          supersededAt: new Date(),
        },
        { seriesId: live.id, period: '2011', precision: 'year', value: 2, revision: 2 },
        { seriesId: live.id, period: '2010', precision: 'year', value: 3 },
      ],
    });
    const v = (await view('test-revisions'))!;
    expect(v.series.map((s) => s.label)).toEqual(['live']);
    expect(v.archived.map((a) => a.label)).toEqual(['archived']);
    expect(v.table.rows.map((r) => [r.period, r.value])).toEqual([
      ['2010', 3],
      ['2011', 2],
    ]);
    expect(v.chart[0]!.points.map((p) => [p.x, p.value])).toEqual([
      [2010, 3],
      [2011, 2],
    ]);
  });

  it('lists a source’s quotes in reading order with the charts they feed', async () => {
    const { id } = await scratch.db.source.findFirstOrThrow({
      where: { publisher: 'Eurasia Daily Monitor' },
    });
    const source = await loadSourceDetail(id, read.store);
    const offsets = source!.quotes.map((q) => q.startOffset);
    expect(offsets).toEqual([...offsets].sort((a, b) => a - b));
    expect(source!.quotes.map((q) => q.indicators.map((i) => i.slug))).toEqual([
      ['oil-import-share'],
      ['oil-consumption'],
      ['rural-urban-migration'],
      ['territory-vs-france'],
      ['population-density'],
    ]);
  });

  it('counts a source’s live series per indicator and lists the first eight', async () => {
    const source = await scratch.db.source.create({
      data: { title: 'Bulk file', publisher: 'Bulk' },
    });
    const [a, b] = await Promise.all(
      ['bulk-a', 'bulk-b'].map((slug) =>
        scratch.db.indicator.create({
          data: { slug, title: slug, description: 'D', unitLong: 'units', unitShort: 'u' },
        }),
      ),
    );
    const ids: number[] = [];
    for (let i = 0; i < 12; i++) {
      const entity = await scratch.db.entity.create({
        data: { code: `B${String(i).padStart(2, '0')}`, name: `Bulk ${i}` },
      });
      const series = await scratch.db.series.create({
        data: {
          indicatorId: i < 10 ? a!.id : b!.id,
          entityId: entity.id,
          kind: 'observed',
          label: `bulk ${i}`,
          sourceId: source.id,
          recordedAt: new Date(Date.UTC(2026, 0, 1, 0, 0, 12 - i)),
          archivedAt: i === 11 ? new Date() : null,
        },
      });
      ids.push(series.id);
    }
    const detail = await loadSourceDetail(source.id, read.store);
    expect(detail!.series.map((g) => [g.indicator.slug, g.count, g.listed.length])).toEqual([
      ['bulk-a', 10, 8],
      ['bulk-b', 1, 1],
    ]);
    // Display order is the order series were recorded in: here the reverse of creation.
    expect(detail!.series[0]!.listed.map((s) => s.label)).toEqual(
      [9, 8, 7, 6, 5, 4, 3, 2].map((i) => `bulk ${i}`),
    );
    expect(detail!.quotes).toEqual([]);
  });
});
