// The observed outcomes shipped in prisma/data/outcomes/ load through the import path,
// with their provenance, once; and they score every claim of the article.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OUTCOME_FILES, outcomeImports } from '@/lib/article/outcomes';
import { getScorecard, type ClaimScore } from '@/lib/claims/scorecard';
import { commitImport } from '@/lib/import/import-data';
import { valuesFromFile } from '@/lib/import/sources';
import { importMetaSchema } from '@/lib/schemas';
import { outcomesDir, seedOutcomes } from '@/lib/article/seed-outcomes';
import { createScratchDb, type ScratchDb } from '../support/scratch-db';

let scratch: ScratchDb;
beforeAll(async () => {
  scratch = await createScratchDb({ outcomes: true });
});
afterAll(() => scratch.cleanup());

/** The current observed value of an indicator for an entity and period, as stored. */
async function stored(indicator: string, entity: string, period: string) {
  const rows = await scratch.db.observation.findMany({
    where: {
      period,
      supersededAt: null,
      series: { kind: 'observed', indicator: { slug: indicator }, entity: { code: entity } },
    },
    include: { series: { include: { source: true } } },
  });
  expect(rows).toHaveLength(1);
  return rows[0]!;
}

async function counts() {
  const [sources, entities, series, observations] = await Promise.all([
    scratch.db.source.count(),
    scratch.db.entity.count(),
    scratch.db.series.count(),
    scratch.db.observation.count(),
  ]);
  return { sources, entities, series, observations };
}

describe('the shipped outcomes', () => {
  // The reference values the files' README lists (copied in prisma/data/outcomes/SOURCES.md).
  it('hold the reference values, stored as recorded', async () => {
    const c2020 = await stored('oil-consumption', 'CHN', '2020');
    expect(c2020.value).toBeCloseTo(7916.455, 3);
    expect(c2020.series.unit).toBe('terawatt-hours per year');
    expect((await stored('oil-consumption', 'CHN', '2010')).value).toBeCloseTo(5275.54, 2);
    expect((await stored('oil-production', 'CHN', '2010')).value).toBeCloseTo(2357.22, 2);
    expect((await stored('population-density', 'CHN', '2004')).value).toBeCloseTo(138.053, 3);
    expect((await stored('population-density', 'KAZ', '2004')).value).toBeCloseTo(5.56, 2);
    expect((await stored('land-area', 'KAZ', '2023')).value).toBe(2699700);
    expect((await stored('land-area', 'FRA', '2023')).value).toBe(538950);
    expect((await stored('urban-population', 'CHN', '2004')).value).toBe(533257098);
    expect((await stored('urban-population', 'CHN', '2005')).value).toBe(554367818);
  });

  it('carry their full provenance', async () => {
    const wb = (await stored('population-density', 'KAZ', '2004')).series.source;
    expect(wb).toMatchObject({
      publisher: 'World Bank',
      title: 'Population density (people per sq. km of land area)',
      url: 'https://data.worldbank.org/indicator/EN.POP.DNST',
      license: 'CC BY 4.0',
      publishedOn: '2020-02-27',
      accessedOn: '2026-11-30',
    });
    const owid = (await stored('urban-population', 'CHN', '2004')).series.source;
    expect(owid).toMatchObject({
      publisher: 'Our World in Data',
      url: 'https://ourworldindata.org/grapher/urban-and-rural-population',
      license: 'CC BY 4.0',
      accessedOn: '2026-11-30',
    });
    // Only the chosen entities: the article's three and, for density, the World average.
    const entities = await scratch.db.entity.findMany({ orderBy: { code: 'asc' } });
    expect(entities.map((e) => e.code)).toEqual(['CHN', 'FRA', 'KAZ', 'WLD']);
    // Each series labelled with its entity, unlike a user's default "<publisher> (<entity>)".
    const labels = await scratch.db.series.findMany({
      where: { indicator: { slug: 'oil-consumption' }, kind: 'observed' },
      orderBy: { id: 'asc' },
    });
    expect(labels.map((l) => l.label)).toEqual([
      'OWID, BP Statistical Review (China)',
      'OWID, BP Statistical Review (Kazakhstan)',
      'OWID, BP Statistical Review (France)',
    ]);
  });

  it('are what the import path makes of the files: re-importing one as a user finds every value stored', async () => {
    for (const f of OUTCOME_FILES) {
      const bytes = fs.readFileSync(path.join(outcomesDir, f.file));
      for (const m of outcomeImports(f)) {
        const meta = importMetaSchema.parse(m);
        const report = await commitImport(
          scratch.writer(),
          meta,
          valuesFromFile(bytes, meta, { maxRows: 100_000 }),
        );
        expect(report.errors).toEqual([]);
        expect(report.counts.added + report.counts.changed).toBe(0);
        expect(report.counts.unchanged).toBeGreaterThan(20);
      }
    }
  });

  it('load once: a second run changes nothing', async () => {
    const before = await counts();
    const again = await seedOutcomes(scratch.writer());
    expect(again.loaded).toEqual([]);
    expect(again.alreadyLoaded).toHaveLength(OUTCOME_FILES.length);
    expect(await counts()).toEqual(before);
  });

  it('refuse a file that is not the one published, loading nothing', async () => {
    const fresh = await createScratchDb({ seed: true });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sourced-outcomes-'));
    try {
      for (const f of OUTCOME_FILES)
        fs.copyFileSync(path.join(outcomesDir, f.file), path.join(dir, f.file));
      const last = OUTCOME_FILES.at(-1)!.file;
      fs.appendFileSync(path.join(dir, last), 'China,CHN,2099,1\n');
      await expect(seedOutcomes(fresh.writer(), { dir })).rejects.toThrow(
        /not the file as published/,
      );
      expect(await fresh.db.observation.count()).toBe(6);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
      await fresh.cleanup();
    }
  });
});

