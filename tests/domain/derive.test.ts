import { describe, expect, it } from 'vitest';
import {
  applyFormula,
  derivedToTarget,
  derivedUnit,
  deriveSeries,
  describeFormula,
  previousPeriod,
} from '@/lib/domain/derive';

describe('derivation formulas', () => {
  it('ratio: a ÷ b', () => {
    expect(applyFormula('ratio', 2699700, 538950)).toEqual({ ok: true, value: 5.00918452547 });
    expect(applyFormula('ratio', 130, 5)).toEqual({ ok: true, value: 26 });
  });

  it('share: 1 − a ÷ b (net import share from production and consumption)', () => {
    const r = applyFormula('share', 2357.22, 5275.544380555556);
    expect(r.ok && r.value).toBeCloseTo(0.5531798, 6);
    expect(applyFormula('share', 3, 4)).toEqual({ ok: true, value: 0.25 });
  });

  it('difference: a − b', () => {
    expect(applyFormula('difference', 10, 2.5)).toEqual({ ok: true, value: 7.5 });
    expect(applyFormula('difference', 0.3, 0.1)).toEqual({ ok: true, value: 0.2 });
  });

  it('change: a(t) − a(t−1)', () => {
    expect(applyFormula('change', 554367818, 533257098)).toEqual({ ok: true, value: 21110720 });
  });

  it('gives a reason, never NaN, for a missing operand or a zero divisor', () => {
    expect(applyFormula('ratio', 5, null)).toEqual({ ok: false, reason: 'no value of b' });
    expect(applyFormula('share', undefined, 4)).toEqual({ ok: false, reason: 'no value of a' });
    expect(applyFormula('difference', 1, Number.NaN)).toEqual({
      ok: false,
      reason: 'no value of b',
    });
    expect(applyFormula('change', 5, undefined)).toEqual({
      ok: false,
      reason: 'no value for the previous period',
    });
    expect(applyFormula('ratio', 5, 0)).toEqual({ ok: false, reason: 'b is zero' });
    expect(applyFormula('share', 5, 0)).toEqual({ ok: false, reason: 'b is zero' });
  });

  it('says what it computes', () => {
    expect(describeFormula('share', 'oil production', 'oil consumption')).toBe(
      '1 − oil production ÷ oil consumption',
    );
    expect(describeFormula('change', 'urban population', null)).toBe(
      'change in urban population over the previous period',
    );
  });
});

describe('periods and series', () => {
  it('steps back one period at the same precision', () => {
    expect(previousPeriod('2004')).toBe('2003');
    expect(previousPeriod('2004-01')).toBe('2003-12');
    expect(previousPeriod('2004-06')).toBe('2004-05');
    expect(previousPeriod('2004-03-01')).toBe('2004-02-29');
    expect(previousPeriod('2005-01-01')).toBe('2004-12-31');
  });

  const p = (period: string, value: number) => ({ period, precision: 'year' as const, value });

  it('derives a series where both operands have the period', () => {
    expect(
      deriveSeries('ratio', [p('2003', 10), p('2004', 12)], [p('2004', 4), p('2005', 5)]),
    ).toEqual([p('2004', 3)]);
  });

  it('derives changes only where the previous period exists: a gap gives no value', () => {
    expect(deriveSeries('change', [p('2001', 10), p('2002', 13), p('2004', 20)], null)).toEqual([
      p('2002', 3),
    ]);
  });
});

describe('derived units', () => {
  it('puts b in a’s unit and gives shares as fractions', () => {
    expect(
      derivedUnit('share', { a: 'million tonnes per year', b: 'terawatt-hours per year' }),
    ).toMatchObject({ ok: true, unit: 'fraction', bFactor: expect.closeTo(1 / 11.63, 9) });
    expect(derivedUnit('difference', { a: 'km²', b: 'km²' })).toEqual({
      ok: true,
      unit: 'km²',
      bFactor: 1,
    });
  });

  it('lets a ratio of unlike units make a new unit, but not a difference', () => {
    expect(derivedUnit('ratio', { a: 'people', b: 'km²' })).toEqual({
      ok: true,
      unit: 'people per km²',
      bFactor: 1,
    });
    expect(derivedUnit('difference', { a: 'people', b: 'km²' })).toMatchObject({ ok: false });
    expect(derivedUnit('ratio', { a: 'people', b: null })).toMatchObject({ ok: false });
  });

  it('makes a change a rate per period', () => {
    expect(derivedUnit('change', { a: 'people', b: null })).toMatchObject({
      ok: true,
      unit: 'people per year',
    });
  });

  it('puts a derived value in the target indicator’s unit', () => {
    expect(derivedToTarget('fraction', { long: 'percent of oil needs', short: '%' })).toEqual({
      ok: true,
      factor: 100,
    });
    expect(
      derivedToTarget('fraction', { long: 'times the area of France', short: '× France' }),
    ).toEqual({ ok: true, factor: 1 });
    expect(
      derivedToTarget('people per year', { long: 'million people per year', short: 'M people/yr' }),
    ).toEqual({ ok: true, factor: 1e-6 });
    expect(derivedToTarget('km²', { long: 'percent', short: '%' })).toMatchObject({ ok: false });
  });
});
