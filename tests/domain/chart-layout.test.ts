import { describe, expect, it } from 'vitest';
import {
  chartLayout,
  fitText,
  formatTick,
  LABEL_HEIGHT,
  placeLabels,
  placePointLabels,
  seriesNames,
  textWidth,
  timeDomain,
  valueAxis,
  yearTicks,
} from '@/lib/domain/chart-layout';
import type { ChartSeries } from '@/lib/domain/chart-view';
import { periodToYear } from '@/lib/domain/period';

function series(id: number, entity: string, points: [string, number][], label = `S${id}`) {
  return {
    id,
    label,
    kind: 'observed',
    entityCode: entity.slice(0, 3).toUpperCase(),
    entityName: entity,
    color: '#0072B2',
    points: points.map(([period, value]) => ({
      period,
      precision: 'year',
      x: periodToYear(period),
      value,
      low: null,
      high: null,
    })),
  } satisfies ChartSeries;
}

describe('text width', () => {
  it('grows with the text and fits a text to a width with an ellipsis', () => {
    expect(textWidth('2010')).toBeGreaterThan(textWidth('201'));
    expect(textWidth('Kazakhstan')).toBeGreaterThan(50);
    const cut = fitText('People’s Republic of China', 80);
    expect(cut.endsWith('…')).toBe(true);
    expect(textWidth(cut)).toBeLessThanOrEqual(80);
    expect(fitText('China', 80)).toBe('China');
  });

  it('formats ticks without float noise and compactly when large', () => {
    expect(formatTick(0.30000000000000004)).toBe('0.3');
    expect(formatTick(1_200_000)).toBe('1.2M');
    expect(formatTick(450)).toBe('450');
  });
});

describe('time axis', () => {
  it('centres a single year in a one-year window with one tick', () => {
    const domain = timeDomain([2004], { from: null, to: null });
    expect(domain).toEqual([2003.5, 2004.5]);
    expect(yearTicks(domain, 800)).toEqual([2004]);
  });

  it('keeps the range of the view', () => {
    expect(timeDomain([2004, 2010], { from: 2000, to: 2020 })).toEqual([2000, 2020]);
  });

  it('never puts two year labels closer than their width, at any width and span', () => {
    const room = textWidth('0000');
    for (const width of [120, 200, 280, 325, 500, 800, 1000])
      for (const span of [1, 2, 3, 7, 16, 40, 63, 200]) {
        const domain: [number, number] = [1960, 1960 + span];
        const t = yearTicks(domain, width);
        expect(t.length, `${width}px, ${span} years`).toBeGreaterThan(0);
        for (const v of t) expect(Number.isInteger(v)).toBe(true);
        for (let i = 1; i < t.length; i++) {
          const px = ((t[i]! - t[i - 1]!) / span) * width;
          expect(px, `${width}px, ${span} years: ${t.join(',')}`).toBeGreaterThan(room);
        }
      }
  });
});

describe('value axis', () => {
  it('includes zero with headroom, and spaces ticks at least twice the font apart', () => {
    for (const height of [44, 120, 240, 320])
      for (const values of [[5, 130], [450, 500], [9, 10], [0.2, 0.9], [12_000_000]]) {
        const axis = valueAxis(values, 'linear', height);
        expect(axis.domain[0]).toBe(0);
        expect(axis.domain[1]).toBeGreaterThan(Math.max(...values));
        expect(axis.ticks[0]).toBe(0);
        const px = (height * (axis.ticks[1]! - axis.ticks[0]!)) / (axis.domain[1] - axis.domain[0]);
        expect(px).toBeGreaterThanOrEqual(24);
        // Three ticks or more wherever they fit; a 44 px axis has room for its two ends only.
        expect(axis.ticks.length > 2).toBe(height >= 120);
        expect(new Set(axis.ticks.map((t) => formatTick(t))).size).toBe(axis.ticks.length);
      }
  });

  it('reaches below zero for negative values (relative change)', () => {
    const axis = valueAxis([-12, 30], 'linear', 300);
    expect(axis.domain[0]).toBeLessThan(-12);
    expect(axis.ticks).toContain(0);
  });

  it('runs a log axis from power of ten to power of ten', () => {
    const axis = valueAxis([3, 4200], 'log', 300);
    expect(axis.domain).toEqual([1, 10_000]);
    expect(axis.ticks).toEqual(expect.arrayContaining([1, 10, 100, 1000, 10_000]));
  });
});

