import { describe, expect, it } from 'vitest';
import { downsample, type Sample } from '@/lib/domain/downsample';

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
});
