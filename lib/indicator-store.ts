// The read path's SQL. Each function fetches what one view shows and nothing more:
// series without their observations, and observations only for the series and the
// time range in view, downsampled by the database. The client is passed in. Queries
// use double-quoted identifiers and window functions, which SQLite and PostgreSQL
// share, and never bind more than MAX_IN_LIST values (SQLite refuses more than 999).
import type { PrismaClient } from './db';
import { Prisma } from './generated/prisma/client';

/** The most ids one query binds; callers split or refuse larger sets. */
export const MAX_IN_LIST = 500;

export type YearRange = { from: number | null; to: number | null };

/** Current observations, or those live at `asOf` (recorded by then, not yet superseded). */
function liveObservation(asOf: Date | null): Prisma.Sql {
  return asOf
    ? Prisma.sql`o."recordedAt" <= ${asOf} AND (o."supersededAt" IS NULL OR o."supersededAt" > ${asOf})`
    : Prisma.sql`o."supersededAt" IS NULL`;
}

/** Periods are ISO prefixes, so a year range is a string range: 2010 ≤ p < 2021. */
function inRange(range: YearRange): Prisma.Sql {
  const parts: Prisma.Sql[] = [];
  if (range.from !== null) parts.push(Prisma.sql`o.period >= ${String(range.from)}`);
  if (range.to !== null) parts.push(Prisma.sql`o.period < ${String(range.to + 1)}`);
  return parts.length ? Prisma.sql` AND ${Prisma.join(parts, ' AND ')}` : Prisma.empty;
}

function idList(ids: number[]): Prisma.Sql {
  if (ids.length === 0 || ids.length > MAX_IN_LIST) {
    throw new RangeError(`between 1 and ${MAX_IN_LIST} series ids, not ${ids.length}`);
  }
  return Prisma.join(ids);
}

/** Series in display order: claims first, as recorded, then added data. */
export const seriesOrder = [
  { recordedAt: 'asc' },
  { id: 'asc' },
] satisfies Prisma.SeriesOrderByWithRelationInput[];

export function seriesWhere(asOf: Date | null) {
  return asOf
    ? { recordedAt: { lte: asOf }, OR: [{ archivedAt: null }, { archivedAt: { gt: asOf } }] }
    : { archivedAt: null };
}

export async function findIndicatorRow(db: PrismaClient, slug: string) {
  return db.indicator.findUnique({ where: { slug } });
}

/** Indicators in display order, optionally only those that existed at `asOf`. */
export async function listIndicatorRows(db: PrismaClient, asOf: Date | null) {
  return db.indicator.findMany({
    where: asOf ? { createdAt: { lte: asOf } } : {},
    orderBy: { id: 'asc' },
  });
}

/** The live series of an indicator with their entity, but no observations. */
export async function listSeriesRows(db: PrismaClient, indicatorId: number, asOf: Date | null) {
  return db.series.findMany({
    where: { indicatorId, ...seriesWhere(asOf) },
    orderBy: seriesOrder,
    include: { entity: true },
  });
}

/** Sources by id, in as many queries as the id list needs. */
export async function sourcesByIds(db: PrismaClient, ids: number[]) {
  const unique = [...new Set(ids)];
  const out = [];
  for (let i = 0; i < unique.length; i += MAX_IN_LIST) {
    out.push(
      ...(await db.source.findMany({ where: { id: { in: unique.slice(i, i + MAX_IN_LIST) } } })),
    );
  }
  return new Map(out.map((s) => [s.id, s]));
}

export type SeriesRow = Awaited<ReturnType<typeof listSeriesRows>>[number];

export async function listArchivedSeries(db: PrismaClient, indicatorId: number) {
  return db.series.findMany({
    where: { indicatorId, archivedAt: { not: null } },
    orderBy: seriesOrder,
    select: { id: true, label: true, archivedAt: true, entity: { select: { code: true } } },
  });
}

export type SeriesStats = {
  seriesId: number;
  count: number;
  first: string;
  last: string;
  /** Whether any observation is dated finer than a year. */
  dated: boolean;
};

/** Count and first/last period of each series' live observations in the range. */
export async function seriesStats(
  db: PrismaClient,
  ids: number[],
  range: YearRange,
  asOf: Date | null,
): Promise<Map<number, SeriesStats>> {
  if (ids.length === 0) return new Map();
  const rows = await db.$queryRaw<
    { seriesId: number; n: bigint | number; first: string; last: string; dated: bigint | number }[]
  >`SELECT o."seriesId" AS "seriesId", COUNT(*) AS n, MIN(o.period) AS first, MAX(o.period) AS last,
      MAX(CASE WHEN o."precision" <> 'year' THEN 1 ELSE 0 END) AS dated
    FROM "Observation" o
    WHERE o."seriesId" IN (${idList(ids)}) AND ${liveObservation(asOf)}${inRange(range)}
    GROUP BY o."seriesId"`;
  return new Map(
    rows.map((r) => [
      Number(r.seriesId),
      {
        seriesId: Number(r.seriesId),
        count: Number(r.n),
        first: r.first,
        last: r.last,
        dated: Number(r.dated) > 0,
      },
    ]),
  );
}

export type PointRow = {
  seriesId: number;
  period: string;
  precision: string;
  value: number;
  low: number | null;
  high: number | null;
};

/**
 * The points of each series in the range, at most about 2 × `buckets` per series:
 * a series with more observations is cut into `buckets` runs of consecutive
 * observations, and each run keeps its lowest and highest value (and the series its
 * first and last point), so peaks and troughs survive. Computed by the database, so
 * memory holds only what is returned.
 */
