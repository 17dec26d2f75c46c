import type { SeriesKind } from './kinds';

/** Small values keep this many significant figures, whatever the indicator's decimals. */
export const SIGNIFICANT_FIGURES = 3;
const MAX_DECIMALS = 6;

/**
 * How many decimals a reader needs: the indicator's, or more for a small value so that
 * it keeps three significant figures (5.56 people/km², not 6), never more than six.
 * Downloads keep full precision; this is for what people read.
 */
export function displayDecimals(value: number, decimals: number): number {
  if (!Number.isFinite(value) || value === 0) return decimals;
  const magnitude = Math.floor(Math.log10(Math.abs(value)));
  const forFigures = SIGNIFICANT_FIGURES - 1 - magnitude;
  return Math.max(decimals, Math.min(forFigures, MAX_DECIMALS));
}

/**
 * A value as a reader expects it on cards, tables, tooltips, claims and chart labels:
 * rounded to the indicator's decimals (48%, 138 people/km²), with three significant
 * figures for small values (5.56, 0.584).
 */
export function formatValue(value: number, decimals: number): string {
  return numberFormat(decimals, displayDecimals(value, decimals)).format(value);
}

// Building an Intl.NumberFormat costs far more than formatting with one (it was 8% of
// an indicator page's server time), and only a few decimal settings ever occur.
const formats = new Map<string, Intl.NumberFormat>();
function numberFormat(min: number, max: number): Intl.NumberFormat {
  const key = `${min}:${max}`;
  let f = formats.get(key);
  if (!f) {
    f = new Intl.NumberFormat('en-US', {
      minimumFractionDigits: min,
      maximumFractionDigits: max,
    });
    formats.set(key, f);
  }
  return f;
}

/**
 * A value exactly as recorded, grouped for reading: where a revision's history must show
 * every digit (670.5 revised to 670.6 is a change a rounded table would hide).
 */
export function formatRecorded(value: number): string {
  return numberFormat(0, 20).format(value);
}

export function formatWithUnit(value: number, decimals: number, unitShort: string): string {
  const n = formatValue(value, decimals);
  return unitShort === '%' || unitShort === '×' ? `${n}${unitShort}` : `${n} ${unitShort}`;
}

const MINUS = '\u2212';

/** With its sign always shown, and a true minus: "+5.3", "−308". */
export function formatSigned(value: number, decimals: number): string {
  const n = formatValue(Math.abs(value), decimals);
  if (n.replace(/[0.,]/g, '') === '') return n;
  return `${value < 0 ? MINUS : '+'}${n}`;
}

/** A percentage error, to one decimal: "−41.2%", "+4.7%". */
export function formatPercentError(percent: number): string {
  const n = Math.abs(percent).toFixed(1);
  if (Number(n) === 0) return '0.0%';
  return `${percent < 0 ? MINUS : '+'}${n}%`;
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
