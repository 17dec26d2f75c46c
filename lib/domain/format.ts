import type { SeriesKind } from './kinds';

/**
 * Shows at least the indicator's decimals and never hides a stored digit:
 * a table must show the same number that was recorded.
 */
export function formatValue(value: number, decimals: number): string {
  return new Intl.NumberFormat('en-US', {
    minimumFractionDigits: decimals,
    maximumFractionDigits: Math.max(decimals, 6),
  }).format(value);
}

export function formatWithUnit(value: number, decimals: number, unitShort: string): string {
  const n = formatValue(value, decimals);
  return unitShort === '%' ? `${n}%` : `${n} ${unitShort}`;
}

const KIND_PHRASES: Record<SeriesKind, (period: string) => string> = {
  projection: (p) => `projected for ${p}`,
  reported: (p) => `reported, ${p}`,
  observed: (p) => `observed, ${p}`,
  derived: (p) => `derived, ${p}`,
};

/** "projected for 2020", "reported, 2004". */
export function kindPhrase(kind: SeriesKind, period: string): string {
  return KIND_PHRASES[kind](period);
}

export const KIND_LABELS: Record<SeriesKind, string> = {
  projection: 'Projection',
  reported: 'Reported',
  observed: 'Observed',
  derived: 'Derived',
};
