// Downsampling for charts, applied while observations stream past in period order:
// each series' points are cut into `buckets` runs of consecutive observations, and
// each run keeps its lowest and its highest value, so peaks and troughs survive; the
// series' first and last points are always kept. A series with no more points than
// buckets passes through whole. Pure: memory holds the kept points and one run.

export type Sample = { seriesId: number; period: string; value: number };

export function* downsample<T extends Sample>(
  rows: Iterable<T>,
  /** The number of rows each series will deliver (from a count query). */
  counts: Map<number, number>,
  buckets: number,
): Generator<T> {
  const b = Math.max(1, Math.floor(buckets));
  let series = -1;
  let n = 0;
  let rn = 0;
  let bucket = -1;
  let lo: T | null = null;
  let hi: T | null = null;
  let last: T | null = null;
  function* flush(): Generator<T> {
    if (!lo || !hi) return;
    if (lo === hi) yield lo;
    else if (lo.period < hi.period) yield* [lo, hi];
    else yield* [hi, lo];
  }
  for (const row of rows) {
    if (row.seriesId !== series) {
      yield* flush();
      if (last && last !== lo && last !== hi) yield last;
      series = row.seriesId;
      n = counts.get(series) ?? 0;
      rn = 0;
      bucket = -1;
      lo = hi = last = null;
    }
    if (n <= b) {
      yield row;
      rn++;
      continue;
    }
    const at = Math.floor((rn * b) / n);
    if (at !== bucket) {
      yield* flush();
      if (rn === 0) {
        // The first point is kept on its own, so the line starts where the data does.
        yield row;
        rn++;
        bucket = at;
        lo = hi = null;
        last = row;
        continue;
      }
      bucket = at;
      lo = hi = row;
    } else {
      if (!lo || row.value < lo.value) lo = row;
      if (!hi || row.value > hi.value) hi = row;
    }
    last = row;
    rn++;
  }
  yield* flush();
  if (last && last !== lo && last !== hi && n > b) yield last;
}
