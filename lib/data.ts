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

const currentObservations = {
  where: { supersededAt: null },
  orderBy: { period: 'asc' },
  include: { quote: true },
} satisfies Prisma.Series$observationsArgs;

const seriesWithProvenance = {
  entity: true,
  source: true,
  observations: currentObservations,
} satisfies Prisma.SeriesInclude;

type SeriesRow = Prisma.SeriesGetPayload<{ include: typeof seriesWithProvenance }>;
type SourceRow = SeriesRow['source'];
type QuoteRow = NonNullable<SeriesRow['observations'][number]['quote']>;

function sourceSummary(s: SourceRow) {
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

function quoteSummary(q: QuoteRow) {
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

function seriesDetail(s: SeriesRow, index: number) {
  const quotes = new Map<number, ReturnType<typeof quoteSummary>>();
  for (const o of s.observations) if (o.quote) quotes.set(o.quote.id, quoteSummary(o.quote));
  return {
    id: s.id,
    label: s.label,
    kind: asSeriesKind(s.kind),
    color: seriesColor(index),
    entity: { code: s.entity.code, name: s.entity.name },
    recordedAt: s.recordedAt.toISOString(),
    source: sourceSummary(s.source),
    quotes: [...quotes.values()],
    observations: s.observations.map((o) => ({
      id: o.id,
      period: o.period,
      precision: asPrecision(o.precision),
      value: o.value,
      low: o.low,
      high: o.high,
      note: o.note,
      revision: o.revision,
      recordedAt: o.recordedAt.toISOString(),
      quoteId: o.quoteId,
    })),
  };
}

export type SeriesDetail = ReturnType<typeof seriesDetail>;
export type SourceSummary = SeriesDetail['source'];
export type QuoteSummary = SeriesDetail['quotes'][number];

function indicatorFields(i: Prisma.IndicatorGetPayload<object>) {
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
const seriesOrder = [
  { recordedAt: 'asc' },
  { id: 'asc' },
] satisfies Prisma.SeriesOrderByWithRelationInput[];

/** Every indicator with its live series, observations and provenance. */
export async function listIndicators(db: PrismaClient = getDb()) {
  const rows = await db.indicator.findMany({
    orderBy: { id: 'asc' },
    include: {
      series: { where: { archivedAt: null }, orderBy: seriesOrder, include: seriesWithProvenance },
    },
  });
  return rows.map((i) => ({ ...indicatorFields(i), series: i.series.map(seriesDetail) }));
}

export type IndicatorDetail = Awaited<ReturnType<typeof listIndicators>>[number];

/** One indicator by slug with its live series, or null. */
export async function getIndicator(
  slug: string,
  db: PrismaClient = getDb(),
): Promise<IndicatorDetail | null> {
  const i = await db.indicator.findUnique({
    where: { slug },
    include: {
      series: { where: { archivedAt: null }, orderBy: seriesOrder, include: seriesWithProvenance },
    },
  });
  return i ? { ...indicatorFields(i), series: i.series.map(seriesDetail) } : null;
}

/** The shape the chart draws, derived from the same rows the table shows. */
export function toChartSeries(series: SeriesDetail[]): ChartSeries[] {
  return series.map((s) => ({
    id: s.id,
    label: s.label,
    kind: s.kind,
    entityCode: s.entity.code,
    entityName: s.entity.name,
    color: s.color,
    points: s.observations.map((o) => ({
      period: o.period,
      precision: o.precision,
      x: periodToYear(o.period),
      value: o.value,
      low: o.low,
      high: o.high,
    })),
  }));
}

/** A source with every quote it contributes, in reading order, and the charts each one feeds. */
export async function getSource(id: number, db: PrismaClient = getDb()) {
  const s = await db.source.findUnique({
    where: { id },
    include: {
      quotes: {
        orderBy: { startOffset: 'asc' },
        include: {
          observations: {
            where: { supersededAt: null },
            select: { series: { select: { indicator: { select: { slug: true, title: true } } } } },
          },
        },
      },
      series: {
        where: { archivedAt: null },
        orderBy: seriesOrder,
        select: {
          id: true,
          label: true,
          kind: true,
          indicator: { select: { slug: true, title: true } },
        },
      },
    },
  });
  if (!s) return null;
  return {
    ...sourceSummary(s),
    usageNote: s.usageNote,
    quotes: s.quotes.map((q) => {
      const indicators = new Map<string, { slug: string; title: string }>();
      for (const o of q.observations) indicators.set(o.series.indicator.slug, o.series.indicator);
      return { ...quoteSummary(q), indicators: [...indicators.values()] };
    }),
    series: s.series.map((x) => ({
      id: x.id,
      label: x.label,
      kind: asSeriesKind(x.kind),
      indicator: x.indicator,
    })),
  };
}

export type SourceDetail = NonNullable<Awaited<ReturnType<typeof getSource>>>;
