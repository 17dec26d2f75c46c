// The read path's store (lib/read/sqlite.ts ReadStore) on PostgreSQL: the same
// questions as the SQLite implementation, in the same order and with the same row
// shapes, on the process's pool. Timestamps are read as the SQLite store holds them
// (ISO 8601 text), counts as numbers. The data version the read cache is keyed on
// (lib/read/cache.ts) is the server's snapshot, read per request, so app servers
// sharing the database never serve each other stale data.
import type pg from 'pg';
import Cursor from 'pg-cursor';
import { KeptPoints, type PackedSeries } from './packed';
import {
  CHART_ENTITY_ORDER_SQL,
  CHART_ROW_BATCH,
  entityGroups,
  MAX_IN_LIST,
  type ArchivedRow,
  type ChartRow,
  type IndicatorRow,
  type ObservationPageRow,
  type QuoteRow,
  type ReadStore,
  type SeriesRow,
  type SeriesStats,
  sourceDetailSql,
  type SourceDetailRows,
  type SourceQuoteRow,
  type SourceRow,
  type TableRow,
  type YearRange,
} from './types';
import { sqliteTimestamp } from '../db/timestamp';
import { postgresFailure } from '../db/failures';

const iso = (column: string) => `to_char(${column}, 'YYYY-MM-DD"T"HH24:MI:SS.MS"+00:00"')`;

/** Builds a statement's parameters as `$n`, in the order the SQL names them. */
class Params {
  readonly values: unknown[] = [];
  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
  ids(ids: number[]): string {
    if (ids.length === 0 || ids.length > MAX_IN_LIST) {
      throw new RangeError(`between 1 and ${MAX_IN_LIST} series ids, not ${ids.length}`);
    }
    return `${this.add(ids)}::int[]`;
  }
  liveObservation(asOf: Date | null): string {
    if (!asOf) return 'o."supersededAt" IS NULL';
    const t = this.add(sqliteTimestamp(asOf));
    return `o."recordedAt" <= ${t}::timestamp AND (o."supersededAt" IS NULL OR o."supersededAt" > ${t}::timestamp)`;
  }
  liveSeries(asOf: Date | null): string {
    if (!asOf) return 's."archivedAt" IS NULL';
    const t = this.add(sqliteTimestamp(asOf));
    return `s."recordedAt" <= ${t}::timestamp AND (s."archivedAt" IS NULL OR s."archivedAt" > ${t}::timestamp)`;
  }
  inRange(range: YearRange): string {
    let sql = '';
    if (range.from !== null) sql += ` AND o.period >= ${this.add(String(range.from))}`;
    if (range.to !== null) sql += ` AND o.period < ${this.add(String(range.to + 1))}`;
    return sql;
  }
}

const INDICATOR_COLUMNS = `i.id, i.slug, i.title, i.description, i."unitLong", i."unitShort", i.decimals, ${iso('i."createdAt"')} AS "createdAt"`;

/**
 * The store with every failure translated as the write path's are: a server that
 * cannot be reached or is too busy becomes a DatabaseBusyError, which the request
 * answers with 503 (lib/db/unavailable.ts), never a driver's error and a 500.
 */
function translatingFailures(store: ReadStore): ReadStore {
  const guarded = {} as Record<string, unknown>;
  for (const [name, method] of Object.entries(store) as [string, (...a: unknown[]) => unknown][]) {
    guarded[name] =
      name === 'chartRows'
        ? async function* (...args: unknown[]) {
            try {
              yield* method.apply(store, args) as AsyncIterable<unknown>;
            } catch (error) {
              throw postgresFailure(error);
            }
          }
        : async (...args: unknown[]) => {
            try {
              return await method.apply(store, args);
            } catch (error) {
              throw postgresFailure(error);
            }
          };
  }
  return guarded as ReadStore;
}

type StatsRow = { seriesId: number; count: string; first: string; last: string; dated: boolean };

/** Per series in `where`: its count, first and last period, and whether any is finer than a year. */
function statsSql(where: string): string {
  return `SELECT o."seriesId" AS "seriesId", COUNT(*) AS count, MIN(o.period) AS first,
                 MAX(o.period) AS last, MAX(LENGTH(o.period)) > 4 AS dated
          FROM "Observation" o WHERE ${where}
          GROUP BY o."seriesId"`;
}

