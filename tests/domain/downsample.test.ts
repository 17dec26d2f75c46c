import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { downsample, keptIndices, type Sample } from '@/lib/domain/downsample';

function series(id: number, values: number[]): Sample[] {
  return values.map((value, i) => ({
    seriesId: id,
    period: `2020-${String(Math.floor(i / 28) + 1).padStart(2, '0')}-${String((i % 28) + 1).padStart(2, '0')}`,
    value,
  }));
}

const run = (rows: Sample[], buckets: number) => {
  const counts = new Map<number, number>();
  for (const r of rows) counts.set(r.seriesId, (counts.get(r.seriesId) ?? 0) + 1);
  return [...downsample(rows, counts, buckets)];
};

describe('downsample', () => {
  it('passes a series with no more points than buckets through whole', () => {
    const rows = series(1, [3, 1, 4, 1, 5]);
    expect(run(rows, 5)).toEqual(rows);
  });

  it('keeps at most two points per bucket plus the ends, in period order', () => {
    const values = Array.from({ length: 300 }, (_, i) => Math.sin(i / 7) * 10);
    const out = run(series(1, values), 20);
    expect(out.length).toBeLessThanOrEqual(2 * 20 + 2);
    expect(out.length).toBeGreaterThanOrEqual(20);
    const periods = out.map((p) => p.period);
    expect(periods).toEqual([...periods].sort());
  });

  it('keeps the extremes, the first and the last point', () => {
    const values = Array.from({ length: 1000 }, () => 50);
    values[0] = 40;
    values[123] = 999; // a one-day spike
    values[777] = -999; // a one-day crash
    values[999] = 60;
    const rows = series(1, values);
    const out = run(rows, 10);
    expect(out.length).toBeLessThanOrEqual(22);
    expect(out.map((p) => p.value)).toEqual(expect.arrayContaining([40, 999, -999, 60]));
    expect(out[0]).toBe(rows[0]);
    expect(out[out.length - 1]).toBe(rows[999]);
  });

  it('cuts each series by its own count', () => {
    const a = series(
      1,
      Array.from({ length: 400 }, (_, i) => i),
    );
    const b = series(2, [7, 8, 9]);
    const out = run([...a, ...b], 50);
    expect(out.filter((p) => p.seriesId === 1).length).toBeLessThanOrEqual(102);
    expect(out.filter((p) => p.seriesId === 2)).toEqual(b);
    // Monotonic data: each bucket's low and high are its first and last points.
    expect(out.find((p) => p.seriesId === 1 && p.value === 399)).toBeDefined();
  });

  // The last point is kept on its own when it is neither its bucket's low nor its high:
  // the last bucket here holds a trough and a peak before a middling final value.
  const endsMidBucket = (id: number) => {
    const values = Array.from({ length: 1000 }, () => 50);
    values[950] = 0;
    values[960] = 100;
    values[999] = 42;
    return series(id, values);
  };

  it("keeps the last point of the last series when it is not its bucket's low or high", () => {
    const rows = endsMidBucket(1);
    const out = run(rows, 10);
    expect(out[out.length - 1]).toBe(rows[999]);
    expect(out.map((p) => p.value).slice(-3)).toEqual([0, 100, 42]);
  });

  it("keeps the last point of a series followed by another, when it is not its bucket's low or high", () => {
    const first = endsMidBucket(1);
    const second = series(2, [7, 8, 9]);
    const out = run([...first, ...second], 10);
    const kept = out.filter((p) => p.seriesId === 1);
    expect(kept[kept.length - 1]).toBe(first[999]);
    expect(out.filter((p) => p.seriesId === 2)).toEqual(second);
  });

  // Worked by hand: 12 points in 3 buckets of 4. The first point alone, then each
  // bucket's low and high in period order (the first of equal values), then the last.
  it('keeps exactly the first point, each bucket’s low and high once, and the last', () => {
    const rows = series(1, [5, 9, 1, 9, 4, 2, 8, 2, 3, 10, 0, 6.5]);
    const kept = [0, 1, 2, 5, 6, 9, 10, 11].map((i) => rows[i]);
    expect(run(rows, 3)).toEqual(kept);
    // The same when another series follows, which passes through whole.
    const next = series(2, [1, 2]);
    expect(run([...rows, ...next], 3)).toEqual([...kept, ...next]);
    // A last point that is its bucket's high is kept once, at the end or before another series.
    const peak = series(1, [5, 9, 1, 9, 4, 2, 8, 2, 3, 0, 6.5, 10]);
    const peakKept = [0, 1, 2, 5, 6, 9, 11].map((i) => peak[i]);
    expect(run(peak, 3)).toEqual(peakKept);
    expect(run([...peak, ...next], 3)).toEqual([...peakKept, ...next]);
  });

  it('keeps a flat bucket’s point once', () => {
    const rows = series(
      1,
      Array.from({ length: 12 }, () => 7),
    );
    expect(run(rows, 3)).toEqual([0, 1, 4, 8, 11].map((i) => rows[i]));
  });
});

describe('keptIndices', () => {
  // The packed form the SQLite store downsamples must keep exactly what the row by row
  // downsampler keeps, ties and all.
  it('keeps the points downsample() keeps, for any series and bucket count', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.integer({ min: -3, max: 3 }), fc.double({ noNaN: true })), {
          maxLength: 400,
        }),
        fc.integer({ min: -2, max: 120 }),
        (values, buckets) => {
          const rows = series(1, values);
          const want = run(rows, buckets).map((r) => rows.indexOf(r));
          const got = keptIndices(
            values,
            rows.map((r) => r.period),
            buckets,
          );
          expect(got).toEqual(want);
        },
      ),
      { numRuns: 300 },
    );
  });
});