describe('line labels', () => {
  it('never overlap, stay inside the chart and keep their order', () => {
    const wanted = [100, 101, 102, 103, 300, 301, 5];
    const placed = placeLabels(
      wanted.map((y) => ({ y })),
      0,
      320,
    );
    const ys = placed.map((p) => p.placedY);
    const sorted = [...ys].sort((a, b) => a - b);
    for (let i = 1; i < sorted.length; i++)
      expect(sorted[i]! - sorted[i - 1]!).toBeGreaterThanOrEqual(LABEL_HEIGHT - 1e-9);
    for (const y of ys) {
      expect(y).toBeGreaterThanOrEqual(LABEL_HEIGHT / 2);
      expect(y).toBeLessThanOrEqual(320 - LABEL_HEIGHT / 2);
    }
    // Order by wanted position is kept.
    const order = (list: number[]) => list.map((_, i) => i).sort((a, b) => list[a]! - list[b]!);
    expect(order(ys)).toEqual(order(wanted));
  });

  it('leaves labels that do not collide where they are wanted', () => {
    const placed = placeLabels([{ y: 50 }, { y: 150 }], 0, 300);
    expect(placed.map((p) => p.placedY)).toEqual([50, 150]);
  });

  it('names series by entity, then by kind, then by label where those repeat', () => {
    const names = seriesNames([
      { ...series(1, 'China', [], 'Claim'), kind: 'projection' },
      series(2, 'China', [], 'World Bank'),
      series(3, 'Kazakhstan', [], 'World Bank'),
      series(4, 'Mongolia', [], 'World Bank'),
      series(5, 'Mongolia', [], 'IMF (Mongolia)'),
    ]);
    expect([...names.values()]).toEqual([
      'China (projection)',
      'China (observed)',
      'Kazakhstan',
      'Mongolia: World Bank',
      'IMF (Mongolia)',
    ]);
  });

  it('gives three entities three labels that fit beside the plot', () => {
    for (const width of [325, 1000]) {
      const layout = chartLayout({
        series: [
          series(1, 'China', [
            ['2000', 100],
            ['2020', 150],
          ]),
          series(2, 'Kazakhstan', [
            ['2000', 98],
            ['2020', 149],
          ]),
          series(3, 'Mongolia', [
            ['2000', 99],
            ['2020', 151],
          ]),
        ],
        type: 'line',
        scale: 'linear',
        range: { from: null, to: null },
        width,
        height: 300,
      });
      expect(layout.lineLabels.map((l) => l.full)).toEqual(['China', 'Kazakhstan', 'Mongolia']);
      expect(layout.plot.left + layout.plot.width + layout.margin.right).toBe(width);
      for (const l of layout.lineLabels)
        expect(textWidth(l.text)).toBeLessThanOrEqual(layout.margin.right - 14);
    }
  });
});

describe('point labels', () => {
  it('place values without overlap, inside the bounds, or leave them out', () => {
    const points = Array.from({ length: 12 }, (_, i) => ({
      x: 100 + (i % 4) * 6,
      y: 60 + Math.floor(i / 4) * 4,
      text: String(100 + i),
    }));
    const bounds = { x: 0, y: 0, width: 300, height: 70 };
    const placed = placePointLabels(points, bounds, 11);
    expect(placed.length).toBeGreaterThan(1);
    for (const [i, a] of placed.entries()) {
      expect(a.box.x).toBeGreaterThanOrEqual(0);
      expect(a.box.y + a.box.height).toBeLessThanOrEqual(70);
      for (const b of placed.slice(i + 1)) {
        const apart =
          a.box.x + a.box.width <= b.box.x ||
          b.box.x + b.box.width <= a.box.x ||
          a.box.y + a.box.height <= b.box.y ||
          b.box.y + b.box.height <= a.box.y;
        expect(apart).toBe(true);
      }
    }
  });
});
