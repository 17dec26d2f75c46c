import { describe, expect, it } from 'vitest';
import {
  nearest,
  periodMidpoint,
  periodWindow,
  pickDerived,
  pickDirect,
  targetReached,
  verdict,
  type Observed,
} from '@/lib/domain/claims';

describe('claim verdicts', () => {
  it('holds within ±10%, inclusive, and otherwise overshoots or undershoots', () => {
    expect(verdict(110, 100)).toEqual({ status: 'held', error: { absolute: 10, percent: 10 } });
    expect(verdict(90, 100)).toEqual({ status: 'held', error: { absolute: -10, percent: -10 } });
    expect(verdict(400, 700)).toMatchObject({ status: 'undershot', error: { absolute: -300 } });
    expect(verdict(400, 700).error!.percent).toBeCloseTo(-42.857142857, 6);
    expect(verdict(130, 100)).toMatchObject({ status: 'overshot', error: { percent: 30 } });
  });

  it('stops holding just past 10%, either way', () => {
    expect(verdict(110.01, 100)).toMatchObject({ status: 'overshot', error: { percent: 10.01 } });
    expect(verdict(89.99, 100)).toMatchObject({ status: 'undershot', error: { percent: -10.01 } });
    expect(verdict(110.001, 100)).toMatchObject({ status: 'overshot', error: { percent: 10.001 } });
    expect(verdict(110.5, 100).status).toBe('overshot');
    expect(verdict(89.5, 100).status).toBe('undershot');
    // Against a negative outcome the error is relative to its size, so the sign stays.
    expect(verdict(-110.01, -100)).toMatchObject({
      status: 'undershot',
      error: { percent: -10.01 },
    });
    expect(verdict(-109.99, -100).status).toBe('held');
  });

  it('has no percent error against an outcome of zero', () => {
    expect(verdict(0, 0)).toEqual({ status: 'held', error: { absolute: 0, percent: null } });
    expect(verdict(1, 0)).toEqual({ status: 'overshot', error: { absolute: 1, percent: null } });
  });
});

describe('the comparable observation', () => {
  const obs = (period: string, recordedAt = '2025-01-01') => ({ period, recordedAt });

  it('is the nearest period within a year', () => {
    expect(nearest('2010', [obs('2007'), obs('2009'), obs('2013')])?.period).toBe('2009');
    expect(nearest('2010', [obs('2007'), obs('2012')])).toBeNull();
    expect(nearest('2010', [obs('2010-06-30'), obs('2011')])?.period).toBe('2010-06-30');
  });

  it('compares the middles of periods: a year’s value beats its first day’s for a yearly target', () => {
    expect(nearest('2020', [obs('2020-01-01'), obs('2020'), obs('2020-12')])?.period).toBe('2020');
    expect(nearest('2020', [obs('2020-01-01'), obs('2020-07-02')])?.period).toBe('2020-07-02');
    expect(nearest('2020-06', [obs('2020'), obs('2020-06-15')])?.period).toBe('2020-06-15');
    expect(periodMidpoint('2020')).toBeCloseTo(2020.5, 9);
    expect(periodMidpoint('2020-01')).toBeCloseTo(2020 + 15.5 / 366, 9);
  });

  it('prefers the later period on a tie, then the newer record', () => {
    expect(nearest('2010', [obs('2009'), obs('2011')])?.period).toBe('2011');
    expect(
      nearest('2010', [obs('2010', '2020-01-01'), obs('2010', '2024-01-01')])?.recordedAt,
    ).toBe('2024-01-01');
  });

  it('is due once the target period is over', () => {
    expect(targetReached('2020', new Date('2026-11-27'))).toBe(true);
    expect(targetReached('2030', new Date('2026-11-27'))).toBe(false);
    expect(targetReached('2010', new Date('2004-06-29'))).toBe(false);
    expect(targetReached('2026', new Date('2026-11-27'))).toBe(false);
    expect(targetReached('2026', new Date('2027-01-01T00:00:00Z'))).toBe(true);
    expect(targetReached('2026-10', new Date('2026-11-27'))).toBe(true);
    expect(targetReached('2026-11', new Date('2026-11-27'))).toBe(false);
    expect(targetReached('2026-11-26', new Date('2026-11-27'))).toBe(true);
  });

  it('reads only the periods the tolerance can reach', () => {
    expect(periodWindow('2020')).toEqual({ from: '2019', to: '2022' });
    expect(periodWindow('2020-06')).toEqual({ from: '2018', to: '2022' });
    expect(periodWindow('2004', 1, 1)).toEqual({ from: '2002', to: '2006' });
    // Text order matches time order for ISO prefixes.
    expect('2019' <= '2019-06-30' && '2021-12-31' < '2022').toBe(true);
  });
});

