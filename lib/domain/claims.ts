// Scoring a claim against what happened. Pure: the data layer gathers claims and
// observations; these rules decide which observation compares and what the verdict is.
import { applyFormula, derivedToTarget, derivedUnit, previousPeriod, type Formula } from './derive';
import { drawable } from './drawable';
import { conversionTo, convertValue } from './units';

/** A claim held if it is within ±10% of the outcome. */
export const HELD_TOLERANCE = 0.1;
/** An observation compares with a claim if its period is within a year of the target. */
export const PERIOD_TOLERANCE_YEARS = 1;

export const CLAIM_STATUSES = [
  'held',
  'overshot',
  'undershot',
  'not-yet-due',
  'no-data',
  'waiting-for-operand',
  'not-comparable',
] as const;
export type ClaimStatus = (typeof CLAIM_STATUSES)[number];

/** Statuses with a verdict; the others say why there is none yet. */
export const SCORED_STATUSES: readonly ClaimStatus[] = ['held', 'overshot', 'undershot'];

export const STATUS_LABELS: Record<ClaimStatus, string> = {
  held: 'Held',
  overshot: 'Overshot',
  undershot: 'Undershot',
  'not-yet-due': 'Not yet due',
  'no-data': 'No data',
  'waiting-for-operand': 'Waiting for operand data',
  'not-comparable': 'Not comparable',
};

export const STATUS_RULES: Record<ClaimStatus, string> = {
  held: `within ±${HELD_TOLERANCE * 100}% of the outcome`,
  overshot: `higher than the outcome by more than ${HELD_TOLERANCE * 100}%`,
  undershot: `lower than the outcome by more than ${HELD_TOLERANCE * 100}%`,
  'not-yet-due': 'the target period is still in the future',
  'no-data': `the target period has passed, but no observed value lies within ${PERIOD_TOLERANCE_YEARS} year of it`,
  'waiting-for-operand':
    'the outcome is derived from operand series, and one of them has no value near the target period yet',
  'not-comparable':
    'the observed values are in a unit that cannot be converted to the claim’s (or a derivation’s operands cannot be combined)',
};

/**
 * The periods a query must fetch to find every candidate `nearest` could pick: whole
 * years from the earliest to the latest the tolerance reaches, as ISO-prefix bounds
 * (`from` inclusive, `to` exclusive), which compare correctly as text ("2019" ≤
 * "2019-06-30" < "2022").
 */
export function periodWindow(
  target: string,
  toleranceYears = PERIOD_TOLERANCE_YEARS,
  extraBefore = 0,
): { from: string; to: string } {
  const t = periodMidpoint(target);
  const lo = Math.floor(t - toleranceYears - extraBefore - 0.5 + 1e-9);
  const hi = Math.floor(t + toleranceYears + 1e-9);
  const pad = (y: number) => String(Math.max(0, y)).padStart(4, '0');
  return { from: pad(lo), to: pad(hi + 1) };
}

export type Candidate = { period: string; recordedAt: string };

/**
 * The middle of a period as a fractional year: 2020 → 2020.5, 2020-01 → about 2020.04.
 * Distances between middles make a year's value nearer a yearly target than the value
 * of its first day or month is.
 */
export function periodMidpoint(period: string): number {
  const [y, m, d] = period.split('-').map(Number);
  if (y === undefined || Number.isNaN(y)) return NaN;
  const start = m === undefined ? Date.UTC(y, 0, 1) : Date.UTC(y, m - 1, d ?? 1);
  const end =
    m === undefined ? Date.UTC(y + 1, 0, 1) : d === undefined ? Date.UTC(y, m, 1) : start + 864e5;
  const mid = (start + end) / 2;
  const year = new Date(mid).getUTCFullYear();
  const y0 = Date.UTC(year, 0, 1);
  return year + (mid - y0) / (Date.UTC(year + 1, 0, 1) - y0);
}

/**
 * The observation nearest the target period, within the tolerance, comparing the middles
 * of periods (so the yearly value of 2020 is nearer a 2020 target than 1 January 2020
 * is). Ties go to the later period, then to the most recently recorded one (the newer data).
 */
export function nearest<T extends Candidate>(
  target: string,
  candidates: T[],
  toleranceYears = PERIOD_TOLERANCE_YEARS,
): T | null {
  const t = periodMidpoint(target);
  let best: T | null = null;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const d = Math.abs(periodMidpoint(c.period) - t);
    if (d > toleranceYears + 1e-9) continue;
    const better =
      d < bestDistance - 1e-9 ||
      (Math.abs(d - bestDistance) < 1e-9 &&
        best !== null &&
        (c.period > best.period || (c.period === best.period && c.recordedAt > best.recordedAt)));
    if (better || best === null) {
      best = c;
      bestDistance = d;
    }
  }
  return best;
}

