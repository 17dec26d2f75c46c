import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { seedArticle } from '@/lib/article/seed';
import { createScratchDb, type ScratchDb } from '../support/scratch-db';

async function counts(s: ScratchDb) {
  const [sources, quotes, entities, indicators, series, observations] = await Promise.all([
    s.db.source.count(),
    s.db.quote.count(),
    s.db.entity.count(),
    s.db.indicator.count(),
    s.db.series.count(),
    s.db.observation.count(),
  ]);
  return { sources, quotes, entities, indicators, series, observations };
}

describe('loading the article into a migrated scratch database', () => {
  let scratch: ScratchDb;
  beforeEach(async () => {
    scratch = await createScratchDb();
  });
  afterEach(() => scratch.cleanup());

  it('creates the article data once and nothing on a second run', async () => {
    const first = await seedArticle(scratch.db);
    expect(first.created).toEqual({
      sources: 1,
      quotes: 5,
      entities: 3,
      indicators: 8,
      series: 6,
      observations: 6,
      derivations: 4,
    });
    const after = await counts(scratch);
    const second = await seedArticle(scratch.db);
    expect(Object.values(second.created).every((n) => n === 0)).toBe(true);
    expect(await counts(scratch)).toEqual(after);
  });

  it('never overwrites what a user changed or added', async () => {
    await seedArticle(scratch.db);
    await scratch.db.indicator.update({
      where: { slug: 'oil-consumption' },
      data: { title: 'Edited by a user' },
    });
    const series = await scratch.db.series.findFirstOrThrow({
      where: { indicator: { slug: 'oil-consumption' } },
    });
    const first = await scratch.db.observation.findFirstOrThrow({ where: { seriesId: series.id } });
    // A correction: the old revision stays, superseded, and a new one takes its place.
    await scratch.db.$transaction([
      scratch.db.observation.update({
        where: { id: first.id },
        data: { supersededAt: new Date() },
      }),
      scratch.db.observation.create({
        data: { seriesId: series.id, period: '2020', precision: 'year', value: 410, revision: 2 },
      }),
    ]);

    await seedArticle(scratch.db);

    const indicator = await scratch.db.indicator.findUniqueOrThrow({
      where: { slug: 'oil-consumption' },
    });
    expect(indicator.title).toBe('Edited by a user');
    const observations = await scratch.db.observation.findMany({
      where: { seriesId: series.id },
      orderBy: { revision: 'asc' },
    });
    expect(observations.map((o) => [o.revision, o.value, o.supersededAt !== null])).toEqual([
      [1, 400, true],
      [2, 410, false],
    ]);
  });

  it('leaves the database unchanged when the load fails part-way', async () => {
    // Sources, quotes, entities, indicators and series are written before the first
    // observation; a trigger makes that observation fail.
    await scratch.exec(
      scratch.provider === 'sqlite'
        ? `CREATE TRIGGER fail_on_observation BEFORE INSERT ON "Observation" BEGIN SELECT RAISE(ABORT, 'simulated failure'); END`
        : `CREATE FUNCTION fail_on_observation() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'simulated failure'; END $$;
           CREATE TRIGGER fail_on_observation BEFORE INSERT ON "Observation" FOR EACH ROW EXECUTE FUNCTION fail_on_observation();`,
    );
    await expect(seedArticle(scratch.db)).rejects.toThrow();
    expect(await counts(scratch)).toEqual({
      sources: 0,
      quotes: 0,
      entities: 0,
      indicators: 0,
      series: 0,
      observations: 0,
    });
  });
});
