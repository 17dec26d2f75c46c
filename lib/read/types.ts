// What the read path asks of a database, and the rows it answers with: shared by the
// SQLite (./sqlite.ts) and PostgreSQL (./postgres.ts) read stores.

/** The most ids one statement binds; callers split or refuse larger sets. */
export const MAX_IN_LIST = 500;
export type YearRange = { from: number | null; to: number | null };

export type IndicatorRow = {
  id: number;
  slug: string;
  title: string;
  description: string;
  unitLong: string;
  unitShort: string;
  decimals: number;
  createdAt: string;
};

export type SeriesRow = {
  id: number;
  label: string;
  kind: string;
  unit: string | null;
  sourceId: number;
  recordedAt: string;
  entityCode: string;
  entityName: string;
};

export type ArchivedRow = { id: number; label: string; archivedAt: string; entityCode: string };

export type SourceRow = {
  id: number;
  title: string;
  publisher: string;
  volume: string | null;
  issue: string | null;
  publishedOn: string | null;
  publishedPrecision: string | null;
  publishedNote: string | null;
  url: string | null;
  citation: string | null;
  license: string | null;
  accessedOn: string | null;
  usageNote: string | null;
};

/** A quote: a passage of a source's text, where it is, and whom it cites. */
export type SourceQuoteRow = {
  id: number;
  sourceId: number;
  text: string;
  startOffset: number;
  endOffset: number;
  citedOutlet: string | null;
  speaker: string | null;
  attribution: string | null;
};

/** What a source's page shows: the source, its quotes, and the series it feeds. */
export type SourceDetailRows = {
  source: SourceRow;
  /** In reading order. */
  quotes: SourceQuoteRow[];
  /** The indicators each quote's live observations belong to, in order of first use. */
  quoteIndicators: { quoteId: number; slug: string; title: string }[];
  /** Live series per indicator, by indicator id. */
  groups: { indicatorId: number; slug: string; title: string; count: number }[];
  /** The first few live series of each indicator, in display order. */
  listed: { id: number; indicatorId: number; label: string; kind: string; entityCode: string }[];
};

/**
 * The statements of a source's page, in either store's parameter style (`param(i)`
 * names the i-th): each reads through an index or the series table, never the
 * observations of series the page does not list.
 */
export function sourceDetailSql(param: (i: number) => string) {
  return {
    quotes: `SELECT id, "sourceId", text, "startOffset", "endOffset", "citedOutlet", speaker, attribution
      FROM "Quote" WHERE "sourceId" = ${param(1)} ORDER BY "startOffset", id`,
    quoteIndicators: `SELECT o."quoteId" AS "quoteId", i.slug, i.title, MIN(o.id) AS first
      FROM "Quote" q
      JOIN "Observation" o ON o."quoteId" = q.id AND o."supersededAt" IS NULL
      JOIN "Series" s ON s.id = o."seriesId"
      JOIN "Indicator" i ON i.id = s."indicatorId"
      WHERE q."sourceId" = ${param(1)}
      GROUP BY o."quoteId", i.id, i.slug, i.title
      ORDER BY o."quoteId", first`,
    groups: `SELECT s."indicatorId" AS "indicatorId", i.slug, i.title, COUNT(*) AS count
      FROM "Series" s JOIN "Indicator" i ON i.id = s."indicatorId"
      WHERE s."sourceId" = ${param(1)} AND s."archivedAt" IS NULL
      GROUP BY s."indicatorId", i.slug, i.title
      ORDER BY s."indicatorId"`,
    listed: `SELECT id, "indicatorId", label, kind, "entityCode" FROM (
        SELECT s.id, s."indicatorId", s.label, s.kind, e.code AS "entityCode",
               ROW_NUMBER() OVER (PARTITION BY s."indicatorId" ORDER BY s."recordedAt", s.id) AS n
        FROM "Series" s JOIN "Entity" e ON e.id = s."entityId"
        WHERE s."sourceId" = ${param(1)} AND s."archivedAt" IS NULL
      ) t WHERE n <= ${param(2)} ORDER BY "indicatorId", n`,
  };
}

