// Finding 6 of issue #25: POST /api/claims skipped the value rule every other write path
// applies, so a claim of 1.79e308 people/km² was stored, then read as null per mi², an
// empty CSV cell and a dropped point. A claim's value passes the same rule as an import's.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimInputSchema, documentInputSchema } from '@/lib/claims/schemas';
import { createClaim, createDocument, WriteRefused } from '@/lib/documents/writes';
import { unstorableValue } from '@/lib/domain/units';
import { createScratchDb, type ScratchDb } from '../support/scratch-db';

const QUOTE = 'China’s oil demand will reach 650 million tonnes in 2019, the agency said.';
let scratch: ScratchDb;
let sourceId: number;
beforeAll(async () => {
  scratch = await createScratchDb({ outcomes: true });
  const doc = documentInputSchema.parse({
    title: 'Value rule outlook',
    publisher: 'Example Energy Agency',
    publishedAt: '2018-11',
    text: `Energy Outlook 2018. ${QUOTE}`,
  });
  sourceId = (await createDocument(scratch.writer(), doc)).id;
});
afterAll(() => scratch.cleanup());

const claim = (value: number, unit?: string) =>
  claimInputSchema.parse({
    source: sourceId,
    quote: { text: QUOTE },
    indicator: 'oil-consumption',
    entity: 'CHN',
    kind: 'projection',
    period: '2019',
    value,
    unit,
  });

const counts = async () => ({
  o: await scratch.db.observation.count(),
  s: await scratch.db.series.count(),
  q: await scratch.db.quote.count(),
});

describe('the value rule on claims', () => {
  it('refuses a value no unit of its dimension can show, naming the field, writing nothing', async () => {
    const before = await counts();
    for (const [value, unit] of [
      [1e299, undefined], // 2e303 barrels per day
      [1e301, 'barrels per day'],
      [1e-301, undefined],
      [1.79e308, undefined],
    ] as const) {
      const error = await createClaim(scratch.writer(), claim(value, unit)).catch((e) => e);
      expect(error, `${value}`).toBeInstanceOf(WriteRefused);
      expect((error as WriteRefused).status).toBe(400);
      expect((error as WriteRefused).errors).toEqual([
        { path: 'value', message: unstorableValue(value, unit ?? 'million tonnes per year') },
      ]);
    }
    expect(await counts()).toEqual(before);
  });

  it('stores a value the rule accepts', async () => {
    const made = await createClaim(scratch.writer(), claim(650));
    expect(made.created).toBe(true);
  });
});
