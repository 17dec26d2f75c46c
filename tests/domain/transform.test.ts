import { describe, expect, it } from 'vitest';
import { transformer, transformPoints, transformUnit } from '@/lib/domain/transform';

const points = (values: number[]) =>
  values.map((value, i) => ({ period: String(2000 + i), value, low: null, high: null }));

describe('transforms', () => {
  it('relative change is the percent change since the first value in view', () => {
    expect(transformPoints(points([50, 75, 25]), 'relative').map((p) => p.value)).toEqual([
      0, 50, -50,
    ]);
  });

  it('index puts the first value in view at 100', () => {
    expect(transformPoints(points([50, 75, 25]), 'index').map((p) => p.value)).toEqual([
      100, 150, 50,
    ]);
  });

  it('the change on the previous period has no first value', () => {
    const out = transformPoints(points([50, 75, 25]), 'change');
    expect(out.map((p) => [p.period, p.value])).toEqual([
      ['2001', 50],
      ['2002', -66.67],
    ]);
  });

  it('a change from zero has no value', () => {
    expect(transformPoints(points([0, 5]), 'relative')).toEqual([]);
    expect(transformPoints(points([5, 0, 5]), 'change').map((p) => p.value)).toEqual([-100]);
  });

  it('keeps one memory per series, so interleaved series do not mix', () => {
    const t = transformer('change');
    expect([t(1, 10), t(2, 100), t(1, 20), t(2, 50)]).toEqual([null, null, 100, -50]);
  });

  it('names the unit of transformed values', () => {
    const unit = { long: 'people per km²', short: 'people/km²' };
    expect(transformUnit('absolute', unit)).toBe(unit);
    expect(transformUnit('relative', unit).short).toBe('%');
    expect(transformUnit('index', unit).long).toMatch(/first year in view = 100/);
  });
});