// COUNT(*) is a bigint, which pg hands over as text.
function statsBySeries(found: StatsRow[]): Map<number, SeriesStats> {
  return new Map(found.map((r) => [r.seriesId, { ...r, count: Number(r.count) }]));
}

export function postgresReadStore(pool: pg.Pool): ReadStore {
  return translatingFailures(readStoreOn(pool));
}

/**
 * Per series in view, its observations as packed lists (./packed.ts). Without ORDER BY
 * inside string_agg, which sorted each series again and doubled the statement's time: the
 * rows come in the (series, period) index's order, and unpacking sorts a series whose
 * periods are not in order.
 */
const PACKED_COLUMNS = `o."seriesId", string_agg(o.id::text, ','), string_agg(o.period, E'\\x1f'),
  string_agg(o.value::text, ','),
  CASE WHEN min(o."precision") = max(o."precision") THEN min(o."precision") END,
  string_agg(CASE WHEN o.low IS NOT NULL OR o.high IS NOT NULL THEN o.id::text END, ',')`;

/** The statement that packs the series in view, and its parameters. */
function packedStatement(ids: number[], range: YearRange, asOf: Date | null) {
  const p = new Params();
  const where = `o."seriesId" = ANY(${p.ids(ids)}) AND ${p.liveObservation(asOf)}${p.inRange(range)}`;
  return {
    text: `SELECT ${PACKED_COLUMNS} FROM "Observation" o WHERE ${where}
         GROUP BY o."seriesId" ORDER BY o."seriesId"`,
    values: p.values,
  };
}

/** Up to this many series' packed lists are held at once (a few MB at most). */
const ONE_STATEMENT_SERIES = 8;

/** ReadStore.points on a pool. */
type PointsOn = (
  pool: pg.Pool,
  ...args: Parameters<ReadStore['points']>
) => ReturnType<ReadStore['points']>;

/** Counts and downsampled points of the series in view, from one snapshot. */
const pointsOn: PointsOn = async (pool, ids, range, asOf, buckets) => {
  if (ids.length === 0) return { points: [], stats: new Map() };
  if (ids.length <= ONE_STATEMENT_SERIES) {
    // One statement is one snapshot: a view of a few series costs one round trip, where
    // the transaction below costs seven for three series. Only points whose precision,
    // low or high must be read again need the transaction's second statement.
    const kept = new KeptPoints(buckets);
    const found = await pool.query<PackedSeries>({
      ...packedStatement(ids, range, asOf),
      rowMode: 'array',
    });
    for (const series of found.rows) kept.add(series);
    if (kept.reread.size === 0) return { points: kept.points, stats: kept.stats };
  }
  return pointsInSnapshot(pool, ids, range, asOf, buckets);
};

/** pointsOn in a transaction, series by series, with the rows read again in it. */
const pointsInSnapshot: PointsOn = async (pool, ids, range, asOf, buckets) => {
  // The packed lists and the rows read again from one snapshot, so a write between them
  // cannot change what was cut.
  const client = await pool.connect();
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const packed = packedStatement(ids, range, asOf);
    const kept = new KeptPoints(buckets);
    // One series at a time: memory holds one series' lists, not every series in view.
    const cursor = client.query(
      new Cursor<PackedSeries>(packed.text, packed.values, { rowMode: 'array' }),
    );
    try {
      for (let rows = await cursor.read(1); rows.length > 0; rows = await cursor.read(1))
        kept.add(rows[0]!);
    } finally {
      await cursor.close();
    }
    if (kept.reread.size > 0) {
      const found = await client.query<[string, string, number | null, number | null]>({
        text: `SELECT o.id, o."precision", o.low, o.high FROM "Observation" o WHERE o.id = ANY($1::int[])`,
        values: [[...kept.reread.keys()]],
        rowMode: 'array',
      });
      kept.fill(found.rows);
    }
    await client.query('COMMIT');
    return { points: kept.points, stats: kept.stats };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    client.release();
  }
};

