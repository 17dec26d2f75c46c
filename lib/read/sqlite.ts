// The read path's store. Each method fetches what one view shows and nothing more:
// series without their observations, and observations only for the series and the
// time range in view; a chart's series cross as packed lists and are downsampled
// (lib/domain/downsample.ts) before any row becomes an object. The view
// (lib/views/indicator.ts) sees only the ReadStore interface (./types.ts); this file
// implements it on a read-only better-sqlite3 connection, since
// Prisma materialises every row it returns, which costs 5–20× more than SQLite's own
// work for the few thousand rows a view reads. Another database implements the same
// interface. Lists of ids are bound in chunks of at most MAX_IN_LIST (SQLite refuses
// more than 999 parameters).
import type Database from 'better-sqlite3';
import {
  MAX_IN_LIST,
  sourceDetailSql,
  CHART_ROW_BATCH,
  CHART_ENTITY_ORDER_SQL,
  entityGroups,
  type YearRange,
  type IndicatorRow,
  type SeriesRow,
  type ArchivedRow,
  type SourceRow,
  type SourceQuoteRow,
  type SourceDetailRows,
  type SeriesStats,
  type PointRow,
  type TableRow,
  type QuoteRow,
  type ObservationPageRow,
  type ChartRow,
  type ReadStore,
} from './types';
import { KeptPoints } from './packed';
import { sqliteTimestamp } from '../db/timestamp';

export type ReadDb = Database.Database;
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

type Mode = 'rows' | 'raw' | 'pluck';
/** Statements kept per connection: better-sqlite3 compiles at every `prepare`. */
const STATEMENTS = new WeakMap<ReadDb, Map<string, Database.Statement>>();
/** Lists of ids make a statement per list length; the least recently used go first. */
const MAX_STATEMENTS = 256;

/**
 * `sql` prepared once per connection and kept, in one result mode. Only for statements
 * run to the end before the caller awaits anything: a kept statement that is still
 * being iterated cannot run again (chartRowBatches prepares its own).
 */
function statement(db: ReadDb, sql: string, mode: Mode = 'rows'): Database.Statement {
  let kept = STATEMENTS.get(db);
  if (!kept) STATEMENTS.set(db, (kept = new Map()));
  const key = `${mode}\u0000${sql}`;
  let st = kept.get(key);
  if (st) {
    kept.delete(key);
  } else {
    st = db.prepare(sql);
    if (mode === 'raw') st.raw(true);
    if (mode === 'pluck') st.pluck(true);
    if (kept.size >= MAX_STATEMENTS) kept.delete(kept.keys().next().value!);
  }
  kept.set(key, st);
  return st;
}

const INDICATOR_COLUMNS =
  'i.id, i.slug, i.title, i.description, i."unitLong", i."unitShort", i.decimals, i."createdAt"';

