// Scoring a claim against what happened. Pure: the data layer gathers claims and
// observations; these rules decide which observation compares and what the verdict is.
import { periodToYear } from './period';

/** A claim held if it is within ±10% of the outcome. */
export const HELD_TOLERANCE = 0.1;
/** An observation compares with a claim if its period is within a year of the target. */
export const PERIOD_TOLERANCE_YEARS = 1;

export const CLAIM_STATUSES = [
  'held',
  'overshot',
  'undershot',
  'pending',
  'not-comparable',
] as const;
export type ClaimStatus = (typeof CLAIM_STATUSES)[number];

export const STATUS_LABELS: Record<ClaimStatus, string> = {
  held: 'Held',
  overshot: 'Overshot',
  undershot: 'Undershot',
  pending: 'Pending',
  'not-comparable': 'Not comparable',
};

export const STATUS_RULES: Record<ClaimStatus, string> = {
  held: `within ±${HELD_TOLERANCE * 100}% of the outcome`,
  overshot: `higher than the outcome by more than ${HELD_TOLERANCE * 100}%`,
  undershot: `lower than the outcome by more than ${HELD_TOLERANCE * 100}%`,
  pending: `the target period has not been reached, or no observation lies within ${PERIOD_TOLERANCE_YEARS} year of it`,
  'not-comparable':
    'the outcome cannot be put in the claim’s unit, or an operand of a derived claim has no data',
};

export type Candidate = { period: string; recordedAt: string };

/**
 * The observation nearest the target period, within the tolerance. Ties go to the
 * later period, then to the most recently recorded one (the newer data).
 */
export function nearest<T extends Candidate>(
  target: string,
  candidates: T[],
  toleranceYears = PERIOD_TOLERANCE_YEARS,
): T | null {
  const t = periodToYear(target);
  let best: T | null = null;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const d = Math.abs(periodToYear(c.period) - t);
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
  const percent =
    outcome === 0 ? null : Number(((absolute / Math.abs(outcome)) * 100).toPrecision(12));
  let status: ClaimStatus;
  if (percent === null) status = absolute === 0 ? 'held' : absolute > 0 ? 'overshot' : 'undershot';
  else if (Math.abs(percent) <= HELD_TOLERANCE * 100 + 1e-9) status = 'held';
  else status = absolute > 0 ? 'overshot' : 'undershot';
  return { status, error: { absolute, percent } };
}

/** Whether the target period lies after `now`: a projection for 2030 is pending in 2026. */
export function targetReached(target: string, now: Date): boolean {
  return periodToYear(target) <= now.getUTCFullYear() + now.getUTCMonth() / 12;
}
