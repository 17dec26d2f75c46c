// Per series, what a view reads of it, kept until the data version moves (as
// lib/read/cache.ts): the downsampled points of a range and their count, and the
// all-time first and last periods. Readers pick series, ranges and downloads at
// random, so whole views rarely repeat, but the series in them do; a view then reads
// only the series it has not seen. A series' points do not depend on the others in
// view (the downsampler starts afresh with each series), only on its range, as-of
// date and bucket count, which key the entry.
import { dataVersionOf } from './cache';
import type { PointRow, ReadStore, SeriesStats, YearRange } from './types';

/** About 100 bytes a point: some 15 MB at most. */
const MAX_POINTS = 150_000;

type Entry = { points: PointRow[]; stats: SeriesStats | undefined };
type SeriesCache = { version: number | string | null; entries: Map<string, Entry>; points: number };

const state = globalThis as unknown as { sourcedSeriesCaches?: WeakMap<ReadStore, SeriesCache> };

function cacheFor(store: ReadStore, version: number | string): SeriesCache {
  const caches = (state.sourcedSeriesCaches ??= new WeakMap());
  const cache = caches.get(store) ?? { version: null, entries: new Map(), points: 0 };
  caches.set(store, cache);
  if (cache.version !== version) {
    cache.entries.clear();
    cache.points = 0;
    cache.version = version;
  }
  return cache;
}

const weight = (e: Entry) => e.points.length + 1;

function keep(cache: SeriesCache, key: string, entry: Entry) {
  cache.entries.set(key, entry);
  cache.points += weight(entry);
  for (const [oldest, old] of cache.entries) {
    if (cache.points <= MAX_POINTS) break;
    cache.entries.delete(oldest);
    cache.points -= weight(old);
  }
}

/**
 * Each series' entry, from the cache or from `read` (one call for every series not
 * cached), for a store whose data version is `version`.
 */
async function perSeries(
  store: ReadStore,
  ids: number[],
  keyOf: (id: number) => string,
  read: (missing: number[]) => Promise<Map<number, Entry>>,
): Promise<Map<number, Entry> | null> {
  const version = await dataVersionOf(store);
  if (version === null) return null;
  const cache = cacheFor(store, version);
  const found = new Map<number, Entry>();
  const missing: number[] = [];
  for (const id of new Set(ids)) {
    const hit = cache.entries.get(keyOf(id));
    if (hit) found.set(id, hit);
    else missing.push(id);
  }
  if (missing.length > 0) {
    const read_ = await read(missing);
    for (const id of missing) {
      const entry = read_.get(id) ?? { points: [], stats: undefined };
      found.set(id, entry);
      // Read at this version or later: kept under it, dropped when it moves.
      if (cache.version === version) keep(cache, keyOf(id), entry);
    }
  }
  return found;
}

const asOfKey = (asOf: Date | null) => (asOf ? asOf.toISOString() : '');

/** ReadStore.points, series by series through the cache. */
export async function cachedPoints(
  store: ReadStore,
  ids: number[],
  range: YearRange,
  asOf: Date | null,
  buckets: number,
): ReturnType<ReadStore['points']> {
  const keyOf = (id: number) =>
    `points\u0000${id}\u0000${range.from}\u0000${range.to}\u0000${asOfKey(asOf)}\u0000${buckets}`;
  const entries = await perSeries(store, ids, keyOf, async (missing) => {
    const { points, stats } = await store.points(missing, range, asOf, buckets);
    const bySeries = new Map<number, Entry>(
      missing.map((id) => [id, { points: [], stats: stats.get(id) }]),
    );
    for (const p of points) bySeries.get(p.seriesId)?.points.push(p);
    return bySeries;
  });
  if (!entries) return store.points(ids, range, asOf, buckets);
  // As the store orders them: by series, then period.
  const order = [...entries.keys()].sort((a, b) => a - b);
  const stats = new Map<number, SeriesStats>();
  for (const id of order) {
    const st = entries.get(id)!.stats;
    if (st) stats.set(id, st);
  }
  return { points: order.flatMap((id) => entries.get(id)!.points), stats };
}

/** ReadStore.stats over all time, series by series through the cache. */
export async function cachedAllTimeStats(
  store: ReadStore,
  ids: number[],
  asOf: Date | null,
): Promise<Map<number, SeriesStats>> {
  const all = { from: null, to: null };
  const keyOf = (id: number) => `stats\u0000${id}\u0000${asOfKey(asOf)}`;
  const entries = await perSeries(store, ids, keyOf, async (missing) => {
    const stats = await store.stats(missing, all, asOf);
    return new Map(missing.map((id) => [id, { points: [], stats: stats.get(id) }]));
  });
  if (!entries) return store.stats(ids, all, asOf);
  const out = new Map<number, SeriesStats>();
  for (const [id, e] of entries) if (e.stats) out.set(id, e.stats);
  return out;
}
