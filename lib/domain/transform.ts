// Transforms of the values in view, as OWID's grapher and FRED offer them: the values
// as recorded, the change since the first year in view (OWID's "relative change"),
// the change on the previous period, and an index with the first year in view at 100.
// Each is computed per series, from the series' values in period order; the chart,
// the table and the chart CSV all go through `transformer`, so they agree.
import { drawable } from './drawable';

export const TRANSFORMS = ['absolute', 'relative', 'change', 'index'] as const;
export type Transform = (typeof TRANSFORMS)[number];

export function isTransform(v: unknown): v is Transform {
  return typeof v === 'string' && (TRANSFORMS as readonly string[]).includes(v);
}

export const TRANSFORM_LABELS: Record<Transform, { label: string; description: string }> = {
  absolute: { label: 'Values', description: 'the values as recorded' },
  relative: {
    label: 'Relative change',
    description: 'the change since the first year in view, in percent',
  },
  change: {
    label: '% on previous',
    description: 'the change on the previous period, in percent',
  },
  index: { label: 'Index', description: 'an index, with the first year in view at 100' },
};

/** The unit of transformed values: the indicator's (or the chosen) unit for absolute values. */
export function transformUnit(
  t: Transform,
  unit: { long: string; short: string },
): { long: string; short: string } {
  switch (t) {
    case 'absolute':
      return unit;
    case 'relative':
      return { long: '% change since the first year in view', short: '%' };
    case 'change':
      return { long: '% change on the previous period', short: '%' };
    case 'index':
      return { long: 'index, first year in view = 100', short: 'index' };
  }
}

/** Decimals transformed values are shown with: percentages and indexes to a tenth. */
export function transformDecimals(t: Transform, decimals: number): number {
  return t === 'absolute' ? decimals : 1;
}

/**
 * Transformed values keep two decimals: enough for a percentage, free of float noise.
 * A result no chart can show (1e300 against a first value of 1e-300 is Infinity) is null.
 */
const round = (v: number): number | null => {
  const r = Math.round(v * 100) / 100;
  return drawable(r) ? r : null;
};

/** Relative change or index of `value` against a series' first value; null from zero. */
export function fromBase(t: 'relative' | 'index', base: number, value: number): number | null {
  if (base === 0) return null;
  return t === 'index' ? round((value / base) * 100) : round((value / base - 1) * 100);
}

/**
 * A transform with a memory per series: feed it each series' values in period order
 * (series may interleave, as in the CSV's entity-then-period order). It answers null
 * where a value has no meaning: the first period of "change on previous", or a change
 * from zero.
 */
export function transformer(t: Transform): (seriesId: number, value: number) => number | null {
  if (t === 'absolute') return (_id, v) => v;
  const memory = new Map<number, number>();
  if (t === 'change')
    return (id, v) => {
      const previous = memory.get(id);
      memory.set(id, v);
      return previous === undefined || previous === 0 ? null : round((v / previous - 1) * 100);
    };
  return (id, v) => {
    const base = memory.get(id);
    if (base === undefined) memory.set(id, v);
    return fromBase(t, base ?? v, v);
  };
}

type Point = { value: number; low: number | null; high: number | null };

/**
 * One series' points (in period order) transformed; points without a transformed value
 * are left out. Bounds follow the value for relative change and index; for the change
 * on the previous period they have no meaning and are dropped.
 */
export function transformPoints<P extends Point>(points: P[], t: Transform): P[] {
  if (t === 'absolute' || points.length === 0) return points;
  const first = points[0]!.value;
  const next = transformer(t);
  const bound = (v: number | null) => (v === null || t === 'change' ? null : fromBase(t, first, v));
  const out: P[] = [];
  for (const p of points) {
    const value = next(0, p.value);
    if (value === null) continue;
    out.push({ ...p, value, low: bound(p.low), high: bound(p.high) });
  }
  return out;
}
