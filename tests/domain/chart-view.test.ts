import { describe, expect, it } from 'vitest';
import {
  applyChartView,
  chartType,
  chartViewToSearch,
  DEFAULT_VIEW,
  describeChart,
  effectiveScale,
  extent,
  parseChartView,
  yearBounds,
  type ChartSeries,
} from '@/lib/domain/chart-view';
import { periodToYear } from '@/lib/domain/period';

function series(
  id: number,
  kind: ChartSeries['kind'],
  points: [string, number][],
  entity = 'China',
): ChartSeries {
  return {
    id,
    label: `S${id}`,
    kind,
    entityCode: entity.slice(0, 3).toUpperCase(),
    entityName: entity,
    color: '#000',
    points: points.map(([period, value]) => ({
      period,
      precision: period.length === 4 ? 'year' : 'day',
      x: periodToYear(period),
      value,
      low: null,
      high: null,
    })),
  };
}

describe('parseChartView', () => {
  it('reads the default view from an empty query', () => {
    expect(parseChartView({})).toEqual(DEFAULT_VIEW);
  });

  it('reads comma lists and repeated params alike', () => {
    expect(parseChartView({ series: '3,1' }).series).toEqual([3, 1]);
    expect(parseChartView({ series: ['', '3', '1'] }).series).toEqual([3, 1]);
  });

  it('reads a known transform and ignores an unknown one', () => {
    expect(parseChartView({ transform: 'relative' }).transform).toBe('relative');
    expect(parseChartView({ transform: 'cubic' }).transform).toBe('absolute');
  });

  it('treats an empty series list as “none visible”, not as the default', () => {
    expect(parseChartView({ series: '' }).series).toEqual([]);
  });

  it('ignores junk from hand-edited URLs and swaps a reversed range', () => {
    expect(parseChartView({ series: 'x,2,-1', scale: 'cubic', from: 'abc', to: '99999' })).toEqual({
      series: [2],
      scale: 'linear',
      from: null,
      to: null,
      asOf: null,
      unit: null,
      transform: 'absolute',
    });
    expect(parseChartView({ from: '2020', to: '2000', scale: 'log' })).toMatchObject({
      from: 2000,
      to: 2020,
      scale: 'log',
    });
  });
});

describe('chartViewToSearch', () => {
  it('drops defaults so the plain URL is the default view', () => {
    expect(
      chartViewToSearch(
        {
          series: [1, 2],
          scale: 'linear',
          from: null,
          to: null,
          asOf: null,
          unit: null,
          transform: 'absolute',
        },
        [1, 2],
      ),
    ).toBe('');
  });

  it('round-trips through parseChartView', () => {
    const view = {
      series: [2],
      scale: 'log' as const,
      from: 2000,
      to: 2010,
      asOf: '2020-01-31',
      unit: 'kb/d',
      transform: 'index' as const,
    };
    const qs = chartViewToSearch(view, [1, 2, 3]);
    expect(qs).toBe(
      'series=2&scale=log&from=2000&to=2010&asOf=2020-01-31&unit=kb%2Fd&transform=index',
    );
    expect(parseChartView(Object.fromEntries(new URLSearchParams(qs)))).toEqual(view);
  });
});

describe('applyChartView', () => {
  const all = [
    series(1, 'observed', [
      ['1999', 1],
      ['2005', 2],
      ['2010-06-30', 3],
    ]),
    series(2, 'projection', [['2020', 9]]),
  ];

  it('keeps the selected series and the points inside the range, ends included', () => {
    const out = applyChartView(
      all,
      {
        series: [1],
        scale: 'linear',
        from: 2005,
        to: 2010,
        asOf: null,
        unit: null,
        transform: 'absolute',
      },
      [1, 2],
    );
    expect(out.map((s) => s.id)).toEqual([1]);
    expect(out[0]!.points.map((p) => p.period)).toEqual(['2005', '2010-06-30']);
  });

  it('shows the default selection when the URL names none', () => {
    expect(applyChartView(all, parseChartView({}), [1, 2]).flatMap((s) => s.points)).toHaveLength(
      4,
    );
    expect(applyChartView(all, parseChartView({}), [2]).map((s) => s.id)).toEqual([2]);
  });

  it('writes the selection only when it differs from the default', () => {
    const view = parseChartView({ series: '2,1' });
    expect(chartViewToSearch(view, [1, 2])).toBe('');
    expect(chartViewToSearch(view, [1])).toBe('series=2%2C1');
    expect(chartViewToSearch(parseChartView({ series: '' }), [1])).toBe('series=');
  });

  it('reads a bounded number of ids from a hand-made URL', () => {
    const ids = Array.from({ length: 5000 }, (_, i) => i + 1).join(',');
    expect(parseChartView({ series: ids }).series).toHaveLength(1000);
  });

  it('finds the year bounds', () => {
    expect(yearBounds(all)).toEqual({ min: 1999, max: 2020 });
    expect(yearBounds([])).toBeNull();
  });

  it('finds the extent of more values than a call can take as arguments', () => {
    const many = Array.from({ length: 300_000 }, (_, i) => i - 1000);
    expect(extent(many)).toEqual({ min: -1000, max: 298_999 });
    expect(extent([])).toBeNull();
  });
});

describe('chartType', () => {
  it('draws a single-period comparison as bars', () => {
    expect(
      chartType([
        series(1, 'reported', [['2004', 130]]),
        series(2, 'reported', [['2004', 5]], 'Kazakhstan'),
      ]),
    ).toBe('bar');
  });

  it('draws time series, single points and mixed periods as lines', () => {
    expect(chartType([series(1, 'projection', [['2010', 50]])])).toBe('line');
    expect(
      chartType([series(1, 'reported', [['2004', 130]]), series(2, 'observed', [['2020', 150]])]),
    ).toBe('line');
    expect(
      chartType([
        series(1, 'observed', [
          ['2004', 1],
          ['2005', 2],
        ]),
        series(2, 'observed', [['2004', 5]]),
      ]),
    ).toBe('line');
  });
});

describe('effectiveScale', () => {
  it('stays linear when a log axis cannot show a value', () => {
    expect(
      effectiveScale(
        [
          series(1, 'observed', [
            ['2000', 0],
            ['2001', 5],
          ]),
        ],
        'log',
      ),
    ).toBe('linear');
    expect(
      effectiveScale(
        [
          series(1, 'observed', [
            ['2000', 1],
            ['2001', 5],
          ]),
        ],
        'log',
      ),
    ).toBe('log');
  });
});

describe('describeChart', () => {
  const indicator = { title: 'Population density', unitLong: 'people per km²', decimals: 0 };

  it('describes a bar comparison', () => {
    const s = [
      series(1, 'reported', [['2004', 130]]),
      series(2, 'reported', [['2004', 5]], 'Kazakhstan'),
    ];
    expect(describeChart(indicator, s, 'bar')).toBe(
      'Bar chart of Population density in 2004, in people per km²: China 130 (reported), Kazakhstan 5 (reported).',
    );
  });

  it('describes series over time with their first and last values', () => {
    const s = [
      series(1, 'observed', [
        ['2000', 120],
        ['2020', 150],
      ]),
      series(2, 'projection', [['2030', 160]]),
    ];
    expect(describeChart(indicator, s, 'line')).toBe(
      'Chart of Population density in people per km², 2 series: S1 (observed, China): 2 values from 120 in 2000 to 150 in 2020; S2 (projection, China): 160 in 2030.',
    );
  });

  it('says when nothing is selected', () => {
    expect(describeChart(indicator, [], 'line')).toMatch(/no data/);
  });
});
