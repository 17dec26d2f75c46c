// A chart's series as packed lists: per series, its observations' ids, periods and
// values each joined by the database into one string (SQLite's group_concat,
// PostgreSQL's string_agg), downsampled here (lib/domain/downsample.ts) before any
// observation becomes an object. Turning each row into a JavaScript object cost several
// times the database's own work of reading it (better-sqlite3, node-postgres), and on
// PostgreSQL downsampling in SQL with window functions cost 40 ms for 12,000 values
// where packing them costs 7. Both stores hand their packed rows to KeptPoints.
import { keptIndices } from '../domain/downsample';
import type { PointRow, SeriesStats } from './types';

/**
 * Per series in view: its ids, periods (joined by U+001F) and values; its precision when
 * every observation has the same; and the ids of the observations that carry a low or a
 * high (usually none).
 */
export type PackedSeries = [
  seriesId: number,
  ids: string,
  periods: string,
  /** Joined as the ids are, or as numbers already in period order (SQLite's). */
  values: string | readonly number[],
  precision: string | null,
  bounded: string | null,
];

/**
 * A double as the database writes it: the shortest text that reads back as the same
 * (SQLite spells the infinities Inf and -Inf, PostgreSQL Infinity, which Number reads).
 */
function realOf(text: string): number {
  const n = Number(text);
  if (!Number.isNaN(n)) return n;
  return text === 'Inf' ? Infinity : text === '-Inf' ? -Infinity : n;
}

/**
 * One series' observations in period order, with its stats. The database hands them
 * over in its index's order, which is period order unless an as-of date reads older
 * revisions.
 */
function unpack([seriesId, ids, periods, values]: PackedSeries) {
  let id = ids.split(',');
  let period = periods.split('\u001f');
  let value = typeof values === 'string' ? values.split(',').map(realOf) : values;
  if (period.some((p, i) => i > 0 && period[i - 1]! > p)) {
    const order = period
      .map((_, i) => i)
      .sort((a, b) => (period[a]! < period[b]! ? -1 : period[a]! > period[b]! ? 1 : 0));
    const reorder = <T>(list: readonly T[]) => order.map((i) => list[i]!);
    [id, period] = [reorder(id), reorder(period)];
    // Numbers come in period order already; joined values in the lists' order.
    if (typeof values === 'string') value = reorder(value);
  }
  const n = period.length;
  if (value.length !== n)
    throw new Error(`series ${seriesId}: ${value.length} values, ${n} periods`);
  const stats: SeriesStats = {
    seriesId,
    count: n,
    first: period[0]!,
    last: period[n - 1]!,
    dated: period.some((p) => p.length > 4),
  };
  return { id, period, value, stats };
}

/**
 * Collects the points each packed series keeps, with the series' stats. A point whose
 * precision or bounds the lists do not carry is also put in `reread` under its id, for
 * the store to fill from the database.
 */
export class KeptPoints {
  readonly points: PointRow[] = [];
  readonly stats = new Map<number, SeriesStats>();
  readonly reread = new Map<string, PointRow>();

  constructor(private readonly buckets: number) {}

  add(series: PackedSeries) {
    const { id, period, value, stats } = unpack(series);
    this.stats.set(stats.seriesId, stats);
    const [seriesId, , , , precision, bounded] = series;
    const withBounds = new Set(bounded?.split(','));
    for (const i of keptIndices(value, period, this.buckets)) {
      const row: PointRow = {
        seriesId,
        period: period[i]!,
        precision: precision ?? '',
        value: value[i]!,
        low: null,
        high: null,
      };
      if (precision === null || withBounds.has(id[i]!)) this.reread.set(id[i]!, row);
      this.points.push(row);
    }
  }

  /** Fills the points put aside with each one's precision, low and high. */
  fill(
    found: Iterable<
      [id: number | string, precision: string, low: number | null, high: number | null]
    >,
  ) {
    for (const [id, precision, low, high] of found) {
      const row = this.reread.get(String(id))!;
      row.precision = precision;
      row.low = low;
      row.high = high;
    }
  }
}
