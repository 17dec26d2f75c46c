// Small reads through Prisma for forms and single records (a series before a write to
// it, its revisions, pickers' lists), and the shapes sources and quotes are shown in.
// What pages and downloads show of indicators is read by the read store
// (lib/read/sqlite.ts) into one view (lib/views/indicator.ts).
import 'server-only';
import { getDb, type PrismaClient } from '../db/client';
import { Prisma } from '../generated/prisma/client';
import { formatCitation } from '../domain/citation';
import { asPrecision, asSeriesKind } from '../domain/kinds';

type SourceRow = Prisma.SourceGetPayload<object>;
type QuoteRow = Omit<Prisma.QuoteGetPayload<object>, 'observations'>;

export function sourceSummary(s: Omit<SourceRow, 'createdAt' | 'contentSha256' | 'text'>) {
  return {
    id: s.id,
    title: s.title,
    publisher: s.publisher,
    volume: s.volume,
    issue: s.issue,
    publishedOn: s.publishedOn,
    publishedPrecision: s.publishedPrecision,
    publishedNote: s.publishedNote,
    url: s.url,
    license: s.license,
    accessedOn: s.accessedOn,
    citation: formatCitation(s),
  };
}

export function quoteSummary(q: QuoteRow) {
  return {
    id: q.id,
    sourceId: q.sourceId,
    text: q.text,
    startOffset: q.startOffset,
    endOffset: q.endOffset,
    citedOutlet: q.citedOutlet,
    speaker: q.speaker,
    attribution: q.attribution,
  };
}

export function indicatorFields(
  i: Pick<
    Prisma.IndicatorGetPayload<object>,
    'slug' | 'title' | 'description' | 'unitLong' | 'unitShort' | 'decimals'
  >,
) {
  return {
    slug: i.slug,
    title: i.title,
    description: i.description,
    unitLong: i.unitLong,
    unitShort: i.unitShort,
    decimals: i.decimals,
  };
}

export type IndicatorFields = ReturnType<typeof indicatorFields>;

/** A series with what a write to it needs: its indicator, entity and source. */
export async function getSeries(id: number, db: PrismaClient = getDb()) {
  const s = await db.series.findUnique({
    where: { id },
    include: { indicator: true, entity: true, source: true },
  });
  if (!s) return null;
  return {
    id: s.id,
    label: s.label,
    kind: asSeriesKind(s.kind),
    unit: s.unit,
    archivedAt: s.archivedAt?.toISOString() ?? null,
    indicator: indicatorFields(s.indicator),
    entity: { code: s.entity.code, name: s.entity.name },
    source: { ...sourceSummary(s.source), rawCitation: s.source.citation },
  };
}

function observationFields(o: Prisma.ObservationGetPayload<object>) {
  return {
    id: o.id,
    period: o.period,
    precision: asPrecision(o.precision),
    value: o.value,
    low: o.low,
    high: o.high,
    note: o.note,
    revision: o.revision,
    recordedAt: o.recordedAt.toISOString(),
  };
}

/**
 * A page of a series' revisions, superseded ones included, by period then revision,
 * after `after` (the last period and revision of the previous page).
 */
export async function listRevisions(
  seriesId: number,
  page: { limit: number; after?: { period: string; revision: number } | null },
  db: PrismaClient = getDb(),
) {
  const after = page.after;
  const rows = await db.observation.findMany({
    where: {
      seriesId,
      ...(after
        ? {
            OR: [
              { period: { gt: after.period } },
              { period: after.period, revision: { gt: after.revision } },
            ],
          }
        : {}),
    },
    orderBy: [{ period: 'asc' }, { revision: 'asc' }],
    take: page.limit,
  });
  return rows.map((o) => ({
    ...observationFields(o),
    supersededAt: o.supersededAt?.toISOString() ?? null,
  }));
}

export type Revision = Awaited<ReturnType<typeof listRevisions>>[number];

/** Indicators for pickers: slug, title and unit only. */
export async function listIndicatorOptions(db: PrismaClient = getDb()) {
  const rows = await db.indicator.findMany({ orderBy: { title: 'asc' } });
  return rows.map(indicatorFields);
}

export async function listEntities(db: PrismaClient = getDb()) {
  return db.entity.findMany({ orderBy: { name: 'asc' }, select: { code: true, name: true } });
}

/** Whether an indicator has claims to score: its own, or comparisons it is an operand of. */
export async function hasClaims(slug: string, db: PrismaClient = getDb()): Promise<boolean> {
  const indicator = { slug };
  const [claims, derivations] = await Promise.all([
    db.series.count({ where: { indicator, kind: { not: 'observed' } } }),
    db.derivation.count({
      where: { OR: [{ indicator }, { aIndicator: indicator }, { bIndicator: indicator }] },
    }),
  ]);
  return claims + derivations > 0;
}
