// The per-series cache (lib/read/series-cache.ts): a view reads only the series it has
// not seen at this data version, range, as-of date and bucket count, and gets what the
// store would have answered for the whole selection.
import { describe, expect, it } from 'vitest';
import { cachedAllTimeStats, cachedPoints } from '../../lib/read/series-cache';
import type { PointRow, ReadStore, SeriesStats, YearRange } from '../../lib/read/types';

function fakeStore() {
  const calls: { kind: string; ids: number[] }[] = [];
  let version = 1;
  const pointsOf = (id: number, buckets: number): PointRow[] =>
    Array.from({ length: 3 }, (_, i) => ({
      seriesId: id,
      period: String(2000 + i),
      precision: 'year',
      value: id * 10 + i + buckets,
      low: null,
      high: null,
    }));
  const statsOf = (id: number): SeriesStats => ({
    seriesId: id,
    count: id,
    first: '2000',
    last: '2002',
    dated: false,
  });
  const store = {
    dataVersion: async () => version,
    async points(ids: number[], _range: YearRange, _asOf: Date | null, buckets: number) {
      calls.push({ kind: 'points', ids: [...ids] });
      const sorted = [...ids].sort((a, b) => a - b);
      // Series 99 has no values in range: no points, no stats.
      const live = sorted.filter((id) => id !== 99);
      return {
        points: live.flatMap((id) => pointsOf(id, buckets)),
        stats: new Map(live.map((id) => [id, statsOf(id)])),
      };
    },
    async stats(ids: number[]) {
      calls.push({ kind: 'stats', ids: [...ids] });
      return new Map(ids.filter((id) => id !== 99).map((id) => [id, statsOf(id)]));
    },
  } as unknown as ReadStore;
  return { store, calls, bump: () => version++, pointsOf, statsOf };
}

const all = { from: null, to: null };

describe('the per-series cache', () => {
  it('answers as the store does, in its order, reading only the series not seen', async () => {
    const { store, calls } = fakeStore();
    const first = await cachedPoints(store, [3, 1], all, null, 10);
    expect(first).toEqual(await store.points([3, 1], all, null, 10));
    calls.length = 0;
    const second = await cachedPoints(store, [1, 2, 3, 99], all, null, 10);
    expect(calls).toEqual([{ kind: 'points', ids: [2, 99] }]);
    expect(second.points).toEqual((await store.points([1, 2, 3], all, null, 10)).points);
    expect([...second.stats.keys()]).toEqual([1, 2, 3]);
  });

  it('keys entries by range, as-of date and bucket count', async () => {
    const { store, calls } = fakeStore();
    await cachedPoints(store, [1], all, null, 10);
    await cachedPoints(store, [1], all, null, 20);
    await cachedPoints(store, [1], { from: 2001, to: null }, null, 10);
    await cachedPoints(store, [1], all, new Date('2020-01-01'), 10);
    await cachedPoints(store, [1], all, null, 10);
    expect(calls.filter((c) => c.kind === 'points')).toHaveLength(4);
    const twenty = await cachedPoints(store, [1], all, null, 20);
    expect(twenty.points[0]!.value).toBe(30);
  });

  it('reads again once the data version moves', async () => {
    const { store, calls, bump } = fakeStore();
    await cachedPoints(store, [1, 2], all, null, 10);
    await cachedAllTimeStats(store, [1, 2], null);
    bump();
    await cachedPoints(store, [1, 2], all, null, 10);
    await cachedAllTimeStats(store, [2], null);
    expect(calls).toEqual([
      { kind: 'points', ids: [1, 2] },
      { kind: 'stats', ids: [1, 2] },
      { kind: 'points', ids: [1, 2] },
      { kind: 'stats', ids: [2] },
    ]);
  });

  it('caches all-time stats apart from the points of a range', async () => {
    const { store, calls, statsOf } = fakeStore();
    expect(await cachedAllTimeStats(store, [1, 99], null)).toEqual(new Map([[1, statsOf(1)]]));
    expect(await cachedAllTimeStats(store, [1, 99], null)).toEqual(new Map([[1, statsOf(1)]]));
    expect(calls).toEqual([{ kind: 'stats', ids: [1, 99] }]);
  });
});
