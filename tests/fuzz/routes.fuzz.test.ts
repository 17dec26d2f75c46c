// The fuzz pass, part 2 (issue #25): hostile values to every read route's parameters,
// and hostile bodies down every write path, on the store the tests run on (SQLite, or
// PostgreSQL with TEST_DATABASE set). No 5xx, no crash, and a refused write leaves the
// database as it was. Route handlers are called as Next.js calls them; writes run as the
// write worker runs them (runWriteJob), after the route's own schema, and are answered
// through the one failure table.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createScratchDb, testProvider, type ScratchDb } from '../support/scratch-db';
import { hostileNumber, hostileText } from './hostile';
import { claimInputSchema, documentInputSchema, derivationInputSchema } from '@/lib/claims/schemas';
import { importMetaSchema } from '@/lib/schemas';
import { runWriteJob, type WriteJob } from '@/lib/write/write-job';
import { createDocument } from '@/lib/documents/writes';
import { failure, failureOfOutcome } from '@/lib/api/errors';
import { fieldErrors } from '@/lib/schemas';

let scratch: ScratchDb;
beforeAll(async () => {
  scratch = await createScratchDb({ outcomes: true });
  process.env.DATABASE_URL = scratch.url;
});
afterAll(() => scratch.cleanup());

type Handler = (
  request: Request,
  context: { params: Promise<Record<string, string>> },
) => Promise<Response>;

/** Read routes: module, the parameter its path takes, and the query names it reads. */
const READ_ROUTES: [string, () => Promise<{ GET: Handler }>, string | null, string[]][] = [
  ['/api/indicators', () => import('@/app/api/indicators/route') as never, null, ['asOf']],
  [
    '/api/indicators/[slug]',
    () => import('@/app/api/indicators/[slug]/route') as never,
    'slug',
    ['series', 'from', 'to', 'unit', 'transform', 'asOf'],
  ],
  [
    '/api/indicators/[slug]/series',
    () => import('@/app/api/indicators/[slug]/series/route') as never,
    'slug',
    ['asOf'],
  ],
  [
    '/api/series/[id]/observations',
    () => import('@/app/api/series/[id]/observations/route') as never,
    'id',
    ['from', 'to', 'limit', 'cursor', 'unit', 'asOf'],
  ],
  [
    '/api/series/[id]/revisions',
    () => import('@/app/api/series/[id]/revisions/route') as never,
    'id',
    ['limit', 'cursor'],
  ],
  ['/api/claims', () => import('@/app/api/claims/route') as never, null, ['indicator', 'status']],
  ['/claims.csv', () => import('@/app/claims.csv/route') as never, null, ['indicator', 'bom']],
  [
    '/indicators/[slug]/data.csv',
    () => import('@/app/indicators/[slug]/data.csv/route') as never,
    'slug',
    ['series', 'from', 'to', 'unit', 'transform', 'asOf', 'bom', 'scale'],
  ],
  [
    '/indicators/[slug]/metadata.json',
    () => import('@/app/indicators/[slug]/metadata.json/route') as never,
    'slug',
    ['series', 'unit', 'transform', 'asOf'],
  ],
  [
    '/indicators/[slug]/chart.svg',
    () => import('@/app/indicators/[slug]/chart.svg/route') as never,
    'slug',
    ['series', 'scale', 'transform', 'size', 'unit', 'type'],
  ],
  [
    '/indicators/[slug]/sketch.svg',
    () => import('@/app/indicators/[slug]/sketch.svg/route') as never,
    'slug',
    ['asOf'],
  ],
];

const slugOrId = fc.oneof(
  fc.constantFrom(
    'population-density',
    'oil-consumption',
    '1',
    '2',
    '99999999999999999999',
    '-1',
    '0x10',
  ),
  hostileText,
);
const queryValue = fc.oneof(
  fc.constantFrom(
    'log',
    'relative',
    'index',
    'change',
    '1e-300',
    '1e300',
    'people per mi²',
    '2020-13-45',
    '1,2,3',
  ),
  hostileNumber.map(String),
  hostileText,
);

const READ_RUNS = 60;
const statuses = new Map<string, number>();

describe(`fuzz: read routes on ${testProvider}`, () => {
  for (const [path, load, param, names] of READ_ROUTES)
    it(`${path}: no 5xx for hostile parameters`, async () => {
      const { GET } = await load();
      await fc.assert(
        fc.asyncProperty(
          slugOrId,
          fc.array(fc.tuple(fc.constantFrom(...names), queryValue), { maxLength: 4 }),
          async (value, query) => {
            // A URL cannot carry a lone surrogate (it decodes to U+FFFD); the param can.
            const inUrl = encodeURIComponent(value.replace(/[\uD800-\uDFFF]/g, '\uFFFD'));
            const url = new URL(`http://localhost${path.replace(/\[\w+\]/, inUrl)}`);
            for (const [k, v] of query) url.searchParams.append(k, v);
            const params = Promise.resolve(param ? { [param]: value } : {});
            const response = await GET(new Request(url), { params });
            expect(response.status, `${url}`).toBeLessThan(500);
            await response.arrayBuffer();
            statuses.set(path, (statuses.get(path) ?? 0) + 1);
          },
        ),
        { numRuns: READ_RUNS },
      );
    });
});

