// The unit of a number: a currency sign before it, a unit word or symbol after it (from the
// lexicon), a rate ("per square kilometer", "a day"), or a counted noun ("3,400 workers",
// "12 million Chinese"). Normalised names go through Sourced's unit registry last, so that a
// unit the registry knows is named as the registry names it.
import { findUnit } from '@/lib/domain/units';
import { isDemonymPlural } from './countries';
import {
  ANNUAL,
  CURRENCY_PREFIX,
  RATE,
  RATE_NAMES,
  UNIT_PATTERNS,
  type UnitPattern,
} from './unit-lexicon';

export type UnitMatch = {
  /** Where the unit text starts and ends (the start may precede the number: "$"). */
  start: number;
  end: number;
  /** The unit as written, without the number: "$", "people per square kilometer". */
  written: string;
  /** Canonical name before the registry ("tonnes per year"). */
  canonical: string;
  /** Found in the lexicon, as opposed to a counted noun. */
  measure: boolean;
};

/** A currency written before the number: "$", "US$", "€", "EUR ". */
export function currencyBefore(text: string, start: number): UnitMatch | null {
  const before = text.slice(Math.max(0, start - 12), start);
  for (const [re, name] of CURRENCY_PREFIX) {
    const m = re.exec(before);
    if (!m) continue;
    const written = m[0].trim();
    return { start: start - m[0].length, end: start, written, canonical: name, measure: true };
  }
  return null;
}

function lexiconUnitAt(text: string, at: number): { end: number; p: UnitPattern } | null {
  const gap = /^(?:\s|-(?=\p{L}))?/u.exec(text.slice(at))![0].length;
  for (const p of UNIT_PATTERNS) {
    if (p.glued && gap > 0) continue;
    p.re.lastIndex = at + gap;
    const m = p.re.exec(text);
    if (m) return { end: at + gap + m[0].length, p };
  }
  return null;
}

// Words that follow a number without being what it counts.
const NOT_NOUNS = new Set(
  `is was has does us its this thus plus less unless across whereas as yes his hers ours yours
  theirs always perhaps besides towards afterwards sometimes means remains rises falls stands
  goes comes makes takes gives shows seems looks needs lies kills adds helps ends begins runs
  meets accounts says`.split(/\s+/),
);
const IRREGULAR = new Set(
  'people children women men cattle sheep staff police personnel fish deer aircraft'.split(' '),
);
// Adjectives skipped between a number and the noun it counts ("700,000 young people").
const MODIFIERS = new Set(
  `new more additional extra other young old small large big major active registered foreign
  local full-time part-time skilled unemployed displaced rural urban elderly confirmed reported
  known`.split(/\s+/),
);

function isCountNoun(word: string): boolean {
  if (IRREGULAR.has(word)) return true;
  return /^[a-z]{3,}s$/.test(word) && !NOT_NOUNS.has(word) && !/ss$/.test(word);
}

/** "3,400 workers", "1,540 new COVID-19 cases", "12 million Chinese": the noun counted. */
function countNounAt(text: string, at: number): UnitMatch | null {
  const words = /^((?:\s+[\p{L}\d][\p{L}\d'’-]*){1,4})/u.exec(text.slice(at))?.[1];
  if (!words) return null;
  let offset = at;
  for (const [i, w] of words.split(/(?=\s)/).entries()) {
    const word = w.trim();
    const start = offset + w.length - word.length;
    offset += w.length;
    const found = { start, end: offset, written: text.slice(start, offset), measure: false };
    if (isDemonymPlural(word)) return { ...found, canonical: 'people' };
    if (isCountNoun(word)) return { ...found, canonical: word };
    const modifier = MODIFIERS.has(word) || /^\p{Lu}|\d/u.test(word);
    if (i >= 2 || !modifier) return null;
  }
  return null;
}

/** The unit after a number ending at `at`, without any rate. */
function unitAfter(text: string, at: number): UnitMatch | null {
  const hit = lexiconUnitAt(text, at);
  if (hit) {
    const start = at + /^(?:\s|-)?/.exec(text.slice(at))![0].length;
    const written = text.slice(start, hit.end);
    return { start, end: hit.end, written, canonical: hit.p.name, measure: true };
  }
  return countNounAt(text, at);
}

/** Extends a unit with a rate written after it: "per square kilometer", "a year", "/h". */
export function withRate(text: string, unit: UnitMatch): UnitMatch {
  if (/\bper\b/.test(unit.canonical)) return unit;
  const rest = text.slice(unit.end);
  const rate = RATE.exec(rest);
  if (rate) {
    const raw = rate[1]!.toLowerCase();
    const denominator = RATE_NAMES[raw] ?? RATE_NAMES[raw.replace(/\s+/g, '')] ?? raw;
    const canonical = `${unit.canonical} per ${denominator}`;
    const end = unit.end + rate[0].length;
    return { ...unit, end, written: `${unit.written}${rate[0]}`, canonical };
  }
  const annual = ANNUAL.exec(rest);
  if (annual) {
    const per = /day\b/.test(annual[0]) ? 'day' : 'year';
    const end = unit.end + annual[0].length;
    const written = `${unit.written}${annual[0]}`;
    return { ...unit, end, written, canonical: `${unit.canonical} per ${per}` };
  }
  return unit;
}

/** The unit of the number spanning [start, end): currency sign first, then what follows. */
export function unitOf(text: string, start: number, end: number): UnitMatch | null {
  const currency = currencyBefore(text, start);
  if (currency) {
    // "$3 a day", "$84.20 a barrel": the rate belongs to the currency.
    const rated = withRate(text, { ...currency, end });
    return rated.end > end ? rated : currency;
  }
  const after = unitAfter(text, end);
  return after && withRate(text, after);
}

/** The registry's name for a canonical unit, or the canonical name if it has none. */
export function registryName(canonical: string): string {
  return findUnit(canonical)?.name ?? canonical;
}
