// The country each figure of a sentence is about. The sentence's own countries come first,
// skipping the yardstick of a comparison ("five times the size of France" is about the
// other country); a possessive ("China's") beats a mere mention. When a sentence sets as many
// figures of one unit against as many countries ("We have 130 …, whereas you have only
// five"), they pair up in order. A sentence naming no country takes the nearest one named
// before it in the paragraph.
import { countryMentions, type CountryMention } from './countries';

export type Entity = { code: string; name: string };
type Located = { start: number; end: number };

// Words that make the country after them the measure of a comparison, not its subject.
const YARDSTICK =
  /\b(?:the size of|the area of|the population of|times|than|compared (?:with|to)|relative to|as large as|as big as|that of)\s+(?:that of\s+)?$/i;

/** Countries of a sentence that a figure could be about. */
export function subjectMentions(sentence: string): CountryMention[] {
  return countryMentions(sentence).filter(
    (m) => !YARDSTICK.test(sentence.slice(Math.max(0, m.start - 30), m.start)),
  );
}

function distinctCodes(mentions: CountryMention[]): CountryMention[] {
  const seen = new Set<string>();
  return mentions.filter((m) => !seen.has(m.code) && seen.add(m.code));
}

/** The mention a single figure belongs to: possessive first, then nearest before, then after. */
function nearestMention(sentence: string, mentions: CountryMention[], q: Located) {
  const possessive = mentions.find((m) => /^['’]s\b/.test(sentence.slice(m.end, m.end + 3)));
  if (possessive) return possessive;
  const before = mentions.filter((m) => m.end <= q.end);
  return before[before.length - 1] ?? mentions[0] ?? null;
}

/**
 * The entity of each figure (located in the sentence), grouped by unit for the pairing rule.
 * `fallback` is the country the paragraph named last before this sentence.
 */
export function assignEntities(
  sentence: string,
  figures: (Located & { unit: string | null })[],
  fallback: Entity | null,
): (Entity | null)[] {
  const mentions = subjectMentions(sentence);
  const distinct = distinctCodes(mentions);
  return figures.map((f) => {
    const sameUnit = figures.filter((g) => g.unit === f.unit);
    if (sameUnit.length >= 2 && sameUnit.length === distinct.length) {
      const m = distinct[sameUnit.indexOf(f)]!;
      return { code: m.code, name: m.name };
    }
    const m = nearestMention(sentence, mentions, f);
    return m ? { code: m.code, name: m.name } : fallback;
  });
}

/** The last country a text names (for the sentences after it). */
export function lastMention(text: string): Entity | null {
  const all = subjectMentions(text);
  const m = all[all.length - 1];
  return m ? { code: m.code, name: m.name } : null;
}