export type Verdict = {
  status: ClaimStatus;
  error: { absolute: number; percent: number | null } | null;
};

/** The verdict on a claimed value given the outcome in the same unit. */
export function verdict(claimed: number, outcome: number): Verdict {
  const absolute = Number((claimed - outcome).toPrecision(12));
  // Against an outcome of 1e-300 the percentage is Infinity: there is none to show.
  const ratio = outcome === 0 ? NaN : (absolute / Math.abs(outcome)) * 100;
  const percent = Number.isFinite(ratio) ? Number(ratio.toPrecision(12)) : null;
  if (!Number.isFinite(absolute))
    return { status: claimed > outcome ? 'overshot' : 'undershot', error: null };
  let status: ClaimStatus;
  if (percent === null) status = absolute === 0 ? 'held' : absolute > 0 ? 'overshot' : 'undershot';
  else if (Math.abs(percent) <= HELD_TOLERANCE * 100 + 1e-9) status = 'held';
  else status = absolute > 0 ? 'overshot' : 'undershot';
  return { status, error: { absolute, percent } };
}

/**
 * Whether the target period is over by `now`: a projection "by 2026" is not yet due
 * until 2026 has ended, and one for June 2026 until June has.
 */
export function targetReached(target: string, now: Date): boolean {
  const [y, m, d] = target.split('-').map(Number);
  if (y === undefined || Number.isNaN(y)) return false;
  const end =
    m === undefined
      ? Date.UTC(y + 1, 0, 1)
      : d === undefined
        ? Date.UTC(y, m, 1)
        : Date.UTC(y, m - 1, d + 1);
  return now.getTime() >= end;
}

/** An observed value offered as an outcome, in the unit it was recorded in. */
export type Observed<T> = Candidate & { value: number; unit: string; ref: T };
/** An observed value put in the unit a comparison needs. */
export type Picked<T> = { obs: Observed<T>; value: number; factor: number };

type UnitPair = { long: string; short: string };

/** The candidates that convert to `to`, converted; and the units of those that do not. */
export function convertCandidates<T>(
  candidates: Observed<T>[],
  to: UnitPair,
): { converted: Picked<T>[]; unconvertible: string[] } {
  const converted: Picked<T>[] = [];
  const unconvertible = new Set<string>();
  for (const obs of candidates) {
    const c = conversionTo(obs.unit, to);
    if (!c.ok) unconvertible.add(obs.unit);
    else converted.push({ obs, factor: c.factor, value: convertValue(obs.value, c.factor) });
  }
  return { converted, unconvertible: [...unconvertible] };
}

export type Unscored = {
  ok: false;
  status: 'no-data' | 'waiting-for-operand' | 'not-comparable';
  reason: string;
  /** The operand that is missing, for a derived outcome. */
  operand?: 'a' | 'b';
  /** Near which period a value would score the claim. */
  near: string;
};

/** The observation that scores a claim directly: the nearest comparable one, in the claim's unit. */
export function pickDirect<T>(
  target: string,
  candidates: Observed<T>[],
  claimUnit: UnitPair,
): { ok: true; pick: Picked<T> } | Unscored {
  const { converted, unconvertible } = convertCandidates(candidates, claimUnit);
  const pick = nearest(
    target,
    converted.map((p) => ({ period: p.obs.period, recordedAt: p.obs.recordedAt, p })),
  )?.p;
  if (pick) return { ok: true, pick };
  if (unconvertible.length > 0)
    return {
      ok: false,
      status: 'not-comparable',
      reason: `the observed values are in ${unconvertible.join(', ')}, which cannot be converted to ${claimUnit.long}`,
      near: target,
    };
  return {
    ok: false,
    status: 'no-data',
    reason: `no observed value within ${PERIOD_TOLERANCE_YEARS} year of ${target}`,
    near: target,
  };
}

export type Operand<T> = {
  /** "land area of France", for reasons. */
  label: string;
  /** The operand indicator's unit: every value is put in it first. */
  unit: UnitPair;
  candidates: Observed<T>[];
};

