// Downsampling for charts, applied while observations stream past in period order:
// each series' points are cut into `buckets` runs of consecutive observations, and
// each run keeps its lowest and its highest value, so peaks and troughs survive; the
// series' first and last points are always kept. A series with no more points than
// buckets passes through whole. Pure: memory holds the kept points and one run.

export type Sample = { seriesId: number; period: string; value: number };

/**
 * The downsampler fed one row at a time (rows that arrive in batches, from an async
 * store): `push` returns the points a row lets go, `end` the last ones.
 */
export class Downsampler<T extends Sample> {
  private readonly b: number;
  private series = -1;
  private n = 0;
  private rn = 0;
  private bucket = -1;
  private lo: T | null = null;
  private hi: T | null = null;
  private last: T | null = null;

  constructor(
    /** The number of rows each series will deliver (from a count query). */
    private readonly counts: Map<number, number>,
    buckets: number,
  ) {
    this.b = Math.max(1, Math.floor(buckets));
  }

  private flush(out: T[]) {
    const { lo, hi } = this;
    if (!lo || !hi) return;
    if (lo === hi) out.push(lo);
    else if (lo.period < hi.period) out.push(lo, hi);
    else out.push(hi, lo);
  }

  push(row: T, out: T[] = []): T[] {
    if (row.seriesId !== this.series) {
      this.flush(out);
      if (this.last && this.last !== this.lo && this.last !== this.hi) out.push(this.last);
      this.series = row.seriesId;
      this.n = this.counts.get(this.series) ?? 0;
      this.rn = 0;
      this.bucket = -1;
      this.lo = this.hi = this.last = null;
    }
    if (this.n <= this.b) {
      out.push(row);
      this.rn++;
      return out;
    }
    const at = Math.floor((this.rn * this.b) / this.n);
    if (at !== this.bucket) {
      this.flush(out);
      this.bucket = at;
      if (this.rn === 0) {
        // The first point is kept on its own, so the line starts where the data does.
        out.push(row);
        this.lo = this.hi = null;
      } else this.lo = this.hi = row;
    } else {
      if (!this.lo || row.value < this.lo.value) this.lo = row;
      if (!this.hi || row.value > this.hi.value) this.hi = row;
    }
    this.last = row;
    this.rn++;
    return out;
  }

  end(out: T[] = []): T[] {
    this.flush(out);
    const { last } = this;
    if (last && last !== this.lo && last !== this.hi && this.n > this.b) out.push(last);
    this.lo = this.hi = this.last = null;
    return out;
  }
}

export function* downsample<T extends Sample>(
  rows: Iterable<T>,
  /** The number of rows each series will deliver (from a count query). */
  counts: Map<number, number>,
  buckets: number,
): Generator<T> {
  const sampler = new Downsampler<T>(counts, buckets);
  const out: T[] = [];
  for (const row of rows) {
    sampler.push(row, out);
    if (out.length > 0) {
      yield* out;
      out.length = 0;
    }
  }
  yield* sampler.end(out);
}

/**
 * The positions downsample() keeps of one series, given its values and periods in
 * period order: the same points, without an object per observation (the SQLite store
 * receives a series as packed lists, lib/read/sqlite.ts).
 */
export function keptIndices(
  values: ArrayLike<number>,
  periods: readonly string[],
  buckets: number,
): number[] {
  const n = values.length;
  const b = Math.max(1, Math.floor(buckets));
  const out: number[] = [];
  if (n <= b) {
    for (let i = 0; i < n; i++) out.push(i);
    return out;
  }
  let bucket = -1;
  let lo = -1;
  let hi = -1;
  const flush = () => {
    if (lo < 0 || hi < 0) return;
    if (lo === hi) out.push(lo);
    else if (periods[lo]! < periods[hi]!) out.push(lo, hi);
    else out.push(hi, lo);
  };
  for (let i = 0; i < n; i++) {
    const at = Math.floor((i * b) / n);
    if (at !== bucket) {
      flush();
      bucket = at;
      // The first point is kept on its own, so the line starts where the data does.
      if (i === 0) {
        out.push(0);
        lo = hi = -1;
      } else lo = hi = i;
    } else {
      if (lo < 0 || values[i]! < values[lo]!) lo = i;
      if (hi < 0 || values[i]! > values[hi]!) hi = i;
    }
  }
  flush();
  const last = n - 1;
  if (last !== lo && last !== hi) out.push(last);
  return out;
}