export type SeriesStats = {
  seriesId: number;
  count: number;
  first: string;
  last: string;
  /** Whether any observation is dated finer than a year. */
  dated: boolean;
};

export type PointRow = {
  seriesId: number;
  period: string;
  precision: string;
  value: number;
  low: number | null;
  high: number | null;
};

export type TableRow = PointRow & { note: string | null };

export type QuoteRow = SourceQuoteRow & { seriesId: number };

export type ObservationPageRow = TableRow & {
  id: number;
  quoteId: number | null;
  revision: number;
  recordedAt: string;
};

export type ChartRow = [seriesId: number, period: string, value: number];

/** What the read path asks of a database. */
export type ReadStore = {
  /**
   * A value that changes whenever any write commits, anywhere (another process or
   * server included); null where the store cannot tell, which turns caching off.
   */
  dataVersion(): Promise<number | string | null>;
  findIndicator(slug: string): Promise<IndicatorRow | null>;
  listIndicators(asOf: Date | null): Promise<IndicatorRow[]>;
  listSeries(indicatorId: number, asOf: Date | null): Promise<SeriesRow[]>;
  listArchived(indicatorId: number): Promise<ArchivedRow[]>;
  sources(ids: number[]): Promise<Map<number, SourceRow>>;
  stats(ids: number[], range: YearRange, asOf: Date | null): Promise<Map<number, SeriesStats>>;
  points(
    ids: number[],
    range: YearRange,
    asOf: Date | null,
    buckets: number,
  ): Promise<{ points: PointRow[]; stats: Map<number, SeriesStats> }>;
  table(
    ids: number[],
    range: YearRange,
    asOf: Date | null,
    page: { offset: number; limit: number },
  ): Promise<TableRow[]>;
  quotes(ids: number[], asOf: Date | null): Promise<QuoteRow[]>;
  /**
   * Every series with an observation that quotes a source, live or not: most series
   * quote nothing, and finding a series' quotes walks all its observations.
   */
  quotedSeries(): Promise<number[]>;
  observationPage(
    seriesId: number,
    options: { range: YearRange; asOf: Date | null; after: string | null; limit: number },
  ): Promise<ObservationPageRow[]>;
  seriesCounts(asOf: Date | null): Promise<Map<number, number>>;
  /** A source with its quotes and up to `listed` series per indicator; null if none. */
  sourceDetail(id: number, listed: number): Promise<SourceDetailRows | null>;
  /**
   * The chart download's rows, in entity (name, code) then period order, streamed in
   * batches of up to CHART_ROW_BATCH, from one snapshot of the database. `few`: the
   * caller knows the rows are few (a cached download), so a store may read them all at
   * once rather than hold a connection of their own while they stream.
   */
  chartRows(
    ids: number[],
    range: YearRange,
    asOf: Date | null,
    options?: { few?: boolean },
  ): AsyncIterable<ChartRow[]>;
};

/** Rows per batch of the chart download: enough to make the per-batch cost vanish. */
export const CHART_ROW_BATCH = 4096;

/**
 * The series of a download grouped by entity, in the entity order of the download. Each
 * group's rows are then read in period order along the (series, supersededAt, period)
 * index: no sort of the whole download, which a single ORDER BY over the join needs.
 */
export const CHART_ENTITY_ORDER_SQL = (list: string) => `SELECT s.id, e.name, e.code
  FROM "Series" s JOIN "Entity" e ON e.id = s."entityId"
  WHERE s.id IN (${list}) ORDER BY e.name, e.code, s.id`;

/** Consecutive ids of one entity, from rows of (id, name, code) in entity order. */
export function entityGroups(rows: [id: number, name: string, code: string][]): number[][] {
  const groups: number[][] = [];
  let last: string | null = null;
  for (const [id, name, code] of rows) {
    const key = `${name}\u0000${code}`;
    if (key !== last) groups.push([]);
    groups[groups.length - 1]!.push(id);
    last = key;
  }
  return groups;
}