export type DerivedPick<T> = {
  ok: true;
  value: number;
  period: string;
  /** Unit of the formula's result, before it is put in the target's unit. */
  unit: string;
  factor: number;
  picks: { role: 'a' | 'b' | 'a(t−1)'; pick: Picked<T> }[];
};

/** Why a derived value in the claim's unit cannot be compared: no chart or CSV could show it. */
const outOfRange = (value: number) =>
  `the derived value in the claim's unit (${value}) is outside the values a chart can draw`;

/**
 * A derivation's outcome near `target`, in the target's unit. The first operand is the
 * observation nearest the target; the second is taken nearest the first one's period
 * (for `change`, exactly the period before), so the formula compares like with like.
 */
export function pickDerived<T>(
  formula: Formula,
  target: string,
  a: Operand<T>,
  b: Operand<T> | null,
  targetUnit: UnitPair,
): DerivedPick<T> | Unscored {
  const unscored = (
    status: Unscored['status'],
    reason: string,
    operand?: 'a' | 'b',
    near = target,
  ): Unscored => ({ ok: false, status, reason, operand, near });
  const du = derivedUnit(formula, { a: a.unit.long, b: b?.unit.long ?? null });
  if (!du.ok) return unscored('not-comparable', du.reason);
  const toTarget = derivedToTarget(du.unit, targetUnit);
  if (!toTarget.ok) return unscored('not-comparable', toTarget.reason);

  const ca = convertCandidates(a.candidates, a.unit);
  const pickNear = (period: string, list: Picked<T>[]) =>
    nearest(
      period,
      list.map((p) => ({ period: p.obs.period, recordedAt: p.obs.recordedAt, p })),
    )?.p;

  if (formula === 'change') {
    // The newest record of each period, then the change at each period whose previous one exists.
    const byPeriod = new Map<string, Picked<T>>();
    for (const p of ca.converted) {
      const held = byPeriod.get(p.obs.period);
      if (!held || p.obs.recordedAt > held.obs.recordedAt) byPeriod.set(p.obs.period, p);
    }
    const withPrevious = [...byPeriod.values()].filter((p) =>
      byPeriod.has(previousPeriod(p.obs.period)),
    );
    const now = pickNear(target, withPrevious);
    if (!now) {
      const what = byPeriod.size
        ? `no two consecutive observed values of ${a.label} near ${target}`
        : `no observed ${a.label} near ${target}`;
      return unscored('waiting-for-operand', what, 'a');
    }
    const before = byPeriod.get(previousPeriod(now.obs.period))!;
    const r = applyFormula('change', now.value, before.value);
    if (!r.ok) return unscored('waiting-for-operand', r.reason, 'a');
    const value = convertValue(r.value, toTarget.factor);
    if (!drawable(value)) return unscored('not-comparable', outOfRange(value));
    return {
      ok: true,
      value,
      period: now.obs.period,
      unit: du.unit,
      factor: toTarget.factor,
      picks: [
        { role: 'a', pick: now },
        { role: 'a(t−1)', pick: before },
      ],
    };
  }

  if (!b) return unscored('not-comparable', 'the formula needs a second operand (b)');
  const fa = pickNear(target, ca.converted);
  if (!fa) {
    if (ca.unconvertible.length)
      return unscored(
        'not-comparable',
        `${a.label} is recorded in ${ca.unconvertible.join(', ')}, which cannot be converted to ${a.unit.long}`,
      );
    return unscored('waiting-for-operand', `no observed ${a.label} near ${target}`, 'a');
  }
  const cb = convertCandidates(b.candidates, b.unit);
  const fb = pickNear(fa.obs.period, cb.converted);
  if (!fb) {
    if (cb.unconvertible.length)
      return unscored(
        'not-comparable',
        `${b.label} is recorded in ${cb.unconvertible.join(', ')}, which cannot be converted to ${b.unit.long}`,
      );
    return unscored(
      'waiting-for-operand',
      `no observed ${b.label} near ${fa.obs.period}`,
      'b',
      fa.obs.period,
    );
  }
  const r = applyFormula(formula, fa.value, convertValue(fb.value, du.bFactor));
  if (!r.ok) return unscored('not-comparable', `${b.label} ${fb.obs.period}: ${r.reason}`);
  const value = convertValue(r.value, toTarget.factor);
  if (!drawable(value)) return unscored('not-comparable', outOfRange(value));
  return {
    ok: true,
    value,
    period: fa.obs.period,
    unit: du.unit,
    factor: toTarget.factor,
    picks: [
      { role: 'a', pick: fa },
      { role: 'b', pick: fb },
    ],
  };
}