/** The chart CSV's rows, entity by entity, in batches, from one snapshot. */
async function* chartRowsOn(
  pool: pg.Pool,
  ids: number[],
  range: YearRange,
  asOf: Date | null,
): AsyncGenerator<ChartRow[]> {
  if (ids.length === 0) return;
  const client = await pool.connect();
  let failed = false;
  try {
    // One snapshot for every entity's statement, as the SQLite store reads.
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const order = new Params();
    const { rows: entities } = await client.query<[number, string, string]>({
      text: CHART_ENTITY_ORDER_SQL(`SELECT unnest(${order.ids(ids)})`),
      values: order.values,
      rowMode: 'array',
    });
    for (const group of entityGroups(entities)) {
      const p = new Params();
      const where = `o."seriesId" = ANY(${p.ids(group)}) AND ${p.liveObservation(asOf)}${p.inRange(range)}`;
      const cursor = client.query(
        new Cursor<ChartRow>(
          `SELECT o."seriesId", o.period, o.value FROM "Observation" o
           WHERE ${where} ORDER BY o.period, o."seriesId"`,
          p.values,
          { rowMode: 'array' },
        ),
      );
      try {
        for (;;) {
          const batch = await cursor.read(CHART_ROW_BATCH);
          if (batch.length === 0) break;
          yield batch;
        }
      } finally {
        await cursor.close();
      }
    }
  } catch (error) {
    failed = true;
    throw error;
  } finally {
    await client.query(failed ? 'ROLLBACK' : 'COMMIT').catch(() => {});
    client.release();
  }
}

