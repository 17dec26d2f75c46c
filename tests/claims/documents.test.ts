// Claims quoted from new documents, and derivations users define: written through the
// same functions the API routes and forms call, then scored like the article's.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getScorecard } from '@/lib/claims/scorecard';
import { claimInputSchema, derivationInputSchema, documentInputSchema } from '@/lib/claims/schemas';
import { createDerivation } from '@/lib/derivations/writes';
import { createClaim, createDocument, WriteRefused } from '@/lib/documents/writes';
import { checkQuote } from '@/lib/domain/quote';
import { commitImport } from '@/lib/import/import-data';
import { valuesFromObservations } from '@/lib/import/sources';
import { importMetaSchema } from '@/lib/schemas';
import { createScratchDb, type ScratchDb } from '../support/scratch-db';

const TEXT = [
  'Energy Outlook 2018.',
  'China’s oil demand will reach 650 million tonnes in 2019, the agency said.',
  'By 2035 it will need 800 million tonnes a year.',
  'Demand grows. Demand grows.',
].join('\r\n');

// The agency's claims are recorded at a fixed moment, so that one can be scored as of a
// fixed day (its 2035 target is not yet due then, whatever today's date).
const RECORDED = new Date('2026-11-30T11:00:00Z');
const SCORED_AT = new Date('2026-12-01T00:00:00Z');

let scratch: ScratchDb;
let sourceId: number;
beforeAll(async () => {
  scratch = await createScratchDb({ outcomes: true });
  sourceId = (
    await createDocument(
      scratch.writer(),
      documentInputSchema.parse({
        title: 'Energy Outlook 2018',
        publisher: 'Example Energy Agency',
        publishedAt: '2018-11',
        url: 'https://example.org/outlook-2018',
        license: 'All rights reserved; quoted for comment',
        text: TEXT,
      }),
      new Date('2026-11-30T10:00:00Z'),
    )
  ).id;
});
afterAll(() => scratch.cleanup());

async function counts() {
  const db = scratch.db;
  const [q, s, o, e, d] = await Promise.all([
    db.quote.count(),
    db.series.count(),
    db.observation.count(),
    db.entity.count(),
    db.derivation.count(),
  ]);
  return { q, s, o, e, d };
}

async function refused(fn: () => Promise<unknown>): Promise<WriteRefused> {
  try {
    await fn();
  } catch (error) {
    if (error instanceof WriteRefused) return error;
    throw error;
  }
  throw new Error('the write was not refused');
}

const claim = (over: Record<string, unknown> = {}) =>
  claimInputSchema.parse({
    source: sourceId,
    quote: { text: 'China’s oil demand will reach 650 million tonnes in 2019, the agency said.' },
    attribution: 'the agency',
    indicator: 'oil-consumption',
    entity: 'CHN',
    kind: 'projection',
    period: '2019',
    value: 650,
    ...over,
  });

