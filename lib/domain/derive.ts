// Derivations: values computed from operand series at read time, so they follow every
// revision of an operand. Pure: the store gathers the operands' observations; these
// functions say what the formula gives, in which unit, and why it cannot be computed.
import { drawable } from './drawable';
import type { Precision } from './kinds';
import { periodToYear } from './period';
import { conversionTo, findUnit, normalizeUnit } from './units';

export const FORMULAS = ['ratio', 'share', 'difference', 'change'] as const;
export type Formula = (typeof FORMULAS)[number];

export const FORMULA_INFO: Record<
  Formula,
  { label: string; expression: string; operands: 1 | 2; description: string }
> = {
  ratio: {
    label: 'Ratio',
    expression: 'a ÷ b',
    operands: 2,
    description: 'a as a multiple of b (“five times the size of France”, “130 against five”).',
  },
  share: {
    label: 'Share not covered',
    expression: '1 − a ÷ b',
    operands: 2,
    description:
      'The part of b that a does not cover, as a share: net import share = 1 − production ÷ consumption.',
  },
  difference: {
    label: 'Difference',
    expression: 'a − b',
    operands: 2,
    description: 'a minus b, in a’s unit (b is converted to it).',
  },
  change: {
    label: 'Change over the previous period',
    expression: 'a(t) − a(t−1)',
    operands: 1,
    description:
      'The change of a from the period before (the year before, for yearly data). A gap in the data gives no value rather than a change over two periods.',
  },
};

export function isFormula(value: string): value is Formula {
  return (FORMULAS as readonly string[]).includes(value);
}

/** "1 − land area (KAZ) ÷ land area (FRA)". */
export function describeFormula(formula: Formula, a: string, b: string | null): string {
  switch (formula) {
    case 'ratio':
      return `${a} ÷ ${b}`;
    case 'share':
      return `1 − ${a} ÷ ${b}`;
    case 'difference':
      return `${a} − ${b}`;
    case 'change':
      return `change in ${a} over the previous period`;
  }
}

export type Computed = { ok: true; value: number } | { ok: false; reason: string };

/**
 * The formula applied to two numbers already in comparable units. For `change`, `a` is the
 * value at t and `b` the value at t − 1. A missing operand (null or undefined) gives a reason,
 * never NaN.
 */
export function applyFormula(
  formula: Formula,
  a: number | null | undefined,
  b: number | null | undefined,
): Computed {
  if (a === null || a === undefined || !Number.isFinite(a))
    return {
      ok: false,
      reason: formula === 'change' ? 'no value for the period' : 'no value of a',
    };
  if (b === null || b === undefined || !Number.isFinite(b))
    return {
      ok: false,
      reason: formula === 'change' ? 'no value for the previous period' : 'no value of b',
    };
  let value: number;
  switch (formula) {
    case 'ratio':
    case 'share':
      if (b === 0) return { ok: false, reason: 'b is zero' };
      value = formula === 'ratio' ? a / b : 1 - a / b;
      break;
    case 'difference':
    case 'change':
      value = a - b;
      break;
  }
  // 1e300 ÷ 1e-300 is Infinity: no chart, table or CSV can show it, so it is no value.
  if (!drawable(value))
    return { ok: false, reason: `the result (${value}) is outside the values a chart can draw` };
  // Twelve significant figures: enough for any published statistic, none of the float noise.
  return { ok: true, value: Number(value.toPrecision(12)) };
}

/** The period before `period` at the same precision: 2004 → 2003, 2004-01 → 2003-12, days too. */
export function previousPeriod(period: string): string {
  const q = /^(\d{4})-Q([1-4])$/.exec(period);
  if (q) return q[2] === '1' ? `${Number(q[1]) - 1}-Q4` : `${q[1]}-Q${Number(q[2]) - 1}`;
  const [y, m, d] = period.split('-').map(Number);
  if (y === undefined || Number.isNaN(y)) return period;
  if (m === undefined) return String(y - 1).padStart(4, '0');
  if (d === undefined) {
    const prev = m === 1 ? [y - 1, 12] : [y, m - 1];
    return `${String(prev[0]).padStart(4, '0')}-${String(prev[1]).padStart(2, '0')}`;
  }
  return new Date(Date.UTC(y, m - 1, d - 1)).toISOString().slice(0, 10);
}

const PER: Record<Precision, string> = {
  year: 'year',
  quarter: 'quarter',
  month: 'month',
  day: 'day',
};

export type OperandUnits = { a: string; b: string | null };

/**
 * The unit a formula's result is in, and the factor that puts b in a's unit before the
 * formula is applied. Ratios of unlike units are allowed (people ÷ km² is a density);
 * shares and differences need b convertible to a.
 */
export function derivedUnit(
  formula: Formula,
  units: OperandUnits,
  precision: Precision = 'year',
): { ok: true; unit: string; bFactor: number } | { ok: false; reason: string } {
  if (formula === 'change')
    return { ok: true, unit: `${units.a} per ${PER[precision]}`, bFactor: 1 };
  if (units.b === null) return { ok: false, reason: 'the formula needs a second operand (b)' };
  const c = conversionTo(units.b, { long: units.a, short: units.a });
  if (c.ok) {
    return {
      ok: true,
      unit: formula === 'difference' ? units.a : 'fraction',
      bFactor: c.factor,
    };
  }
  if (formula === 'ratio') return { ok: true, unit: `${units.a} per ${units.b}`, bFactor: 1 };
  return {
    ok: false,
    reason: `b (${units.b}) cannot be converted to a’s unit (${units.a}), so ${FORMULA_INFO[formula].expression} has no meaning`,
  };
}

/**
 * The factor that takes a derived value to the target indicator's unit. A pure number
 * (a ratio or share) goes into a share unit as a fraction (0.55 → 55%) and into any
 * other unit as a multiple ("× France").
 */
export function derivedToTarget(
  unit: string,
  target: { long: string; short: string },
): { ok: true; factor: number } | { ok: false; reason: string } {
  const c = conversionTo(unit, target);
  if (c.ok) return { ok: true, factor: c.factor };
  const pure = findUnit(unit)?.dimension === 'share' || normalizeUnit(unit) === 'ratio';
  const targetIsShare = (findUnit(target.long) ?? findUnit(target.short))?.dimension === 'share';
  if (pure && !targetIsShare) return { ok: true, factor: 1 };
  return { ok: false, reason: c.reason };
}

export type OperandPoint = { period: string; precision: Precision; value: number };

/**
 * The derived series over every period where the operands allow it: for two-operand
 * formulas, the periods both have; for `change`, each period whose previous one exists.
 * `b` must already be in a's unit (see derivedUnit's bFactor).
 */
export function deriveSeries(
  formula: Formula,
  a: OperandPoint[],
  b: OperandPoint[] | null,
): OperandPoint[] {
  const out: OperandPoint[] = [];
  if (formula === 'change') {
    const byPeriod = new Map(a.map((p) => [p.period, p.value]));
    for (const p of a) {
      const r = applyFormula('change', p.value, byPeriod.get(previousPeriod(p.period)));
      if (r.ok) out.push({ period: p.period, precision: p.precision, value: r.value });
    }
  } else {
    const byPeriod = new Map((b ?? []).map((p) => [p.period, p.value]));
    for (const p of a) {
      const r = applyFormula(formula, p.value, byPeriod.get(p.period));
      if (r.ok) out.push({ period: p.period, precision: p.precision, value: r.value });
    }
  }
  return out.sort((x, y) => periodToYear(x.period) - periodToYear(y.period));
}
