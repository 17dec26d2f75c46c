// The read path's store. Each method fetches what one view shows and nothing more:
// series without their observations, and observations only for the series and the
// time range in view, streamed in index order and downsampled on the way
// (lib/domain/downsample.ts). The view (lib/indicator-view.ts) sees only the ReadStore
// interface; this file implements it on a read-only better-sqlite3 connection, since
// Prisma materialises every row it returns, which costs 5–20× more than SQLite's own
// work for the few thousand rows a view reads. Another database implements the same
// interface. Lists of ids are bound in chunks of at most MAX_IN_LIST (SQLite refuses
// more than 999 parameters).
import type Database from 'better-sqlite3';
import { getPgPool, getReader, openReadConnection } from './db';
import { databaseProvider, readEnv } from './env';
import { postgresReadStore } from './store/postgres-read';
import { downsample } from './domain/downsample';
import { sqliteTimestamp } from './writer';

/** The most ids one statement binds; callers split or refuse larger sets. */
export const MAX_IN_LIST = 500;

export type ReadDb = Database.Database;
export type YearRange = { from: number | null; to: number | null };
type Args = (string | number)[];

/** Current observations, or those live at `asOf` (recorded by then, not yet superseded). */
function liveObservation(asOf: Date | null, args: Args): string {
  if (!asOf) return 'o."supersededAt" IS NULL';
  const t = sqliteTimestamp(asOf);
  args.push(t, t);
  return 'o."recordedAt" <= ? AND (o."supersededAt" IS NULL OR o."supersededAt" > ?)';
}

function liveSeries(asOf: Date | null, args: Args): string {
  if (!asOf) return 's."archivedAt" IS NULL';
  const t = sqliteTimestamp(asOf);
  args.push(t, t);
  return 's."recordedAt" <= ? AND (s."archivedAt" IS NULL OR s."archivedAt" > ?)';
}

/** Periods are ISO prefixes, so a year range is a string range: 2010 ≤ p < 2021. */
function inRange(range: YearRange, args: Args): string {
  let sql = '';
  if (range.from !== null) {
    sql += ' AND o.period >= ?';
    args.push(String(range.from));
  }
  if (range.to !== null) {
    sql += ' AND o.period < ?';
    args.push(String(range.to + 1));
  }
  return sql;
}

function idList(ids: number[], args: Args): string {
  if (ids.length === 0 || ids.length > MAX_IN_LIST) {
    throw new RangeError(`between 1 and ${MAX_IN_LIST} series ids, not ${ids.length}`);
  }
  args.push(...ids);
  return ids.map(() => '?').join(',');
}

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

const INDICATOR_COLUMNS =
  'i.id, i.slug, i.title, i.description, i."unitLong", i."unitShort", i.decimals, i."createdAt"';

export function findIndicatorRow(db: ReadDb, slug: string): IndicatorRow | null {
  return (
    (db.prepare(`SELECT ${INDICATOR_COLUMNS} FROM "Indicator" i WHERE i.slug = ?`).get(slug) as
      IndicatorRow | undefined) ?? null
  );
}

/** Indicators in display order, optionally only those that existed at `asOf`. */
export function listIndicatorRows(db: ReadDb, asOf: Date | null): IndicatorRow[] {
  const args: Args = [];
  let where = '';
  if (asOf) {
    where = ' WHERE i."createdAt" <= ?';
    args.push(sqliteTimestamp(asOf));
  }
  return db
    .prepare(`SELECT ${INDICATOR_COLUMNS} FROM "Indicator" i${where} ORDER BY i.id`)
    .all(...args) as IndicatorRow[];
}

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

/** The live series of an indicator in display order (claims first, as recorded), without observations. */
export function listSeriesRows(db: ReadDb, indicatorId: number, asOf: Date | null): SeriesRow[] {
  const args: Args = [indicatorId];
  const live = liveSeries(asOf, args);
  return db
    .prepare(
      `SELECT s.id, s.label, s.kind, s.unit, s."sourceId", s."recordedAt",
              e.code AS "entityCode", e.name AS "entityName"
       FROM "Series" s JOIN "Entity" e ON e.id = s."entityId"
       WHERE s."indicatorId" = ? AND ${live}
       ORDER BY s."recordedAt", s.id`,
    )
    .all(...args) as SeriesRow[];
}

