import { describe, expect, it } from 'vitest';
import { nearest, targetReached, verdict } from '@/lib/domain/claims';

describe('claim verdicts', () => {
  it('holds within ±10%, inclusive, and otherwise overshoots or undershoots', () => {
    expect(verdict(110, 100)).toEqual({ status: 'held', error: { absolute: 10, percent: 10 } });
    expect(verdict(90, 100)).toEqual({ status: 'held', error: { absolute: -10, percent: -10 } });
    expect(verdict(400, 700)).toMatchObject({ status: 'undershot', error: { absolute: -300 } });
    expect(verdict(400, 700).error!.percent).toBeCloseTo(-42.857142857, 6);
    expect(verdict(130, 100)).toMatchObject({ status: 'overshot', error: { percent: 30 } });
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

  it('prefers the later period on a tie, then the newer record', () => {
    expect(nearest('2010', [obs('2009'), obs('2011')])?.period).toBe('2011');
    expect(
      nearest('2010', [obs('2010', '2020-01-01'), obs('2010', '2024-01-01')])?.recordedAt,
    ).toBe('2024-01-01');
  });

  it('knows when a target has been reached', () => {
    expect(targetReached('2020', new Date('2026-11-27'))).toBe(true);
    expect(targetReached('2030', new Date('2026-11-27'))).toBe(false);
    expect(targetReached('2010', new Date('2004-06-29'))).toBe(false);
  });
});