const at = (period: string, value: number, unit: string, recordedAt = '2026-01-01') =>
  ({ period, value, unit, recordedAt, ref: `${period}:${unit}` }) satisfies Observed<string>;
const mt = { long: 'million tonnes per year', short: 'Mt/yr' };

describe('the outcome of a claim', () => {
  it('converts the nearest observation to the claim’s unit', () => {
    const r = pickDirect('2020', [at('2019', 7759.73, 'TWh'), at('2020', 7916.455, 'TWh')], mt);
    expect(r.ok && r.pick.obs.period).toBe('2020');
    expect(r.ok && r.pick.value).toBeCloseTo(680.693, 3);
  });

  it('is no data when nothing lies near the target, and not comparable when units do not convert', () => {
    expect(pickDirect('2020', [], mt)).toMatchObject({ ok: false, status: 'no-data' });
    expect(pickDirect('2020', [at('2020', 5, 'km²')], mt)).toMatchObject({
      ok: false,
      status: 'not-comparable',
      reason: expect.stringContaining('km²'),
    });
  });

  const share = { long: 'percent of oil needs', short: '%' };
  const production = (c: Observed<string>[]) => ({
    label: 'oil production',
    unit: mt,
    candidates: c,
  });
  const consumption = (c: Observed<string>[]) => ({
    label: 'oil consumption',
    unit: mt,
    candidates: c,
  });

  it('derives a share from two operands at the same period, in the target’s unit', () => {
    const r = pickDerived(
      'share',
      '2010',
      production([at('2010', 2357.22, 'TWh')]),
      consumption([at('2009', 4637.32, 'TWh'), at('2010', 5275.544380555556, 'TWh')]),
      share,
    );
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value).toBeCloseTo(55.318, 3);
    expect(r.picks.map((p) => [p.role, p.pick.obs.period])).toEqual([
      ['a', '2010'],
      ['b', '2010'],
    ]);
  });

  it('waits for the operand that is missing, and says which', () => {
    expect(
      pickDerived('share', '2010', production([]), consumption([at('2010', 1, 'TWh')]), share),
    ).toMatchObject({ ok: false, status: 'waiting-for-operand', operand: 'a' });
    expect(
      pickDerived('share', '2010', production([at('2010', 1, 'TWh')]), consumption([]), share),
    ).toMatchObject({
      ok: false,
      status: 'waiting-for-operand',
      operand: 'b',
      reason: 'no observed oil consumption near 2010',
    });
  });

  it('is not comparable when the operands cannot be combined', () => {
    const area = { label: 'land area', unit: { long: 'km²', short: 'km²' }, candidates: [] };
    expect(
      pickDerived('difference', '2010', production([at('2010', 1, 'TWh')]), area, mt),
    ).toMatchObject({ ok: false, status: 'not-comparable' });
  });

  it('derives the change from the period before, as a rate in the target’s unit', () => {
    const people = { long: 'people', short: 'people' };
    const urban = (c: Observed<string>[]) => ({
      label: 'urban population',
      unit: people,
      candidates: c,
    });
    const perYear = { long: 'million people per year', short: 'M people/yr' };
    const r = pickDerived(
      'change',
      '2004',
      urban([at('2003', 512473984, 'people'), at('2004', 533257098, 'people')]),
      null,
      perYear,
    );
    expect(r.ok && r.value).toBeCloseTo(20.783114, 6);
    expect(r.ok && r.picks.map((p) => p.role)).toEqual(['a', 'a(t−1)']);
    expect(
      pickDerived('change', '2004', urban([at('2004', 533257098, 'people')]), null, perYear),
    ).toMatchObject({ ok: false, status: 'waiting-for-operand', operand: 'a' });
  });
});