export type ArchivedRow = { id: number; label: string; archivedAt: string; entityCode: string };

export function listArchivedSeries(db: ReadDb, indicatorId: number): ArchivedRow[] {
  return db
    .prepare(
      `SELECT s.id, s.label, s."archivedAt", e.code AS "entityCode"
       FROM "Series" s JOIN "Entity" e ON e.id = s."entityId"
       WHERE s."indicatorId" = ? AND s."archivedAt" IS NOT NULL
       ORDER BY s."recordedAt", s.id`,
    )
    .all(indicatorId) as ArchivedRow[];
}

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

/** Sources by id, in as many statements as the id list needs. */
export function sourcesByIds(db: ReadDb, ids: number[]): Map<number, SourceRow> {
  const unique = [...new Set(ids)];
  const out = new Map<number, SourceRow>();
  for (let i = 0; i < unique.length; i += MAX_IN_LIST) {
    const args: Args = [];
    const list = idList(unique.slice(i, i + MAX_IN_LIST), args);
    for (const s of db
      .prepare(
        `SELECT id, title, publisher, volume, issue, "publishedOn", "publishedPrecision",
                "publishedNote", url, citation, license, "accessedOn", "usageNote"
         FROM "Source" WHERE id IN (${list})`,
      )
      .all(...args) as SourceRow[])
      out.set(s.id, s);
  }
  return out;
}

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

