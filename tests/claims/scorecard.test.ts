import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { getScorecard } from '@/lib/claims/scorecard';
import { DEFAULT_VIEW } from '@/lib/domain/chart-view';
import { loadIndicatorView } from '@/lib/views/indicator';
import type { Store } from '@/lib/store';
import { commitImport } from '@/lib/import/import-data';
import { valuesFromObservations } from '@/lib/import/sources';
import { importMetaSchema } from '@/lib/schemas';
import { createScratchDb, type ScratchDb } from '../support/scratch-db';
import { scratchReadStore } from '../support/read-store';

const source = {
  title: 'Claims test data',
  producer: 'Sourced tests',
  url: 'https://example.org/claims',
};

async function addObserved(
  db: Store,
  indicator: string,
  unit: string,
  entity: string,
  points: [string, number][],
  now?: Date,
) {
  const meta = importMetaSchema.parse({
    indicator,
    kind: 'observed',
    unit,
    entity,
    entities: [entity],
    source,
  });
  const report = await commitImport(
    db,
    meta,
    valuesFromObservations(
      entity,
      points.map(([period, value]) => ({ period, value })),
    ),
    now,
  );
  expect(report.errors).toEqual([]);
}

describe('the claim scorecard', () => {
  let scratch: ScratchDb;
  let db: Store;
  beforeEach(async () => {
    scratch = await createScratchDb({ seed: true });
    db = scratch.store;
  });
  afterEach(() => scratch.cleanup());

  const find = async (id: string, asOf?: Date) =>
    (await getScorecard({ db: scratch.db, asOf })).find(
      (c) => c.id.startsWith(id) || c.title.startsWith(id),
    )!;

  it('scores the 400 Mt claim against consumption observed in barrels a day', async () => {
    const before = await find('China’s annual oil consumption');
    expect(before.status).toBe('no-data');
    expect(before.next).toMatchObject({
      text: expect.stringContaining(
        'Add observed “China’s annual oil consumption” for China (CHN) for 2019–2021',
      ),
      indicator: { slug: 'oil-consumption' },
    });
    // 14,225 thousand barrels a day in 2020 = 14,225 × 365 / 7.33 / 1000 = 708.33902 Mt a year.
    await addObserved(db, 'oil-consumption', 'thousand barrels per day', 'CHN', [
      ['2019', 13500],
      ['2020', 14225],
    ]);
    const score = await find('China’s annual oil consumption');
    expect(score.claim).toMatchObject({
      value: 400,
      unit: 'million tonnes per year',
      period: '2020',
      madeBy: expect.stringMatching(/^experts \(implied/),
    });
    expect(score.outcome!.period).toBe('2020');
    expect(score.outcome!.value).toBeCloseTo(708.33902, 4);
    expect(score.outcome!.evidence[0]).toMatchObject({
      value: 14225,
      unit: 'thousand barrels per day',
      source: expect.stringContaining('Sourced tests'),
    });
    expect(score.error!.absolute).toBeCloseTo(-308.33902, 4);
    expect(score.error!.percent).toBeCloseTo(-43.52998, 3);
    expect(score.status).toBe('undershot');
  });

  it('scores a reported figure held within 10%, with the thresholds applied to the converted value', async () => {
    await addObserved(db, 'population-density', 'people per square mile', 'CHN', [['2004', 350]]); // 135.1 per km²
    const score = (await getScorecard({ db: scratch.db })).find(
      (c) => c.title === 'Population density: China',
    )!;
    expect(score.outcome!.value).toBeCloseTo(350 / 2.589988110336, 6);
    expect(score.status).toBe('held');
  });

  it('shows a derived claim as waiting for operand data, then scores it once operands come', async () => {
    const before = (await getScorecard({ db: scratch.db })).find(
      (c) => c.indicator.slug === 'territory-vs-france',
    )!;
    expect(before.status).toBe('waiting-for-operand');
    expect(before.reason).toMatch(/no observed “Land area” for Kazakhstan near 2004/);
    expect(before.next).toMatchObject({ indicator: { slug: 'land-area' }, entity: 'KAZ' });
    expect(before.derivations.map((d) => d.expression)).toEqual([
      'Land area (Kazakhstan) ÷ Land area (France)',
    ]);

    await addObserved(db, 'land-area', 'km²', 'KAZ', [['2004', 2699700]]);
    const half = (await getScorecard({ db: scratch.db })).find(
      (c) => c.indicator.slug === 'territory-vs-france',
    )!;
    expect(half.status).toBe('waiting-for-operand');
    expect(half.reason).toMatch(/no observed “Land area” for France near 2004/);
    expect(half.next).toMatchObject({ indicator: { slug: 'land-area' }, entity: 'FRA' });

    await addObserved(db, 'land-area', 'km²', 'FRA', [['2004', 547557]]);
    const after = (await getScorecard({ db: scratch.db })).find(
      (c) => c.indicator.slug === 'territory-vs-france',
    )!;
    expect(after.outcome!.value).toBeCloseTo(2699700 / 547557, 9);
    expect(after.outcome!.evidence.map((e) => e.entity)).toEqual(['KAZ', 'FRA']);
    expect(after.status).toBe('held'); // 5 against 4.93
  });

  it('compares “130 against five” as a ratio of the two densities', async () => {
    const pending = (await getScorecard({ db: scratch.db })).find((c) => c.type === 'derived')!;
    expect(pending.claim.value).toBe(26);
    expect(pending.status).toBe('waiting-for-operand');
    await addObserved(db, 'population-density', 'people per km²', 'CHN', [['2004', 137]]);
    await addObserved(db, 'population-density', 'people per km²', 'KAZ', [['2004', 5.6]]);
    const scored = (await getScorecard({ db: scratch.db })).find((c) => c.type === 'derived')!;
    expect(scored.outcome!.value).toBeCloseTo(137 / 5.6, 9);
    expect(scored.error!.percent).toBeCloseTo(6.277, 2); // 26 against 24.46
    expect(scored.status).toBe('held');
  });

  it('as of a date, shows only what had been recorded by then', async () => {
    await addObserved(
      db,
      'oil-consumption',
      'Mt/yr',
      'CHN',
      [['2020', 700]],
      new Date('2027-03-01T12:00:00Z'),
    );
    const now = await find('China’s annual oil consumption', new Date('2028-01-01'));
    expect(now.outcome!.value).toBe(700);
    const before = await find('China’s annual oil consumption', new Date('2027-02-28'));
    expect(before.outcome).toBeNull();
    const read = scratchReadStore(scratch);
    const asOf = (day: string) =>
      loadIndicatorView('oil-consumption', { ...DEFAULT_VIEW, asOf: day }, {}, read.store);
    const indicatorThen = await asOf('2027-02-28');
    expect(indicatorThen!.series.map((s) => s.kind)).toEqual(['projection']);
    // In 2004 the projection for 2020 was not yet due, and the article's figures were known.
    const in2004 = await find('China’s annual oil consumption', new Date('2004-12-31'));
    expect(in2004.status).toBe('not-yet-due');
    expect(in2004.next!.text).toMatch(/^Due once 2020 is over/);
    expect((await asOf('2004-01-01'))!.series).toEqual([]);
    await read.close();
  });

  it('as of the very moment an outcome was recorded, knows it', async () => {
    const at = new Date('2027-03-01T12:00:00.000Z');
    await addObserved(db, 'oil-consumption', 'Mt/yr', 'CHN', [['2020', 700]], at);
    // The observed series and its value are both recorded at `at`: `asOf` is inclusive.
    expect((await find('China’s annual oil consumption', at)).outcome!.value).toBe(700);
    const before = await find('China’s annual oil consumption', new Date(at.getTime() - 1));
    expect(before.outcome).toBeNull();
  });
});
