import { describe, expect, it } from 'vitest';
import {
  conversionTo,
  convertValue,
  findUnit,
  normalizeUnit,
  unstorableValue,
} from '@/lib/domain/units';

const density = { long: 'people per km²', short: 'people/km²' };
const share = { long: 'percent of oil needs', short: '%' };
const oil = { long: 'million tonnes per year', short: 'Mt/yr' };

describe('units', () => {
  it('normalises common spellings', () => {
    expect(normalizeUnit('People per sq. km')).toBe('people per km²');
    expect(normalizeUnit('people / km2')).toBe('people/km²');
    expect(findUnit('people per km^2')?.name).toBe('people per km²');
  });

  it('accepts the indicator’s own unit in either form', () => {
    expect(conversionTo('%', share)).toMatchObject({ ok: true, factor: 1 });
    expect(conversionTo('Percent of oil needs', share)).toMatchObject({ ok: true, factor: 1 });
    expect(conversionTo('people/km2', density)).toMatchObject({ ok: true, factor: 1 });
  });

  it('converts within a dimension, with hand-computed factors', () => {
    const perMi2 = conversionTo('people per square mile', density);
    expect(perMi2.ok && perMi2.factor).toBeCloseTo(1 / 2.589988110336, 12);
    expect(convertValue(259, perMi2.ok ? perMi2.factor : NaN)).toBeCloseTo(100.000459, 5);
    const fraction = conversionTo('fraction', share);
    expect(fraction).toMatchObject({ ok: true, factor: 100 });
    expect(convertValue(0.5, 100)).toBe(50);
    // 1 kb/d = 365,000 bbl a year = 365,000 / 7.33 t = 0.0497954 Mt/yr
    // 1 b/d = 365 bbl a year = 365 / 7.33 t = 4.97954e-5 Mt/yr
    const bd = conversionTo('barrels per day', oil);
    expect(bd.ok && bd.factor).toBeCloseTo(365 / 7.33e6, 15);
    expect(convertValue(14_225_000, bd.ok ? bd.factor : NaN)).toBeCloseTo(708.33902, 4);
    const kbd = conversionTo('kb/d', oil);
    expect(kbd.ok && kbd.factor).toBeCloseTo(365 / 7330, 12);
    expect(convertValue(14000, kbd.ok ? kbd.factor : NaN)).toBeCloseTo(697.135, 3);
  });

  it('refuses a mismatch rather than mixing units', () => {
    const r = conversionTo('kb/d', density);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.reason).toMatch(/cannot be converted/);
    const unknown = conversionTo('furlongs', density);
    expect(!unknown.ok && unknown.reason).toMatch(/not a known convertible unit/);
  });

  it('adds no float noise', () => {
    expect(convertValue(0.1, 3)).toBe(0.3);
    expect(convertValue(0.3, 1)).toBe(0.3);
  });
});

describe('the value rule', () => {
  it('keeps every stored value drawable: finite, and 0 or between 1e-300 and 1e300', () => {
    for (const ok of [0, -0, 1e-300, -1e-300, 1e300, -1e300, 42.5])
      expect(unstorableValue(ok, 'widgets'), `${ok}`).toBeNull();
    for (const bad of [1e-301, 5e-324, 1.1e300, -1e301, Number.MAX_VALUE, NaN, Infinity])
      expect(unstorableValue(bad, 'widgets'), `${bad}`).toMatch(/chart can draw|not a finite/);
  });

  it('keeps them drawable in every unit of their dimension', () => {
    // 1e300 people per km² is 2.59e300 per mi²; 1e-300 per mi² is 3.9e-301 per km².
    expect(unstorableValue(1e300, 'people per km²')).toMatch(/too large to be shown in/);
    expect(unstorableValue(1e-300, 'people per mi²')).toMatch(/too small to be shown in/);
    expect(unstorableValue(1e299, 'people per km²')).toBeNull();
  });
});