describe('a document and the claims quoted from it', () => {
  it('stores the text with line breaks as LF, and refuses the same title twice', async () => {
    const doc = await scratch.db.source.findUniqueOrThrow({ where: { id: sourceId } });
    expect(doc.text).toBe(TEXT.replace(/\r\n/g, '\n'));
    expect(doc.contentSha256).toMatch(/^[0-9a-f]{64}$/);
    const e = await refused(() =>
      createDocument(
        scratch.writer(),
        documentInputSchema.parse({
          title: 'Energy Outlook 2018',
          publisher: 'Example Energy Agency',
          publishedAt: '2018',
          text: 'x',
        }),
      ),
    );
    expect(e.status).toBe(409);
  });

  it('records a projection with offsets located in, and checked against, the stored text', async () => {
    const c = await createClaim(scratch.writer(), claim(), RECORDED);
    expect(c.created).toBe(true);
    const quote = await scratch.db.quote.findUniqueOrThrow({ where: { id: c.quoteId } });
    const doc = await scratch.db.source.findUniqueOrThrow({ where: { id: sourceId } });
    expect(checkQuote(doc.text!, quote)).toEqual({ ok: true });
    expect(quote.startOffset).toBe('Energy Outlook 2018.\n'.length);
    // Recording it again changes nothing.
    expect(await createClaim(scratch.writer(), claim(), RECORDED)).toMatchObject({
      created: false,
      observationId: c.observationId,
    });

    const score = (await getScorecard({ db: scratch.db })).find(
      (s) => s.id === `observation-${c.observationId}`,
    )!;
    expect(score.claim).toMatchObject({
      value: 650,
      period: '2019',
      madeBy: 'the agency',
      statedOn: '2018-11',
      series: 'Example Energy Agency 2018: the agency',
      quote: { text: 'China’s oil demand will reach 650 million tonnes in 2019, the agency said.' },
    });
    expect(score.outcome!.value).toBeCloseTo(7759.732538888888 / 11.63, 6);
    expect(score.status).toBe('held');
  });

  it('records a figure stated in another unit, and a future target as not yet due', async () => {
    const c = await createClaim(
      scratch.writer(),
      claim({
        quote: { text: 'By 2035 it will need 800 million tonnes a year.' },
        period: '2035',
        value: 800,
        unit: 'million tonnes a year',
      }),
      RECORDED,
    );
    // Scored as of a fixed day, not today: in 2036 it will be due.
    const score = (await getScorecard({ db: scratch.db, asOf: SCORED_AT })).find(
      (s) => s.id === `observation-${c.observationId}`,
    )!;
    expect(score.status).toBe('not-yet-due');
    expect(score.next!.text).toMatch(/^Due once 2035 is over/);
  });

  it('refuses what it cannot check or store, naming the field, and writes nothing', async () => {
    const before = await counts();
    const cases: [Record<string, unknown>, number, string, RegExp][] = [
      [{ quote: { text: 'China will import half' } }, 400, 'quote.text', /does not occur/],
      [{ quote: { text: 'Demand grows.' } }, 400, 'quote.text', /occurs 2 times/],
      [{ quote: { text: 'Demand grows.', startOffset: 3 } }, 400, 'quote.text', /not the quote/],
      [{ indicator: 'no-such-indicator' }, 400, 'indicator', /no indicator/],
      [{ unit: 'km²' }, 400, 'unit', /not a known convertible unit/],
      [{ unit: 'people' }, 400, 'unit', /cannot be converted/],
      [{ period: '20190' }, 400, 'period', /not a period/],
      [{ entity: 'XYZ' }, 400, 'entity', /give entityName/],
      [{ value: 700 }, 409, 'label', /already has a claim for 2019/],
      [{ source: 999999 }, 404, 'source', /no source/],
    ];
    for (const [over, status, path, message] of cases) {
      const e = await refused(() => createClaim(scratch.writer(), claim(over)));
      expect([e.status, e.errors[0]!.path], JSON.stringify(over)).toEqual([status, path]);
      expect(e.errors[0]!.message).toMatch(message);
    }
    // The article stores quotes only, not its text: nothing can be checked against it.
    const article = await scratch.db.source.findFirstOrThrow({
      where: { publisher: 'Eurasia Daily Monitor' },
    });
    const noText = await refused(() =>
      createClaim(scratch.writer(), claim({ source: article.id })),
    );
    expect(noText.errors[0]!.message).toMatch(/stores no text/);
    expect(await counts()).toEqual(before);
  });

  it('picks the occurrence a start offset names', async () => {
    const second = Array.from(TEXT.replace(/\r\n/g, '\n')).length - 'Demand grows.'.length;
    const c = await createClaim(
      scratch.writer(),
      claim({
        quote: { text: 'Demand grows.', startOffset: second },
        kind: 'reported',
        period: '2018',
        value: 600,
        label: 'Example Energy Agency 2018: demand',
      }),
    );
    expect([c.startOffset, c.endOffset]).toEqual([second, second + 13]);
  });
});