describe('the article scored against the shipped outcomes', () => {
  let scores: ClaimScore[];
  beforeAll(async () => {
    // As of the moment the last outcome was recorded, taken from the data rather than
    // the calendar: a value recorded exactly at `asOf` is known then.
    const { _max } = await scratch.db.observation.aggregate({ _max: { recordedAt: true } });
    scores = await getScorecard({ db: scratch.db, asOf: _max.recordedAt! });
  });
  const claim = (title: string) => {
    const c = scores.find((s) => s.title === title);
    expect(c, title).toBeDefined();
    return c!;
  };

  it('scores every claim whose target has passed', () => {
    expect(scores).toHaveLength(7);
    expect(
      scores.map((s) => s.status).every((s) => ['held', 'overshot', 'undershot'].includes(s)),
    ).toBe(true);
  });

  it('400 Mt by 2020 against consumption converted from TWh, with the factor shown', () => {
    const c = claim('China’s annual oil consumption: China');
    expect(c.outcome!.value).toBeCloseTo(7916.455444 / 11.63, 4);
    expect(c.outcome!.conversion).toMatchObject({
      from: 'terawatt-hours per year',
      to: 'million tonnes per year',
      text: '7,916 TWh/yr ÷ 11.63 = 681 Mt/yr',
      basis: expect.stringContaining('11.63'),
    });
    expect(c.error!.percent).toBeCloseTo(-41.24, 2);
    expect(c.status).toBe('undershot');
    expect(c.outcome!.evidence[0]!.sourceRef).toMatchObject({
      publisher: 'Our World in Data',
      license: expect.stringContaining('CC BY 4.0'),
    });
    expect(c.chart).toMatchObject({
      claimed: { period: '2020', value: 400 },
      observed: { period: '2020', value: expect.closeTo(680.69, 2) },
      label: 'claimed 400 Mt/yr, observed 681 Mt/yr (2020): −41.2%',
    });
  });

  it('half of its oil needs by 2010 against 1 − production ÷ consumption', () => {
    const c = claim('China’s oil import share: China');
    expect(c.outcome!.value).toBeCloseTo((1 - 2357.22 / 5275.544380555556) * 100, 6);
    expect(c.outcome!.derivation!.expression).toBe(
      '1 − Oil production (China) ÷ China’s annual oil consumption (China)',
    );
    expect(c.outcome!.evidence.map((e) => [e.role, e.indicator, e.period])).toEqual([
      ['a', 'oil-production', '2010'],
      ['b', 'oil-consumption', '2010'],
    ]);
    expect(c.status).toBe('held');
    expect(c.display).toEqual({ claimed: '50%', observed: '55.3%', error: '−9.6%' });
  });

  it('each density against the World Bank’s 2004 value, and 130 against five as their ratio', () => {
    const chn = claim('Population density: China');
    expect(chn.outcome!.value).toBeCloseTo(138.053, 3);
    expect(chn.status).toBe('held');
    const kaz = claim('Population density: Kazakhstan');
    expect(kaz.outcome!.value).toBeCloseTo(5.561, 3);
    expect(kaz.error!.percent).toBeCloseTo(-10.09, 2);
    expect(kaz.status).toBe('undershot');
    expect(kaz.outcome!.evidence[0]!.sourceRef).toMatchObject({
      publisher: 'World Bank',
      license: 'CC BY 4.0',
    });
    const ratio = scores.find((s) => s.type === 'derived')!;
    expect(ratio.claim.value).toBe(26);
    expect(ratio.outcome!.value).toBeCloseTo(138.053436689892 / 5.56098270178168, 6);
    expect(ratio.status).toBe('held');
  });

  it('five times the size of France against the land-area ratio', () => {
    const c = claim('Kazakhstan’s territory compared with France: Kazakhstan');
    expect(c.outcome!.value).toBeCloseTo(2699700 / 538950, 9);
    expect(c.outcome!.evidence.map((e) => e.entity)).toEqual(['KAZ', 'FRA']);
    expect(c.status).toBe('held');
  });

  it('12 million a year against the yearly change of the urban population, labelled as a proxy', () => {
    const c = claim('Rural–urban migration in China: China');
    expect(c.outcome!.value).toBeCloseTo((533257098 - 512473984) / 1e6, 6);
    expect(c.outcome!.proxy).toBe(true);
    expect(c.outcome!.derivation).toMatchObject({ proxy: true, formula: 'change' });
    expect(c.reason).toContain('proxy');
    expect(c.chart!.label).toContain('(proxy)');
    expect(c.status).toBe('undershot');
  });
});
