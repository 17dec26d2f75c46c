// Finding 1 of issue #25: a log axis on a positive value below about 1e-308, or on
// values whose ratio overflows a double, made the tick loop endless and Node abort.
// Every finite value must give a bounded, finite axis and a drawing with no NaN.
import { describe, expect, it } from 'vitest';
import { valueAxis } from '@/lib/domain/chart-layout';
import { chartScene, sceneToSvg } from '@/lib/chart/chart-scene';
import type { ChartSeries } from '@/lib/domain/chart-view';

const EXTREMES: number[][] = [
  [5e-324],
  [1e-310, 1],
  [1e-300, 1e300],
  [5e-324, Number.MAX_VALUE],
  [Number.MAX_VALUE],
  [1e308, 1.7e308],
];

function series(values: number[]): ChartSeries {
  return {
    id: 1,
    label: 'S',
    kind: 'observed',
    entityCode: 'AAA',
    entityName: 'A',
    color: '#0072B2',
    points: values.map((value, i) => ({
      period: String(2000 + i),
      precision: 'year',
      x: 2000 + i,
      value,
      low: null,
      high: null,
    })),
  };
}

describe('value axis on extreme finite values', () => {
  it('gives a log axis with a finite, positive domain and few ticks', () => {
    for (const values of EXTREMES)
      for (const height of [20, 300, 2000]) {
        const axis = valueAxis(values, 'log', height);
        expect(
          axis.domain.every((d) => Number.isFinite(d) && d > 0),
          `${values}`,
        ).toBe(true);
        expect(axis.domain[0]).toBeLessThan(axis.domain[1]);
        expect(axis.ticks.length).toBeLessThanOrEqual(700);
        expect(axis.ticks.every((t) => Number.isFinite(t) && t > 0)).toBe(true);
      }
  });

  it('gives a linear axis with a finite domain, whatever the span', () => {
    for (const values of [...EXTREMES, [-Number.MAX_VALUE, Number.MAX_VALUE], [-1e308]]) {
      const axis = valueAxis(values, 'linear', 300);
      expect(axis.domain.every(Number.isFinite), `${values}`).toBe(true);
      expect(axis.ticks.every(Number.isFinite)).toBe(true);
    }
  });

  it('draws a chart without NaN coordinates on either scale', () => {
    for (const values of [...EXTREMES, [-Number.MAX_VALUE, Number.MAX_VALUE]])
      for (const scale of ['log', 'linear'] as const) {
        const svg = sceneToSvg(
          chartScene({
            series: [series(values)],
            type: 'line',
            scale,
            range: { from: null, to: null },
            width: 800,
            height: 400,
            decimals: 2,
            unit: 'x',
            label: 'chart',
          }),
        );
        expect(svg, `${scale} ${values}`).not.toMatch(/NaN|Infinity/);
      }
  });
});

describe('value axis on spans too small to step through', () => {
  // Found by the fuzz pass: 0 and 5e-324 on a short chart gave no ticks, then a crash;
  // -5e-324 and 5e-324, an array of billions of ticks.
  it('falls back to the two ends', () => {
    for (const height of [1, 20, 300]) {
      for (const values of [
        [0, 5e-324],
        [-5e-324, 5e-324],
        [-1e-310, 1e-320],
      ]) {
        const axis = valueAxis(values, 'linear', height);
        expect(axis.ticks.every(Number.isFinite)).toBe(true);
        expect(axis.ticks.length).toBeGreaterThan(0);
      }
      const axis = valueAxis([0, 5e-324], 'linear', height);
      expect(axis.ticks.every(Number.isFinite)).toBe(true);
      expect(axis.ticks.length).toBeGreaterThan(0);
    }
  });
});