describe('derivations users define', () => {
  const addObserved = async (
    indicator: string,
    unit: string,
    entity: string,
    points: [string, number][],
    label: string,
  ) => {
    const meta = importMetaSchema.parse({
      indicator,
      kind: 'observed',
      unit,
      entity,
      entities: [entity],
      label,
      source: {
        title: 'Derivation test data',
        producer: 'Sourced tests',
        url: 'https://example.org/d',
      },
    });
    const r = await commitImport(
      scratch.writer(),
      meta,
      valuesFromObservations(
        entity,
        points.map(([period, value]) => ({ period, value })),
      ),
    );
    expect(r.errors).toEqual([]);
  };

  it('defines a share for a new claim, lists it on the claim, and recomputes it when an operand changes', async () => {
    const doc = await createDocument(
      scratch.writer(),
      documentInputSchema.parse({
        title: 'France oil note',
        publisher: 'Example Desk',
        publishedAt: '2009',
        url: 'https://example.org/fra',
        text: 'France will import 15 per cent of its oil needs in 2010.',
      }),
    );
    const c = await createClaim(
      scratch.writer(),
      claimInputSchema.parse({
        source: doc.id,
        quote: { text: 'France will import 15 per cent of its oil needs in 2010.' },
        indicator: 'oil-import-share',
        entity: 'FRA',
        kind: 'projection',
        period: '2010',
        value: 15,
      }),
    );
    const score = async () =>
      (await getScorecard({ db: scratch.db })).find(
        (s) => s.id === `observation-${c.observationId}`,
      )!;
    const before = await score();
    expect(before.status).toBe('no-data');
    expect(before.next!.text).toContain('or define a derivation that computes it');

    const d = await createDerivation(
      scratch.writer(),
      derivationInputSchema.parse({
        title: 'France: net import share',
        formula: 'share',
        a: { indicator: 'oil-production', entity: 'FRA' },
        b: { indicator: 'oil-consumption', entity: 'FRA' },
        target: { indicator: 'oil-import-share', entity: 'FRA' },
      }),
    );
    expect(d.slug).toBe('france-net-import-share');
    // The shipped production series for France ends in 1964: the claim waits for it.
    const waiting = await score();
    expect(waiting.status).toBe('waiting-for-operand');
    expect(waiting.derivations.map((x) => x.slug)).toEqual(['france-net-import-share']);
    expect(waiting.next).toMatchObject({ indicator: { slug: 'oil-production' }, entity: 'FRA' });

    await addObserved(
      'oil-production',
      'million tonnes per year',
      'FRA',
      [['2010', 1]],
      'test production',
    );
    const scored = await score();
    expect(scored.outcome!.derivation!.slug).toBe('france-net-import-share');
    const [a, b] = scored.outcome!.evidence;
    expect([a!.role, a!.value, a!.unit, b!.role, b!.unit]).toEqual([
      'a',
      1,
      'million tonnes per year',
      'b',
      'terawatt-hours per year',
    ]);
    expect(b!.value).toBeCloseTo(980.459, 3);
    expect(scored.outcome!.value).toBeCloseTo((1 - 11.63 / 980.4591383333334) * 100, 6);

    // A revised operand moves the outcome at once: nothing derived is stored.
    await addObserved(
      'oil-production',
      'million tonnes per year',
      'FRA',
      [['2010', 2]],
      'test production',
    );
    const revised = await score();
    expect(revised.outcome!.evidence[0]!.value).toBe(2);
    expect(revised.outcome!.value).toBeCloseTo((1 - 23.26 / 980.4591383333334) * 100, 6);
  });

  it('refuses unknown operands, units that cannot combine, and a slug taken', async () => {
    const before = await counts();
    const base = {
      title: 'Test',
      formula: 'difference',
      a: { indicator: 'land-area', entity: 'KAZ' },
      b: { indicator: 'oil-consumption', entity: 'KAZ' },
      target: { indicator: 'land-area', entity: 'KAZ' },
    };
    const e1 = await refused(() =>
      createDerivation(scratch.writer(), derivationInputSchema.parse(base)),
    );
    expect(e1.errors[0]).toMatchObject({
      path: 'b',
      message: expect.stringMatching(/cannot be converted/),
    });
    const e2 = await refused(() =>
      createDerivation(
        scratch.writer(),
        derivationInputSchema.parse({ ...base, a: { indicator: 'nope', entity: 'ZZZ' } }),
      ),
    );
    expect(e2.errors.map((e) => e.path)).toEqual(['a.indicator', 'a.entity']);
    const e3 = await refused(() =>
      createDerivation(
        scratch.writer(),
        derivationInputSchema.parse({
          ...base,
          slug: 'kazakhstan-area-vs-france',
          formula: 'ratio',
          b: { indicator: 'land-area', entity: 'FRA' },
          target: { indicator: 'territory-vs-france', entity: 'KAZ' },
        }),
      ),
    );
    expect([e3.status, e3.errors[0]!.path]).toEqual([409, 'slug']);
    expect(await counts()).toEqual(before);
  });

  it('checks the shape: change takes one operand, the others two', () => {
    const r = derivationInputSchema.safeParse({
      title: 'x',
      formula: 'change',
      a: { indicator: 'urban-population', entity: 'CHN' },
      b: { indicator: 'urban-population', entity: 'KAZ' },
      target: { indicator: 'rural-urban-migration', entity: 'CHN' },
    });
    expect(r.success).toBe(false);
    const r2 = derivationInputSchema.safeParse({
      title: 'x',
      formula: 'ratio',
      a: { indicator: 'land-area', entity: 'KAZ' },
    });
    expect(r2.success ? [] : r2.error.issues.map((i) => i.path.join('.'))).toEqual(['b', 'target']);
  });
});
