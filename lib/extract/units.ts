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
  return /^[a-z][a-z-]{2,}s$/.test(word) && !NOT_NOUNS.has(word) && !/ss$/.test(word);
}

// Words that end the search for a counted noun: verbs, articles, prepositions, pronouns.
const STOP = new Set(
  `of in at to the a an and or but nor were was is are be been being have has had for from by on
  with as than that which who whom whose per its their his her our this these those said says
  will would could should may might can must it they he she we you not no most least over under
  about around after before during since until while when where if then so also only just each
  every all some any what there here last next previous past coming same up down out into onto upon against between among via
  than did do does gained lost rose fell`.split(/\s+/),
);

/** A noun written in title case ("Commissioners") as a unit name ("commissioners"). */
function plainCase(word: string): string {
  return /^\p{Lu}[\p{Ll}-]+$/u.test(word) ? word.toLowerCase() : word;
}

/** A measure word (not a symbol) starting exactly at `at`: "years" in "22 consecutive years". */
function measureWordAt(text: string, at: number): UnitMatch | null {
  const hit = lexiconUnitAt(text, at);
  if (!hit || !/^[a-z]{4,}$/i.test(text.slice(at, hit.end))) return null;
  const written = text.slice(at, hit.end);
  return { start: at, end: hit.end, written, canonical: hit.p.name, measure: true };
}

function isModifier(word: string, i: number): boolean {
  if (MODIFIERS.has(word) || /^\p{Lu}|\d/u.test(word)) return true;
  // Other lower-case words before the noun ("construction projects", "highest-paid years").
  return i < 3 && !STOP.has(word.toLowerCase()) && /^[\p{Ll}][\p{Ll}'’-]*$/u.test(word);
}

/**
 * "3,400 workers", "1,540 new COVID-19 cases", "12 million Chinese", "11 former Latin American
 * dictators", "25 Commissioners", "27,000 of those testimonies": the noun counted.
 */
function countNounAt(text: string, from: number): UnitMatch | null {
  const of = /^\s+of\s+(?:the|those|these|its|their|[\p{L}]+['’]s)(?=\s)/iu.exec(text.slice(from));
  const at = from + (of?.[0].length ?? 0);
  const words = /^((?:\s+[\p{L}\d][\p{L}\d'’-]*){1,5})/u.exec(text.slice(at))?.[1];
  if (!words) return null;
  let offset = at;
  for (const [i, w] of words.split(/(?=\s)/).entries()) {
    const word = w.trim();
    const start = offset + w.length - word.length;
    offset += w.length;
    const found = { start, end: offset, written: text.slice(start, offset), measure: false };
    if (isDemonymPlural(word)) return { ...found, canonical: 'people' };
    if (i > 0 && measureWordAt(text, start)) return measureWordAt(text, start);
    if (isCountNoun(plainCase(word))) return { ...found, canonical: plainCase(word) };
    if (i >= 3 || !isModifier(word, i)) return null;
  }
  return null;
}

const NOT_COMPOUND = new Set(
  'old long wide high tall deep strong odd plus fold point mark'.split(' '),
);

function plural(word: string): string {
  if (/[^aeiou]y$/.test(word)) return `${word.slice(0, -1)}ies`;
  return /(?:s|x|ch|sh)$/.test(word) ? `${word}es` : `${word}s`;
}

/** "15-story tank", "52-member parliament": a singular noun joined to the number by a hyphen. */
function hyphenCompoundAt(text: string, at: number): UnitMatch | null {
  const m = /^-([a-z]{3,})(?=\s+\p{L})/u.exec(text.slice(at));
  if (!m || NOT_COMPOUND.has(m[1]!) || /(?:s|ly|ed)$/.test(m[1]!)) return null;
  const end = at + m[0].length;
  return { start: at + 1, end, written: m[1]!, canonical: plural(m[1]!), measure: false };
}

/** The unit after a number ending at `at`, without any rate. */
function unitAfter(text: string, at: number): UnitMatch | null {
  const hit = lexiconUnitAt(text, at);
  if (hit) {
    const start = at + /^(?:\s|-)?/.exec(text.slice(at))![0].length;
    const written = text.slice(start, hit.end);
    return { start, end: hit.end, written, canonical: hit.p.name, measure: true };
  }
  return hyphenCompoundAt(text, at) ?? countNounAt(text, at);
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

/** "aged 43", "at age 65", "at the age of 89": an age, in years. */
function ageBefore(text: string, start: number): UnitMatch | null {
  const m = /\b(?:aged|ages?|age of)\s$/i.exec(text.slice(Math.max(0, start - 12), start));
  if (!m) return null;
  return {
    start: start - m[0].length,
    end: start,
    written: m[0].trim(),
    canonical: 'years',
    measure: true,
  };
}

/** "365s", "462s": seconds glued to the digits (not "1980s" or "90s", which are decades). */
function gluedSeconds(text: string, start: number, end: number): UnitMatch | null {
  const digits = text.slice(start, end);
  const decade = /^(?:1\d|20)?\d0$/.test(digits);
  if (!/^\d+$/.test(digits) || decade || !/^s(?![\p{L}\d])/u.test(text.slice(end))) {
    return null;
  }
  return { start: end, end: end + 1, written: 's', canonical: 'seconds', measure: true };
}

/** The unit of the number spanning [start, end): currency sign first, then what follows. */
export function unitOf(text: string, start: number, end: number): UnitMatch | null {
  const age = ageBefore(text, start);
  if (age) return age;
  const seconds = gluedSeconds(text, start, end);
  if (seconds) return seconds;
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