function sourceDetail(db: ReadDb, id: number, listed: number): SourceDetailRows | null {
  const source = sourcesByIds(db, [id]).get(id);
  if (!source) return null;
  const sql = sourceDetailSql(() => '?');
  return {
    source,
    quotes: db.prepare(sql.quotes).all(id) as SourceQuoteRow[],
    quoteIndicators: db.prepare(sql.quoteIndicators).all(id) as SourceDetailRows['quoteIndicators'],
    groups: db.prepare(sql.groups).all(id) as SourceDetailRows['groups'],
    listed: db.prepare(sql.listed).all(id, listed) as SourceDetailRows['listed'],
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

/**
 * Count and first/last period of each series' live observations in the range, read
 * from the (series, supersededAt, period) index alone.
 */
export function seriesStats(
  db: ReadDb,
  ids: number[],
  range: YearRange,
  asOf: Date | null,
): Map<number, SeriesStats> {
  if (ids.length === 0) return new Map();
  const args: Args = [];
  const list = idList(ids, args);
  const live = liveObservation(asOf, args);
  const rows = db
    .prepare(
      `SELECT o."seriesId" AS "seriesId", COUNT(*) AS count, MIN(o.period) AS first,
              MAX(o.period) AS last, MAX(LENGTH(o.period)) > 4 AS dated
       FROM "Observation" o
       WHERE o."seriesId" IN (${list}) AND ${live}${inRange(range, args)}
       GROUP BY o."seriesId"`,
    )
    .all(...args) as (Omit<SeriesStats, 'dated'> & { dated: number })[];
  return new Map(rows.map((r) => [r.seriesId, { ...r, dated: r.dated === 1 }]));
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
 * The points of each series in the range, at most about 2 × `buckets` per series,
 * with the counts they were cut by. Counts and points are read in one transaction,
 * so a write between them cannot unbalance the buckets.
 */
export function seriesPoints(
  db: ReadDb,
  ids: number[],
  range: YearRange,
  asOf: Date | null,
  buckets: number,
): { points: PointRow[]; stats: Map<number, SeriesStats> } {
  if (ids.length === 0) return { points: [], stats: new Map() };
  return db.transaction(() => {
    const stats = seriesStats(db, ids, range, asOf);
    const args: Args = [];
    const list = idList(ids, args);
    const live = liveObservation(asOf, args);
    const rows = db
      .prepare(
        `SELECT o."seriesId" AS "seriesId", o.period, o."precision", o.value, o.low, o.high
         FROM "Observation" o
         WHERE o."seriesId" IN (${list}) AND ${live}${inRange(range, args)}
         ORDER BY o."seriesId", o.period`,
      )
      .iterate(...args) as IterableIterator<PointRow>;
    const counts = new Map([...stats].map(([id, s]) => [id, s.count]));
    return { points: [...downsample(rows, counts, buckets)], stats };
  })();
}

export type TableRow = PointRow & { note: string | null };

/** One page of the table: the series' live observations in the range, by series then period. */
export function tableRows(
  db: ReadDb,
  ids: number[],
  range: YearRange,
  asOf: Date | null,
  page: { offset: number; limit: number },
): TableRow[] {
  if (ids.length === 0) return [];
  const args: Args = [];
  const list = idList(ids, args);
  const live = liveObservation(asOf, args);
  const where = `o."seriesId" IN (${list}) AND ${live}${inRange(range, args)}`;
  args.push(page.limit, page.offset);
  return db
    .prepare(
      `SELECT o."seriesId" AS "seriesId", o.period, o."precision", o.value, o.low, o.high, o.note
       FROM "Observation" o WHERE ${where}
       ORDER BY o."seriesId", o.period LIMIT ? OFFSET ?`,
    )
    .all(...args) as TableRow[];
}

export type QuoteRow = SourceQuoteRow & { seriesId: number };

/** The quotes the series' live observations were read from. */
export function seriesQuotes(db: ReadDb, ids: number[], asOf: Date | null): QuoteRow[] {
  if (ids.length === 0) return [];
  const args: Args = [];
  const list = idList(ids, args);
  const live = liveObservation(asOf, args);
  return db
    .prepare(
      `SELECT DISTINCT o."seriesId" AS "seriesId", q.id, q."sourceId", q.text, q."startOffset",
              q."endOffset", q."citedOutlet", q.speaker, q.attribution
       FROM "Observation" o JOIN "Quote" q ON q.id = o."quoteId"
       WHERE o."seriesId" IN (${list}) AND ${live}
       ORDER BY q."startOffset"`,
    )
    .all(...args) as QuoteRow[];
}

export type ObservationPageRow = TableRow & {
  id: number;
  quoteId: number | null;
  revision: number;
  recordedAt: string;
};

/**
 * A page of one series' live observations after `after` (a period), in period
 * order: keyset paging on the (series, period) index, so page 1,000 costs what page 1
 * does.
 */
export function observationPage(
  db: ReadDb,
  seriesId: number,
  options: { range: YearRange; asOf: Date | null; after: string | null; limit: number },
): ObservationPageRow[] {
  const args: Args = [seriesId];
  const live = liveObservation(options.asOf, args);
  let where = `o."seriesId" = ? AND ${live}${inRange(options.range, args)}`;
  if (options.after !== null) {
    where += ' AND o.period > ?';
    args.push(options.after);
  }
  args.push(options.limit);
  return db
    .prepare(
      `SELECT o.id, o."seriesId" AS "seriesId", o.period, o."precision", o.value, o.low, o.high,
              o.note, o."quoteId", o.revision, o."recordedAt"
       FROM "Observation" o WHERE ${where} ORDER BY o.period LIMIT ?`,
    )
    .all(...args) as ObservationPageRow[];
}

/** How many live series each indicator has, in one grouped statement. */
export function seriesCounts(db: ReadDb, asOf: Date | null): Map<number, number> {
  const args: Args = [];
  const live = liveSeries(asOf, args);
  const rows = db
    .prepare(
      `SELECT s."indicatorId" AS id, COUNT(*) AS n FROM "Series" s WHERE ${live} GROUP BY s."indicatorId"`,
    )
    .all(...args) as { id: number; n: number }[];
  return new Map(rows.map((r) => [r.id, r.n]));
}

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
  observationPage(
    seriesId: number,
    options: { range: YearRange; asOf: Date | null; after: string | null; limit: number },
  ): Promise<ObservationPageRow[]>;
  seriesCounts(asOf: Date | null): Promise<Map<number, number>>;
  /** A source with its quotes and up to `listed` series per indicator; null if none. */
  sourceDetail(id: number, listed: number): Promise<SourceDetailRows | null>;
  /**
   * The chart download's rows, in entity (name, code) then period order, streamed in
   * batches of up to CHART_ROW_BATCH, from one snapshot of the database.
   */
  chartRows(ids: number[], range: YearRange, asOf: Date | null): AsyncIterable<ChartRow[]>;
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

function* chartRowBatches(
  db: ReadDb,
  ids: number[],
  range: YearRange,
  asOf: Date | null,
): Generator<ChartRow[]> {
  if (ids.length === 0) return;
  const orderArgs: Args = [];
  const order = db
    .prepare(CHART_ENTITY_ORDER_SQL(idList(ids, orderArgs)))
    .raw(true)
    .all(...orderArgs) as [number, string, string][];
  let batch: ChartRow[] = [];
  for (const group of entityGroups(order)) {
    const args: Args = [];
    const list = idList(group, args);
    const live = liveObservation(asOf, args);
    const rows = db
      .prepare(
        `SELECT o."seriesId", o.period, o.value FROM "Observation" o
         WHERE o."seriesId" IN (${list}) AND ${live}${inRange(range, args)}
         ORDER BY o.period, o."seriesId"`,
      )
      .raw(true)
      .iterate(...args) as IterableIterator<ChartRow>;
    for (const row of rows) {
      batch.push(row);
      if (batch.length === CHART_ROW_BATCH) {
        yield batch;
        batch = [];
      }
    }
  }
  if (batch.length) yield batch;
}

/**
 * The SQLite store. The chart download reads on a connection of its own, so its
 * snapshot stays consistent however long the client takes, and closes it when done.
 */
export function sqliteReadStore(db: ReadDb, openStream?: () => ReadDb): ReadStore {
  return {
    dataVersion: async () => db.pragma('data_version', { simple: true }) as number,
    findIndicator: async (slug) => findIndicatorRow(db, slug),
    listIndicators: async (asOf) => listIndicatorRows(db, asOf),
    listSeries: async (id, asOf) => listSeriesRows(db, id, asOf),
    listArchived: async (id) => listArchivedSeries(db, id),
    sources: async (ids) => sourcesByIds(db, ids),
    stats: async (ids, range, asOf) => seriesStats(db, ids, range, asOf),
    points: async (ids, range, asOf, buckets) => seriesPoints(db, ids, range, asOf, buckets),
    table: async (ids, range, asOf, page) => tableRows(db, ids, range, asOf, page),
    quotes: async (ids, asOf) => seriesQuotes(db, ids, asOf),
    observationPage: async (id, options) => observationPage(db, id, options),
    seriesCounts: async (asOf) => seriesCounts(db, asOf),
    sourceDetail: async (id, listed) => sourceDetail(db, id, listed),
    async *chartRows(ids, range, asOf) {
      const own = openStream?.();
      if (!own) {
        yield* chartRowBatches(db, ids, range, asOf);
        return;
      }
      // One read transaction: every entity's statement sees the same snapshot.
      own.exec('BEGIN');
      try {
        yield* chartRowBatches(own, ids, range, asOf);
      } finally {
        own.exec('COMMIT');
        own.close();
      }
    },
  };
}

const state = globalThis as unknown as { sourcedReadStore?: ReadStore };

/** The process-wide read store: SQLite's, or PostgreSQL's (lib/store/postgres-read.ts). */
export function getReadStore(): ReadStore {
  state.sourcedReadStore ??=
    databaseProvider(readEnv().DATABASE_URL) === 'postgresql'
      ? postgresReadStore(getPgPool())
      : sqliteReadStore(getReader(), () => openReadConnection(readEnv().DATABASE_URL));
  return state.sourcedReadStore;
}