export async function seriesPoints(
  db: PrismaClient,
  ids: number[],
  range: YearRange,
  asOf: Date | null,
  buckets: number,
): Promise<PointRow[]> {
  if (ids.length === 0) return [];
  const b = Math.max(1, Math.floor(buckets));
  const rows = await db.$queryRaw<
    (Omit<PointRow, 'seriesId'> & { seriesId: number | bigint })[]
  >`WITH o AS (
      SELECT o."seriesId" AS sid, o.period, o."precision" AS "precision", o.value, o.low, o.high,
             ROW_NUMBER() OVER (PARTITION BY o."seriesId" ORDER BY o.period) - 1 AS rn,
             COUNT(*) OVER (PARTITION BY o."seriesId") AS n
      FROM "Observation" o
      WHERE o."seriesId" IN (${idList(ids)}) AND ${liveObservation(asOf)}${inRange(range)}
    ), bucketed AS (
      SELECT o.*, CASE WHEN n <= CAST(${b} AS INTEGER) THEN rn ELSE (rn * CAST(${b} AS INTEGER)) / n END AS bucket FROM o
    ), ranked AS (
      SELECT bucketed.*,
             ROW_NUMBER() OVER (PARTITION BY sid, bucket ORDER BY value, period) AS lo,
             ROW_NUMBER() OVER (PARTITION BY sid, bucket ORDER BY value DESC, period) AS hi
      FROM bucketed
    )
    SELECT sid AS "seriesId", period, "precision", value, low, high FROM ranked
    WHERE lo = 1 OR hi = 1 OR rn = 0 OR rn = n - 1
    ORDER BY sid, period`;
  return rows.map((r) => ({ ...r, seriesId: Number(r.seriesId) }));
}

export type TableRow = PointRow & { note: string | null };

/** One page of the table: the series' live observations in the range, by series then period. */
export async function tableRows(
  db: PrismaClient,
  ids: number[],
  range: YearRange,
  asOf: Date | null,
  page: { offset: number; limit: number },
): Promise<TableRow[]> {
  if (ids.length === 0) return [];
  const rows = await db.$queryRaw<(Omit<TableRow, 'seriesId'> & { seriesId: number | bigint })[]>`
    SELECT o."seriesId" AS "seriesId", o.period, o."precision", o.value, o.low, o.high, o.note
    FROM "Observation" o
    WHERE o."seriesId" IN (${idList(ids)}) AND ${liveObservation(asOf)}${inRange(range)}
    ORDER BY o."seriesId", o.period
    LIMIT ${page.limit} OFFSET ${page.offset}`;
  return rows.map((r) => ({ ...r, seriesId: Number(r.seriesId) }));
}

export type QuoteRow = {
  seriesId: number;
  id: number;
  sourceId: number;
  text: string;
  startOffset: number;
  endOffset: number;
  citedOutlet: string | null;
  speaker: string | null;
  attribution: string | null;
};

/** The quotes the series' live observations were read from. */
export async function seriesQuotes(
  db: PrismaClient,
  ids: number[],
  asOf: Date | null,
): Promise<QuoteRow[]> {
  if (ids.length === 0) return [];
  const rows = await db.$queryRaw<QuoteRow[]>`
    SELECT DISTINCT o."seriesId" AS "seriesId", q.id, q."sourceId" AS "sourceId", q.text,
           q."startOffset" AS "startOffset", q."endOffset" AS "endOffset",
           q."citedOutlet" AS "citedOutlet", q.speaker, q.attribution
    FROM "Observation" o JOIN "Quote" q ON q.id = o."quoteId"
    WHERE o."seriesId" IN (${idList(ids)}) AND ${liveObservation(asOf)}
    ORDER BY q."startOffset"`;
  return rows.map((r) => ({
    ...r,
    seriesId: Number(r.seriesId),
    id: Number(r.id),
    sourceId: Number(r.sourceId),
    startOffset: Number(r.startOffset),
    endOffset: Number(r.endOffset),
  }));
}

export type ObservationPageRow = TableRow & {
  id: number;
  quoteId: number | null;
  revision: number;
  recordedAt: string;
};

/**
 * A page of one series' live observations after `cursor` (a period), in period
 * order: keyset paging on the (series, period) index, so page 1,000 costs what page 1
 * does.
 */
export async function observationPage(
  db: PrismaClient,
  seriesId: number,
  options: { range: YearRange; asOf: Date | null; after: string | null; limit: number },
): Promise<ObservationPageRow[]> {
  const after =
    options.after === null ? Prisma.empty : Prisma.sql` AND o.period > ${options.after}`;
  const rows = await db.$queryRaw<
    (Omit<ObservationPageRow, 'recordedAt'> & { recordedAt: string | Date })[]
  >`SELECT o.id, o."seriesId" AS "seriesId", o.period, o."precision", o.value, o.low, o.high, o.note,
           o."quoteId" AS "quoteId", o.revision, o."recordedAt" AS "recordedAt"
    FROM "Observation" o
    WHERE o."seriesId" = ${seriesId} AND ${liveObservation(options.asOf)}${inRange(options.range)}${after}
    ORDER BY o.period
    LIMIT ${options.limit}`;
  return rows.map((r) => ({
    ...r,
    id: Number(r.id),
    seriesId: Number(r.seriesId),
    quoteId: r.quoteId === null ? null : Number(r.quoteId),
    revision: Number(r.revision),
    recordedAt: new Date(r.recordedAt).toISOString(),
  }));
}

/** How many live series each indicator has, in one grouped query. */
export async function seriesCounts(db: PrismaClient, asOf: Date | null) {
  const rows = await db.series.groupBy({
    by: ['indicatorId'],
    where: seriesWhere(asOf),
    _count: { _all: true },
  });
  return new Map(rows.map((r) => [r.indicatorId, r._count._all]));
}