function readStoreOn(pool: pg.Pool): ReadStore {
  const rows = async <R>(sql: string, p: Params = new Params()) =>
    (await pool.query(sql, p.values)).rows as R[];

  const stats = async (ids: number[], range: YearRange, asOf: Date | null) => {
    if (ids.length === 0) return new Map<number, SeriesStats>();
    const p = new Params();
    const where = `o."seriesId" = ANY(${p.ids(ids)}) AND ${p.liveObservation(asOf)}${p.inRange(range)}`;
    return statsBySeries(await rows<StatsRow>(statsSql(where), p));
  };

  return {
    // The server's snapshot: which transactions had committed when it was taken. Any
    // commit, on any app server, changes it for good (the committed id leaves the
    // in-progress list or the horizon moves past it), and two equal snapshots see the
    // same data, so an entry cached under it was read from that data or newer. It is
    // one tiny query and no write: a version row bumped by triggers would make every
    // write transaction wait for every other one on that row. Transactions that touch
    // no data (other databases on the server) change it too; that only costs a miss.
    dataVersion: async () =>
      (await pool.query<{ v: string }>('SELECT txid_current_snapshot()::text AS v')).rows[0]!.v,
    async findIndicator(slug) {
      const p = new Params();
      const [row] = await rows<IndicatorRow>(
        `SELECT ${INDICATOR_COLUMNS} FROM "Indicator" i WHERE i.slug = ${p.add(slug)}`,
        p,
      );
      return row ?? null;
    },
    async listIndicators(asOf) {
      const p = new Params();
      const where = asOf
        ? ` WHERE i."createdAt" <= ${p.add(sqliteTimestamp(asOf))}::timestamp`
        : '';
      return rows<IndicatorRow>(
        `SELECT ${INDICATOR_COLUMNS} FROM "Indicator" i${where} ORDER BY i.id`,
        p,
      );
    },
    async listSeries(indicatorId, asOf) {
      const p = new Params();
      const id = p.add(indicatorId);
      return rows<SeriesRow>(
        `SELECT s.id, s.label, s.kind, s.unit, s."sourceId", ${iso('s."recordedAt"')} AS "recordedAt",
                e.code AS "entityCode", e.name AS "entityName"
         FROM "Series" s JOIN "Entity" e ON e.id = s."entityId"
         WHERE s."indicatorId" = ${id} AND ${p.liveSeries(asOf)}
         ORDER BY s."recordedAt", s.id`,
        p,
      );
    },
    async listArchived(indicatorId) {
      const p = new Params();
      return rows<ArchivedRow>(
        `SELECT s.id, s.label, ${iso('s."archivedAt"')} AS "archivedAt", e.code AS "entityCode"
         FROM "Series" s JOIN "Entity" e ON e.id = s."entityId"
         WHERE s."indicatorId" = ${p.add(indicatorId)} AND s."archivedAt" IS NOT NULL
         ORDER BY s."recordedAt", s.id`,
        p,
      );
    },
    async sources(ids) {
      const unique = [...new Set(ids)];
      const out = new Map<number, SourceRow>();
      for (let i = 0; i < unique.length; i += MAX_IN_LIST) {
        const p = new Params();
        const list = p.ids(unique.slice(i, i + MAX_IN_LIST));
        for (const s of await rows<SourceRow>(
          `SELECT id, title, publisher, volume, issue, "publishedOn", "publishedPrecision",
                  "publishedNote", url, citation, license, "accessedOn", "usageNote"
           FROM "Source" WHERE id = ANY(${list})`,
          p,
        ))
          out.set(s.id, s);
      }
      return out;
    },
    async sourceDetail(id, listed) {
      const source = (await this.sources([id])).get(id);
      if (!source) return null;
      const sql = sourceDetailSql((i) => `$${i}`);
      const [quotes, quoteIndicators, groups, rowsListed] = await Promise.all([
        pool.query<SourceQuoteRow>(sql.quotes, [id]),
        pool.query<SourceDetailRows['quoteIndicators'][number]>(sql.quoteIndicators, [id]),
        pool.query<SourceDetailRows['groups'][number]>(sql.groups, [id]),
        pool.query<SourceDetailRows['listed'][number]>(sql.listed, [id, listed]),
      ]);
      return {
        source,
        quotes: quotes.rows,
        quoteIndicators: quoteIndicators.rows,
        // COUNT(*) is a bigint, which pg hands over as text.
        groups: groups.rows.map((g) => ({ ...g, count: Number(g.count) })),
        listed: rowsListed.rows,
      };
    },
    stats,
    points: (ids, range, asOf, buckets) => pointsOn(pool, ids, range, asOf, buckets),
    async table(ids, range, asOf, page) {
      if (ids.length === 0) return [];
      const p = new Params();
      const where = `o."seriesId" = ANY(${p.ids(ids)}) AND ${p.liveObservation(asOf)}${p.inRange(range)}`;
      return rows<TableRow>(
        `SELECT o."seriesId" AS "seriesId", o.period, o."precision", o.value, o.low, o.high, o.note
         FROM "Observation" o WHERE ${where}
         ORDER BY o."seriesId", o.period LIMIT ${p.add(page.limit)} OFFSET ${p.add(page.offset)}`,
        p,
      );
    },
    async quotes(ids, asOf) {
      if (ids.length === 0) return [];
      const p = new Params();
      return rows<QuoteRow>(
        `SELECT DISTINCT o."seriesId" AS "seriesId", q.id, q."sourceId", q.text, q."startOffset",
                q."endOffset", q."citedOutlet", q.speaker, q.attribution
         FROM "Observation" o JOIN "Quote" q ON q.id = o."quoteId"
         WHERE o."seriesId" = ANY(${p.ids(ids)}) AND ${p.liveObservation(asOf)}
         ORDER BY q."startOffset"`,
        p,
      );
    },
    async quotedSeries() {
      const found = await rows<{ seriesId: number }>(
        'SELECT DISTINCT "seriesId" FROM "Observation" WHERE "quoteId" IS NOT NULL ORDER BY 1',
      );
      return found.map((r) => r.seriesId);
    },
    async observationPage(seriesId, options) {
      const p = new Params();
      let where = `o."seriesId" = ${p.add(seriesId)} AND ${p.liveObservation(options.asOf)}${p.inRange(options.range)}`;
      if (options.after !== null) where += ` AND o.period > ${p.add(options.after)}`;
      return rows<ObservationPageRow>(
        `SELECT o.id, o."seriesId" AS "seriesId", o.period, o."precision", o.value, o.low, o.high,
                o.note, o."quoteId", o.revision, ${iso('o."recordedAt"')} AS "recordedAt"
         FROM "Observation" o WHERE ${where} ORDER BY o.period LIMIT ${p.add(options.limit)}`,
        p,
      );
    },
    async seriesCounts(asOf) {
      const p = new Params();
      const found = await rows<{ id: number; n: string }>(
        `SELECT s."indicatorId" AS id, COUNT(*) AS n FROM "Series" s WHERE ${p.liveSeries(asOf)} GROUP BY s."indicatorId"`,
        p,
      );
      return new Map(found.map((r) => [r.id, Number(r.n)]));
    },
    chartRows: (ids, range, asOf) => chartRowsOn(pool, ids, range, asOf),
  };
}
