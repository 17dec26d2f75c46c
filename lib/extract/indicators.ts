// Which existing indicator a figure belongs to: one whose unit has the figure's dimension
// (the registry's dimensions; "percent of oil needs" counts as percent, "times the area of
// France" as times), ranked by the words the sentence shares with the indicator's name
// (counted twice) and description. Country names and demonyms count as their ISO code, so
// "Chinese" matches "China's". Without a good match, a new indicator is proposed.
import { findUnit } from '@/lib/domain/units';
import { countryMentions } from './countries';

export type IndicatorHint = { slug: string; name: string; unit: string; description?: string | null };
export type IndicatorChoice =
  { slug: string; score: number } | { proposed: { name: string; unit: string | null } };

const STOP = new Set(
  `the a an of in on at to for and or by with from as is are was were be been has have had its
  their his her our this that these those it which who will would per than into over under
  about some more less also not no only just all any each every`.split(/\s+/),
);

/** A unit's dimension: the registry's, else that of its leading words, else its first word. */
export function unitDimension(unit: string | null): string | null {
  if (!unit) return null;
  const words = unit.trim().split(/\s+/);
  for (let n = words.length; n > 0; n--) {
    const def = findUnit(words.slice(0, n).join(' '));
    if (def) return def.dimension;
  }
  return `word:${words[0]!.toLowerCase()}`;
}

/** Content words of a text, crudely stemmed, with countries as their codes. */
export function contentWords(text: string): Set<string> {
  let plain = text;
  for (const m of countryMentions(text).reverse()) {
    plain = `${plain.slice(0, m.start)} ${m.code.toLowerCase()} ${plain.slice(m.end)}`;
  }
  const out = new Set<string>();
  for (const raw of plain.toLowerCase().split(/[^\p{L}]+/u)) {
    const w = raw.replace(/['’]s$/, '');
    if (w.length < 3 || STOP.has(w)) continue;
    out.add(w.length > 5 ? w.slice(0, 5) : w.replace(/s$/, ''));
  }
  return out;
}

function wordScore(sentence: Set<string>, hint: IndicatorHint): number {
  const name = contentWords(hint.name);
  const description = contentWords(hint.description ?? '');
  let total = 0;
  let shared = 0;
  for (const w of new Set([...name, ...description])) {
    const weight = name.has(w) ? 2 : 1;
    total += weight;
    if (sentence.has(w)) shared += weight;
  }
  return total === 0 ? 0 : shared / total;
}

const MIN_WORD_SCORE = 0.15;

/** The best hint for a figure in `unit` stated in `sentence`, or null. */
export function matchIndicator(
  sentence: string,
  unit: string | null,
  hints: IndicatorHint[],
): { slug: string; score: number } | null {
  const dimension = unitDimension(unit);
  if (!dimension) return null;
  const words = contentWords(sentence);
  let best: { slug: string; score: number } | null = null;
  for (const hint of hints) {
    if (unitDimension(hint.unit) !== dimension) continue;
    const w = wordScore(words, hint);
    if (w < MIN_WORD_SCORE) continue;
    const score = Math.round((0.5 + 0.5 * w) * 1000) / 1000;
    if (!best || score > best.score) best = { slug: hint.slug, score };
  }
  return best;
}

const ARTICLES = /^(?:its|their|the|his|her|our|this|that|all|a|an)\s+/i;

/** A name for a new indicator: what the figure is "of", else the noun it counts. */
export function proposedName(sentence: string, end: number, countNoun: string | null): string {
  const after = sentence.slice(end).replace(/^\s+of\s+/i, ' of ');
  const of = /^ of\s+(.{2,60}?)(?=\s+(?:in|by|from|to|for|on|at|and|is|are|was|were|will|a|per)\b|[,.;:)”"]|$)/i.exec(after);
  if (of) return of[1]!.replace(ARTICLES, '').trim();
  if (countNoun) return countNoun;
  const words = [...contentWords(sentence.slice(0, end))];
  return words.slice(0, 3).join(' ') || 'unnamed figure';
}
