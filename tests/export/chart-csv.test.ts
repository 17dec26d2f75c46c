import { describe, expect, it } from 'vitest';
import type { ChartSeries } from '@/lib/domain/chart-view';
import { periodToYear } from '@/lib/domain/period';
import { chartTable } from '@/lib/export/chart-csv';

function series(
  id: number,
  label: string,
  kind: ChartSeries['kind'],
  entity: [string, string],
  points: [string, number][],
): ChartSeries {
  return {
    id,
    label,
    kind,
    entityName: entity[0],
    entityCode: entity[1],
    color: '#000',
    points: points.map(([period, value]) => ({
      period,
      precision: period.length === 4 ? 'year' : period.length === 7 ? 'month' : 'day',
      x: periodToYear(period),
      value,
      low: null,
      high: null,
    })),
  };
}

describe('the chart CSV', () => {
  it('is wide, OWID style: Entity, Code, Year, then one column per series', () => {
    const t = chartTable([
      series(1, 'EDM 2004', 'projection', ['China', 'CHN'], [['2010', 50]]),
      series(
        2,
        'World Bank',
        'observed',
        ['China', 'CHN'],
        [
          ['2009', 48.5],
          ['2010', 51],
        ],
      ),
      series(3, 'World Bank', 'observed', ['Kazakhstan', 'KAZ'], [['2010', 7]]),
    ]);
    expect(t.header).toEqual(['Entity', 'Code', 'Year', 'EDM 2004 (Projected)', 'World Bank']);
    expect(t.rows).toEqual([
      ['China', 'CHN', 2009, null, 48.5],
      ['China', 'CHN', 2010, 50, 51],
      ['Kazakhstan', 'KAZ', 2010, null, 7],
    ]);
  });

  it('uses a Day column when any value is dated', () => {
    const t = chartTable([
      series(
        1,
        'FRED',
        'observed',
        ['China', 'CHN'],
        [
          ['2020-03-01', 1],
          ['2021', 2],
        ],
      ),
    ]);
    expect(t.header.slice(0, 3)).toEqual(['Entity', 'Code', 'Day']);
    expect(t.rows.map((r) => r[2])).toEqual(['2020-03-01', '2021-01-01']);
  });

  it('never overwrites one series with another of the same label and entity', () => {
    const t = chartTable([
      series(1, 'Same', 'observed', ['China', 'CHN'], [['2010', 1]]),
      series(2, 'Same', 'observed', ['China', 'CHN'], [['2010', 2]]),
    ]);
    expect(t.header).toEqual(['Entity', 'Code', 'Year', 'Same', 'Same [series 2]']);
    expect(t.rows).toEqual([['China', 'CHN', 2010, 1, 2]]);
  });

  it('leaves out series with nothing in the view', () => {
    const t = chartTable([series(1, 'Empty', 'observed', ['China', 'CHN'], [])]);
    expect(t.header).toEqual(['Entity', 'Code', 'Year']);
    expect(t.rows).toEqual([]);
  });
});