export function findIndicatorRow(db: ReadDb, slug: string): IndicatorRow | null {
  return (
    (statement(db, `SELECT ${INDICATOR_COLUMNS} FROM "Indicator" i WHERE i.slug = ?`).get(slug) as
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
  return statement(db, `SELECT ${INDICATOR_COLUMNS} FROM "Indicator" i${where} ORDER BY i.id`).all(
    ...args,
  ) as IndicatorRow[];
}

/** The live series of an indicator in display order (claims first, as recorded), without observations. */
export function listSeriesRows(db: ReadDb, indicatorId: number, asOf: Date | null): SeriesRow[] {
  const args: Args = [indicatorId];
  const live = liveSeries(asOf, args);
  return statement(
    db,
    `SELECT s.id, s.label, s.kind, s.unit, s."sourceId", s."recordedAt",
              e.code AS "entityCode", e.name AS "entityName"
       FROM "Series" s JOIN "Entity" e ON e.id = s."entityId"
       WHERE s."indicatorId" = ? AND ${live}
       ORDER BY s."recordedAt", s.id`,
  ).all(...args) as SeriesRow[];
}

export function listArchivedSeries(db: ReadDb, indicatorId: number): ArchivedRow[] {
  return statement(
    db,
    `SELECT s.id, s.label, s."archivedAt", e.code AS "entityCode"
       FROM "Series" s JOIN "Entity" e ON e.id = s."entityId"
       WHERE s."indicatorId" = ? AND s."archivedAt" IS NOT NULL
       ORDER BY s."recordedAt", s.id`,
  ).all(indicatorId) as ArchivedRow[];
}

/** Sources by id, in as many statements as the id list needs. */
export function sourcesByIds(db: ReadDb, ids: number[]): Map<number, SourceRow> {
  const unique = [...new Set(ids)];
  const out = new Map<number, SourceRow>();
  for (let i = 0; i < unique.length; i += MAX_IN_LIST) {
    const args: Args = [];
    const list = idList(unique.slice(i, i + MAX_IN_LIST), args);
    for (const s of statement(
      db,
      `SELECT id, title, publisher, volume, issue, "publishedOn", "publishedPrecision",
                "publishedNote", url, citation, license, "accessedOn", "usageNote"
         FROM "Source" WHERE id IN (${list})`,
    ).all(...args) as SourceRow[])
      out.set(s.id, s);
  }
  return out;
}

function sourceDetail(db: ReadDb, id: number, listed: number): SourceDetailRows | null {
  const source = sourcesByIds(db, [id]).get(id);
  if (!source) return null;
  const sql = sourceDetailSql(() => '?');
  return {
    source,
    quotes: statement(db, sql.quotes).all(id) as SourceQuoteRow[],
    quoteIndicators: statement(db, sql.quoteIndicators).all(
      id,
    ) as SourceDetailRows['quoteIndicators'],
    groups: statement(db, sql.groups).all(id) as SourceDetailRows['groups'],
    listed: statement(db, sql.listed).all(id, listed) as SourceDetailRows['listed'],
  };
}

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
  const rows = statement(
    db,
    `SELECT o."seriesId" AS "seriesId", COUNT(*) AS count, MIN(o.period) AS first,
              MAX(o.period) AS last, MAX(LENGTH(o.period)) > 4 AS dated
       FROM "Observation" o
       WHERE o."seriesId" IN (${list}) AND ${live}${inRange(range, args)}
       GROUP BY o."seriesId"`,
  ).all(...args) as (Omit<SeriesStats, 'dated'> & { dated: number })[];
  return new Map(rows.map((r) => [r.seriesId, { ...r, dated: r.dated === 1 }]));
}

const PACKED_COLUMNS = `o."seriesId", group_concat(o.id), group_concat(o.period, char(31)),
  CASE WHEN min(o."precision") = max(o."precision") THEN min(o."precision") END,
  group_concat(CASE WHEN o.low IS NOT NULL OR o.high IS NOT NULL THEN o.id END)`;

/**
 * The points of each series in the range (./packed.ts), at most about 2 × `buckets` per series,
 * with the counts they were cut by. A series' ids and periods cross from SQLite as joined
 * strings rather than as one JavaScript object per observation (better-sqlite3 hands each
 * column over at several times SQLite's cost of reading it, and that was most of a new
 * view's time); its values as a plain list of numbers, in period order, from a statement
 * of their own, since printing each double as text and parsing it back cost twice as much.
 * Only the columns the packed lists leave out (a precision that varies, lows and highs)
 * are read again, for the points kept. Every statement runs in one transaction, so a
 * write between them cannot change what was cut.
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
    const args: Args = [];
    const where = `o."seriesId" = ? AND ${liveObservation(asOf, args)}${inRange(range, args)}`;
    const packed = statement(
      db,
      `SELECT ${PACKED_COLUMNS} FROM "Observation" o WHERE ${where} GROUP BY o."seriesId"`,
      'raw',
    );
    const values = statement(
      db,
      `SELECT o.value FROM "Observation" o WHERE ${where} ORDER BY o.period`,
      'pluck',
    );
    const kept = new KeptPoints(buckets);
    // One series at a time: memory holds one series' lists, not every series in view.
    for (const id of [...new Set(ids)].sort((a, b) => a - b)) {
      const lists = packed.get(id, ...args) as PackedLists | undefined;
      if (!lists) continue;
      const [seriesId, idText, periods, precision, bounded] = lists;
      kept.add([
        seriesId,
        idText,
        periods,
        values.all(id, ...args) as number[],
        precision,
        bounded,
      ]);
    }
    fillReread(db, kept);
    return { points: kept.points, stats: kept.stats };
  })();
}

type PackedLists = [
  seriesId: number,
  ids: string,
  periods: string,
  precision: string | null,
  bounded: string | null,
];

/** The precision, low and high of the points whose packed lists did not carry them. */
function fillReread(db: ReadDb, kept: KeptPoints) {
  if (kept.reread.size === 0) return;
  kept.fill(
    statement(
      db,
      `SELECT o.id, o."precision", o.low, o.high
         FROM "Observation" o WHERE o.id IN (SELECT value FROM json_each(?))`,
      'raw',
    ).all(`[${[...kept.reread.keys()].join(',')}]`) as [
      number,
      string,
      number | null,
      number | null,
    ][],
  );
}

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
  return statement(
    db,
    `SELECT o."seriesId" AS "seriesId", o.period, o."precision", o.value, o.low, o.high, o.note
       FROM "Observation" o WHERE ${where}
       ORDER BY o."seriesId", o.period LIMIT ? OFFSET ?`,
  ).all(...args) as TableRow[];
}

