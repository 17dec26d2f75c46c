// Reads. Pages, route handlers and tests call these named functions; nothing else
// queries the database for display. Results are plain JSON-safe objects, so they can
// cross to client components and out through the API unchanged.
import 'server-only';
import { getDb, type PrismaClient } from './db';
import { Prisma } from './generated/prisma/client';
import { formatCitation } from './domain/citation';
import { asPrecision, asSeriesKind } from './domain/kinds';
import { periodToYear } from './domain/period';
import { seriesColor, type ChartSeries } from './domain/chart-view';
import { conversionTo, convertFinite } from './domain/units';

/**
 * The series and observations as known at a moment: recorded by then and not yet
 * superseded or archived by then. Without `asOf`, as known now.
 */
function seriesAsOf(asOf: Date | null | undefined) {
  const observations = {
    where: asOf
      ? { recordedAt: { lte: asOf }, OR: [{ supersededAt: null }, { supersededAt: { gt: asOf } }] }
      : { supersededAt: null },
    orderBy: { period: 'asc' },
    include: { quote: true },
  } satisfies Prisma.Series$observationsArgs;
  return {
    where: asOf
      ? { recordedAt: { lte: asOf }, OR: [{ archivedAt: null }, { archivedAt: { gt: asOf } }] }
      : { archivedAt: null },
    orderBy: seriesOrder,
    include: { entity: true, source: true, observations },
  } satisfies Prisma.Indicator$seriesArgs;
}

type SeriesRow = Prisma.SeriesGetPayload<{ include: ReturnType<typeof seriesAsOf>['include'] }>;
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

function seriesDetail(s: SeriesRow, index: number) {
  const quotes = new Map<number, ReturnType<typeof quoteSummary>>();
  for (const o of s.observations) if (o.quote) quotes.set(o.quote.id, quoteSummary(o.quote));
  return {
    id: s.id,
    label: s.label,
    kind: asSeriesKind(s.kind),
    /** The unit the values are stored in, when it is not the indicator's. */
    unit: s.unit,
    archivedAt: s.archivedAt?.toISOString() ?? null,
    color: seriesColor(index),
    entity: { code: s.entity.code, name: s.entity.name },
    recordedAt: s.recordedAt.toISOString(),
    source: sourceSummary(s.source),
    quotes: [...quotes.values()],
    observations: s.observations.map((o) => ({ ...observationFields(o), quoteId: o.quoteId })),
  };
}

export type SeriesDetail = ReturnType<typeof seriesDetail>;
export type SourceSummary = SeriesDetail['source'];
export type QuoteSummary = SeriesDetail['quotes'][number];

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

/** The series of an indicator in display order: claims first, as recorded, then added data. */
export const seriesOrder = [
  { recordedAt: 'asc' },
  { id: 'asc' },
] satisfies Prisma.SeriesOrderByWithRelationInput[];

/** Every indicator with its live series, observations and provenance. */
export async function listIndicators(
  db: PrismaClient = getDb(),
  asOf?: Date | null,
  slugs?: string[],
) {
  const rows = await db.indicator.findMany({
    where: {
      ...(asOf ? { createdAt: { lte: asOf } } : {}),
      ...(slugs ? { slug: { in: slugs } } : {}),
    },
    orderBy: { id: 'asc' },
    include: { series: seriesAsOf(asOf) },
  });
  return rows.map((i) => ({ ...indicatorFields(i), series: i.series.map(seriesDetail) }));
}

export type IndicatorDetail = Awaited<ReturnType<typeof listIndicators>>[number];

/** One indicator by slug with its live series (and a list of the archived ones), or null. */
export async function getIndicator(slug: string, db: PrismaClient = getDb(), asOf?: Date | null) {
  const i = await db.indicator.findUnique({
    where: { slug },
    include: { series: seriesAsOf(asOf) },
  });
  if (!i) return null;
  const archived = await db.series.findMany({
    where: { indicatorId: i.id, archivedAt: { not: null } },
    orderBy: seriesOrder,
    select: { id: true, label: true, archivedAt: true, entity: { select: { code: true } } },
  });
  return {
    ...indicatorFields(i),
    series: i.series.map(seriesDetail),
    archived: archived.map((a) => ({
      id: a.id,
      label: a.label,
      entityCode: a.entity.code,
      archivedAt: a.archivedAt?.toISOString() ?? '',
    })),
  };
}

/**
 * The shape the chart draws, derived from the same rows the table shows, with
 * values converted to the indicator's unit where a series was recorded in another.
 */
export function toChartSeries(
  series: SeriesDetail[],
  indicator: Pick<IndicatorFields, 'unitLong' | 'unitShort' | 'decimals'>,
  /** Show values in this unit instead of the indicator's (see displayUnit). */
  unit?: { name: string; short: string } | null,
): ChartSeries[] {
  const target = unit
    ? { long: unit.name, short: unit.short }
    : { long: indicator.unitLong, short: indicator.unitShort };
  return series.map((s) => {
    const from = s.unit ?? (unit ? indicator.unitLong : null);
    const conversion = from ? conversionTo(from, target) : null;
    const factor = conversion?.ok ? conversion.factor : 1;
    // A converted value is an estimate: one decimal more than the indicator shows is
    // honest; the recorded value travels with it.
    const places = Math.max(indicator.decimals, 0) + 1;
    // A value too large for the shown unit (only rows stored before the write path
    // checked) leaves its cell empty rather than failing the page or the download.
    const convert = (v: number): number | null => {
      if (factor === 1) return v;
      const converted = convertFinite(v, factor);
      return converted === null ? null : Number(converted.toFixed(places));
    };
    return {
      id: s.id,
      label: s.label,
      kind: s.kind,
      entityCode: s.entity.code,
      entityName: s.entity.name,
      color: s.color,
      points: s.observations.flatMap((o) => {
        const value = convert(o.value);
        if (value === null) return [];
        return [
          {
            period: o.period,
            precision: o.precision,
            x: periodToYear(o.period),
            value,
            low: o.low === null ? null : convert(o.low),
            high: o.high === null ? null : convert(o.high),
            ...(factor !== 1 && from ? { original: { value: o.value, unit: from } } : {}),
          },
        ];
      }),
    };
  });
}

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
