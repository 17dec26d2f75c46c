// Quantities in text: a value (or a range), its unit as written and as Sourced's registry
// names it, and what the text says about the value (exact, approximate, a bound, a change).
//
// Conventions: values are plain numbers, magnitudes applied ("$800 million" → 800000000).
// Fractions in words ("half of its oil needs", "a third", "two-thirds", "one in five") are
// shares, given in percent (50, 33.33…, 66.66…, 20) with unit null and unitNormalized
// "percent", since percent is how Sourced's share indicators are kept. "five times",
// "twice", "fivefold" are ratios with unitNormalized "times".
import { changeCue, type Change } from './change';
import { notQuantityTest } from './not-quantities';
import { MAGNITUDES, numberTokens, type NumberToken } from './numbers';
import { sentences } from './sentences';
import { registryName, unitOf, type UnitMatch } from './units';

export type QuantityValue = number | { low: number; high: number };

export type Quantity = {
  start: number;
  end: number;
  text: string;
  value: QuantityValue;
  unit: string | null;
  unitNormalized: string | null;
  change: Change;
};

type Candidate = {
  token: NumberToken;
  unit: UnitMatch | null;
  /** The normalised unit when it does not come from a unit word (fractions, multipliers). */
  implied: string | null;
  start: number;
  end: number;
  value: QuantityValue;
};

function candidate(text: string, token: NumberToken): Candidate {
  const base = { token, start: token.start, end: token.end };
  if (token.fraction) return { ...base, unit: null, implied: 'percent', value: token.value * 100 };
  if (token.multiplier) return { ...base, unit: null, implied: 'times', value: token.value };
  const unit = unitOf(text, token.start, token.end);
  const start = Math.min(token.start, unit?.start ?? token.start);
  const end = Math.max(token.end, unit?.end ?? token.end);
  return { ...base, unit, implied: null, start, end, value: token.value };
}

/** Numbers in words that are rarely amounts: "one of the", "the first half". */
function isIdiomaticWordNumber(text: string, c: Candidate): boolean {
  const { token } = c;
  if (!token.words || token.multiplier) return false;
  const written = text.slice(token.start, token.end).toLowerCase();
  if (written === 'one' && !c.unit?.measure) return true;
  if (!token.fraction || /\bin\b/.test(written)) return false;
  const before = text.slice(Math.max(0, token.start - 30), token.start);
  if (/\b(?:first|second|third|last|next|latter|former|other|the)\s+$/i.test(before)) return true;
  const after = text.slice(token.end, token.end + 10);
  return !/^\s+(?:of|as)\b/i.test(after) && !/\bby\s+(?:[\w-]+\s+){0,3}$/i.test(before);
}

const RANGE_BEFORE = /\b(between|from)\s+(?:[$€£¥]\s?)?$/i;

/** The low end of a range, in the high end's magnitude when only the high end has one. */
function lowValue(a: NumberToken, b: NumberToken): number {
  if (a.magnitude || !b.magnitude) return a.value;
  return a.value * (MAGNITUDES[b.magnitude] ?? 1);
}

/** Two numbers that are one range: "between 10 and 20 million", "10-20%", "$16bn to $17bn". */
function asRange(text: string, a: Candidate, b: Candidate): Candidate | null {
  if (typeof a.value !== 'number' || typeof b.value !== 'number') return null;
  if (a.token.fraction || b.token.fraction) return null;
  const joiner = text.slice(a.end, b.unit && b.unit.start < b.token.start ? b.unit.start : b.start);
  const opener = RANGE_BEFORE.exec(text.slice(0, a.start))?.[1]?.toLowerCase();
  const sameUnit = !!a.unit && a.unit.canonical === b.unit?.canonical;
  const ok =
    (/^\s*and\s*$/i.test(joiner) && opener === 'between') ||
    (/^\s*to\s*$/i.test(joiner) && (opener === 'from' || opener === 'between' || sameUnit)) ||
    (/^\s*[-–—]\s*$/.test(joiner) && (!a.unit || sameUnit));
  const low = lowValue(a.token, b.token);
  if (!ok || !(low < b.value)) return null;
  const start = opener ? text.slice(0, a.start).search(RANGE_BEFORE) : a.start;
  const range = { low, high: b.value };
  return { ...b, unit: b.unit ?? a.unit, start, value: range };
}

function mergeRanges(text: string, list: Candidate[]): Candidate[] {
  const out: Candidate[] = [];
  for (let i = 0; i < list.length; i++) {
    const next = list[i + 1];
    const range = next ? asRange(text, list[i]!, next) : null;
    out.push(range ?? list[i]!);
    if (range) i++;
  }
  return out;
}

function toQuantity(text: string, c: Candidate, previousEnd: number): Quantity {
  const before = text.slice(Math.max(previousEnd, c.start - 60), c.start);
  const canonical = c.unit?.canonical ?? c.implied;
  return {
    start: c.start,
    end: c.end,
    text: text.slice(c.start, c.end),
    value: c.value,
    unit: c.unit?.written ?? null,
    unitNormalized: canonical ? registryName(canonical) : null,
    change: changeCue(before),
  };
}

/** Quantities of one sentence, offsets relative to it. */
export function sentenceQuantities(text: string): Quantity[] {
  const tokens = numberTokens(text);
  const notQuantity = notQuantityTest(text);
  const kept = tokens
    .map((t) => candidate(text, t))
    .filter((c) => !notQuantity(c.token, c.unit) && !isIdiomaticWordNumber(text, c));
  // Units may not overlap the next number ("5 to 7 tons": "to" is not a unit of 5).
  return mergeRanges(text, kept).map((c) => {
    const previous = tokens.filter((t) => t.end <= c.start).pop();
    return toQuantity(text, c, previous?.end ?? 0);
  });
}

/** Every quantity in `text`, in order; offsets are UTF-16 indices into `text`. */
export function extractQuantities(text: string): Quantity[] {
  return sentences(text).flatMap((s) =>
    sentenceQuantities(text.slice(s.start, s.end)).map((q) => ({
      ...q,
      start: q.start + s.start,
      end: q.end + s.start,
    })),
  );
}