/** The quotes the series' live observations were read from. */
export function seriesQuotes(db: ReadDb, ids: number[], asOf: Date | null): QuoteRow[] {
  if (ids.length === 0) return [];
  const args: Args = [];
  const list = idList(ids, args);
  const live = liveObservation(asOf, args);
  return statement(
    db,
    `SELECT DISTINCT o."seriesId" AS "seriesId", q.id, q."sourceId", q.text, q."startOffset",
              q."endOffset", q."citedOutlet", q.speaker, q.attribution
       FROM "Observation" o JOIN "Quote" q ON q.id = o."quoteId"
       WHERE o."seriesId" IN (${list}) AND ${live}
       ORDER BY q."startOffset"`,
  ).all(...args) as QuoteRow[];
}

/** Series with any observation that quotes a source (lib/read/types.ts), through the quote index. */
export function quotedSeries(db: ReadDb): number[] {
  return (
    statement(
      db,
      'SELECT DISTINCT "seriesId" FROM "Observation" WHERE "quoteId" IS NOT NULL',
      'pluck',
    ).all() as number[]
  ).sort((a, b) => a - b);
}

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
  return statement(
    db,
    `SELECT o.id, o."seriesId" AS "seriesId", o.period, o."precision", o.value, o.low, o.high,
              o.note, o."quoteId", o.revision, o."recordedAt"
       FROM "Observation" o WHERE ${where} ORDER BY o.period LIMIT ?`,
  ).all(...args) as ObservationPageRow[];
}

/** How many live series each indicator has, in one grouped statement. */
export function seriesCounts(db: ReadDb, asOf: Date | null): Map<number, number> {
  const args: Args = [];
  const live = liveSeries(asOf, args);
  const rows = statement(
    db,
    `SELECT s."indicatorId" AS id, COUNT(*) AS n FROM "Series" s WHERE ${live} GROUP BY s."indicatorId"`,
  ).all(...args) as { id: number; n: number }[];
  return new Map(rows.map((r) => [r.id, r.n]));
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
  // Asked with every cached read: prepared once (db.pragma compiles it at each call).
  const dataVersion = db.prepare('PRAGMA data_version').pluck();
  return {
    dataVersion: async () => dataVersion.get() as number,
    findIndicator: async (slug) => findIndicatorRow(db, slug),
    listIndicators: async (asOf) => listIndicatorRows(db, asOf),
    listSeries: async (id, asOf) => listSeriesRows(db, id, asOf),
    listArchived: async (id) => listArchivedSeries(db, id),
    sources: async (ids) => sourcesByIds(db, ids),
    stats: async (ids, range, asOf) => seriesStats(db, ids, range, asOf),
    points: async (ids, range, asOf, buckets) => seriesPoints(db, ids, range, asOf, buckets),
    table: async (ids, range, asOf, page) => tableRows(db, ids, range, asOf, page),
    quotes: async (ids, asOf) => seriesQuotes(db, ids, asOf),
    quotedSeries: async () => quotedSeries(db),
    observationPage: async (id, options) => observationPage(db, id, options),
    seriesCounts: async (asOf) => seriesCounts(db, asOf),
    sourceDetail: async (id, listed) => sourceDetail(db, id, listed),
    async *chartRows(ids, range, asOf, options) {
      if (options?.few) {
        // At once, in one transaction on the store's connection: one snapshot, without
        // opening a connection for a download of a few thousand rows.
        yield* db.transaction(() => [...chartRowBatches(db, ids, range, asOf)])();
        return;
      }
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
