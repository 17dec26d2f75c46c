// Finding 5 of issue #25: a ratio of 1e300 ÷ 1e-300, or a relative change from a first
// value of 1e-300, gave Infinity; /claims.csv and data.csv?transform=relative answered
// 500, charts got NaN coordinates and the scorecard "+NaN%". A derived or transformed
// value no chart can show is no value: left out, like a ratio over zero.
import { describe, expect, it } from 'vitest';
import { applyFormula, deriveSeries } from '@/lib/domain/derive';
import { transformer, transformPoints } from '@/lib/domain/transform';
import { verdict } from '@/lib/domain/claims';
import { formatPercentError } from '@/lib/domain/format';

describe('derived and transformed values stay finite', () => {
  it('refuses a ratio, share or difference that no chart can show', () => {
    expect(applyFormula('ratio', 1e300, 1e-300)).toEqual({
      ok: false,
      reason: 'the result (Infinity) is outside the values a chart can draw',
    });
    expect(applyFormula('share', 1e300, -1e-300).ok).toBe(false);
    expect(applyFormula('difference', 1e300, -1e300).ok).toBe(false);
    expect(applyFormula('difference', 5e299, -5e299)).toEqual({ ok: true, value: 1e300 });
    expect(applyFormula('ratio', 6, 3)).toEqual({ ok: true, value: 2 });
  });

  it('leaves the point out of a derived series', () => {
    const a = [
      { period: '2000', precision: 'year' as const, value: 1e300 },
      { period: '2001', precision: 'year' as const, value: 4 },
    ];
    const b = [
      { period: '2000', precision: 'year' as const, value: 1e-300 },
      { period: '2001', precision: 'year' as const, value: 2 },
    ];
    const out = deriveSeries('ratio', a, b);
    expect(out.map((p) => p.value)).toEqual([2]);
  });

  it('gives no relative change, index or change from a tiny base', () => {
    for (const t of ['relative', 'index', 'change'] as const) {
      const next = transformer(t);
      next(1, 1e-300);
      expect(next(1, 1e300), t).toBeNull();
    }
    const points = [1e-300, 1e300, 2e-300].map((value) => ({ value, low: null, high: null }));
    for (const t of ['relative', 'index', 'change'] as const)
      for (const p of transformPoints(points, t)) expect(Number.isFinite(p.value), t).toBe(true);
  });

  it('gives a verdict without a percentage against a tiny outcome, never NaN', () => {
    const v = verdict(1e300, 1e-300);
    expect(v.status).toBe('overshot');
    expect(v.error?.percent ?? null).toBeNull();
    expect(verdict(110, 100).error?.percent).toBe(10);
    expect(formatPercentError(10)).toBe('+10.0%');
  });
});