async function counts() {
  const rows = await scratch.query<{ n: number }>(
    `SELECT (SELECT COUNT(*) FROM "Observation") + (SELECT COUNT(*) FROM "Series") + (SELECT COUNT(*) FROM "Source") + (SELECT COUNT(*) FROM "Entity") + (SELECT COUNT(*) FROM "Quote") + (SELECT COUNT(*) FROM "Derivation") + (SELECT COUNT(*) FROM "Indicator") AS n`,
  );
  return Number(rows[0]!.n);
}

/** What the route would answer: the schema's 400, or the job's outcome through the table. */
async function answer(
  schema: { safeParse(v: unknown): { success: boolean; data?: unknown; error?: unknown } },
  body: unknown,
  job: (input: never) => WriteJob,
) {
  const parsed = schema.safeParse(body);
  if (!parsed.success)
    return { status: failure.invalid(fieldErrors(parsed.error as never)).status, wrote: false };
  const outcome = await runWriteJob(scratch.store, job(parsed.data as never));
  return outcome.ok
    ? { status: 201, wrote: true }
    : { status: failureOfOutcome(outcome).status, wrote: false };
}

const WRITE_RUNS = 80;

describe(`fuzz: write paths on ${testProvider}`, () => {
  it('POST /api/claims: hostile values and text, refused ones write nothing', async () => {
    const QUOTE = 'Demand will reach 650 million tonnes in 2019.';
    const doc = documentInputSchema.parse({
      title: 'Fuzz',
      publisher: 'P',
      publishedAt: '2018',
      text: QUOTE,
    });
    const source = await createDocument(scratch.store, doc);
    // The stored quote and a real period, half the time: the value rule is then what decides.
    const quotes = fc.oneof(fc.constant(QUOTE), hostileText);
    const periods = fc.oneof(fc.constantFrom('2019', '2030-06'), hostileText);
    await fc.assert(
      fc.asyncProperty(
        hostileNumber,
        quotes,
        periods,
        fc.constantFrom(undefined, 'barrels per day', 'people per mi²'),
        async (value, quote, period, unit) => {
          const before = await counts();
          const body = {
            source: source?.id ?? 1,
            quote: { text: quote },
            indicator: 'oil-consumption',
            entity: 'CHN',
            kind: 'projection',
            period,
            value,
            unit,
          };
          const r = await answer(claimInputSchema, body, (input) => ({ type: 'claim', input }));
          expect(r.status).toBeLessThan(500);
          if (!r.wrote) expect(await counts()).toBe(before);
        },
      ),
      { numRuns: WRITE_RUNS },
    );
  });

  it('POST /api/sources: hostile text and dates, refused ones write nothing', async () => {
    await fc.assert(
      fc.asyncProperty(
        hostileText,
        hostileText,
        fc.oneof(hostileText, fc.constantFrom('2020-13-45', '2020-02-30', '2020')),
        async (title, text, publishedAt) => {
          const before = await counts();
          const r = await answer(
            documentInputSchema,
            { title, publisher: 'P', publishedAt, text },
            (input) => ({ type: 'document', input }),
          );
          expect(r.status).toBeLessThan(500);
          if (!r.wrote) expect(await counts()).toBe(before);
        },
      ),
      { numRuns: WRITE_RUNS },
    );
  });

  it('POST /api/derivations: hostile operands, refused ones write nothing', async () => {
    await fc.assert(
      fc.asyncProperty(
        hostileText,
        hostileText,
        fc.constantFrom('ratio', 'share', 'difference', 'change', 'constructor'),
        async (slug, entity, formula) => {
          const before = await counts();
          const body = {
            title: 'T',
            formula,
            a: { indicator: slug, entity },
            b: { indicator: 'oil-consumption', entity: 'CHN' },
            target: { indicator: slug, entity },
          };
          const r = await answer(derivationInputSchema, body, (input) => ({
            type: 'derivation',
            input,
          }));
          expect(r.status).toBeLessThan(500);
          if (!r.wrote) expect(await counts()).toBe(before);
        },
      ),
      { numRuns: WRITE_RUNS },
    );
  });

  it('POST /api/series and /api/imports: hostile values, entities and meta; refused ones write nothing', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(hostileText, hostileText, hostileNumber), { minLength: 1, maxLength: 4 }),
        hostileText,
        async (rows, title) => {
          const before = await counts();
          const meta = {
            indicator: {
              slug: 'fuzz-indicator',
              title,
              unitLong: 'people per km²',
              unitShort: 'people/km²',
            },
            kind: 'observed',
            unit: 'people per km²',
            createEntities: true,
            source: { title: 'Fuzz', producer: title, url: 'https://example.org/f' },
          };
          const parsed = importMetaSchema.safeParse(meta);
          if (!parsed.success) return;
          const values = rows.map(([name, period, value]) => ({ entityName: name, period, value }));
          const outcome = await runWriteJob(scratch.store, {
            type: 'import',
            meta: parsed.data,
            values: { values } as never,
            dryRun: false,
          });
          const status = outcome.ok
            ? 'report' in outcome && outcome.report.ok
              ? 201
              : 400
            : failureOfOutcome(outcome).status;
          expect(status).toBeLessThan(500);
          if (status >= 400) expect(await counts()).toBe(before);
        },
      ),
      { numRuns: WRITE_RUNS },
    );
  });
});
