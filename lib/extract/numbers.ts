// Numbers in a sentence, before any decision about units or whether they are quantities:
// digits ("1,234,567", "-4.5", "3.5"), digits with a magnitude ("12 million", "1.2bn",
// "$45m"), and numbers in words (recognizer.ts), including fractions ("two-thirds") and
// multipliers ("twice", "fivefold", "30-fold").
import { wordNumbers } from './recognizer';

export type NumberToken = {
  start: number;
  end: number;
  value: number;
  /** The magnitude word as written ("million", "bn"), or null. */
  magnitude: string | null;
  /** Written in words (wholly or partly, "twelve million"), not digits. */
  words: boolean;
  /** A fraction in words ("half", "a third"): a share of something, not a count. */
  fraction: boolean;
  /** "twice", "fivefold": already a ratio. */
  multiplier: boolean;
};

export const MAGNITUDES: Record<string, number> = {
  thousand: 1e3,
  k: 1e3,
  million: 1e6,
  mn: 1e6,
  mln: 1e6,
  m: 1e6,
  billion: 1e9,
  bn: 1e9,
  b: 1e9,
  trillion: 1e12,
  tn: 1e12,
  trn: 1e12,
};

// A number in digits: optional sign, thousands groups or plain digits, optional decimals; then
// a magnitude word after a space or glued on ("1.2bn"). It may not touch letters or digits
// on its left ("G20", "A320", "F-16" are codes, filtered later), so the left edge is checked.
const DIGITS =
  /(?<![\p{L}\d.,])((?<![^\s(“"])[-−]|minus\s+)?(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?(?:\s?(thousand|million|billion|trillion)\b|(bn|mn|mln|tn|trn|k|m|b)(?![\p{L}\d]))?/gu;

function digitNumbers(text: string): NumberToken[] {
  const out: NumberToken[] = [];
  for (const m of text.matchAll(DIGITS)) {
    const [, sign, int, dec, longMag, shortMag] = m;
    const magnitude = (longMag ?? shortMag ?? null)?.toLowerCase() ?? null;
    // A short "m" or "b" is a magnitude only after a currency sign ("$45m"); "100m" is metres.
    if ((magnitude === 'm' || magnitude === 'b') && !/[$€£¥]\s?$/.test(text.slice(0, m.index))) {
      continue;
    }
    const base = Number(`${int!.replace(/,/g, '')}${dec ?? ''}`);
    // toPrecision: 4.1 × 1e6 is 4099999.9999999995 in binary floating point.
    const scaled = Number((base * (magnitude ? MAGNITUDES[magnitude]! : 1)).toPrecision(15));
    const value = sign ? -scaled : scaled;
    const token = { start: m.index, end: m.index + m[0].length, value, magnitude };
    out.push({ ...token, words: false, fraction: false, multiplier: false });
  }
  return out;
}

const MULTIPLIERS: Record<string, number> = { twice: 2, thrice: 3, double: 2, triple: 3 };

/** "twice", "fivefold", "30-fold", "three-fold": a ratio with its own unit ("times"). */
function multipliers(text: string): NumberToken[] {
  const out: NumberToken[] = [];
  const re = /\b(twice|thrice|(?:\d+(?:\.\d+)?|[a-z]+)[- ]?fold)\b/gi;
  for (const m of text.matchAll(re)) {
    const word = m[1]!.toLowerCase();
    const head = word.replace(/[- ]?fold$/, '');
    const value = MULTIPLIERS[word] ?? (Number(head) || wordNumbers(head)[0]?.value);
    if (!value) continue;
    const token = { start: m.index, end: m.index + m[0].length, value, magnitude: null };
    out.push({ ...token, words: true, fraction: false, multiplier: true });
  }
  return out;
}

const SMALL: Record<string, number> = {
  one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10,
  twenty: 20, hundred: 100, 'a hundred': 100, thousand: 1000, 'a thousand': 1000,
};
const SMALL_WORDS = Object.keys(SMALL).sort((a, b) => b.length - a.length).join('|');
const ONE_IN = new RegExp(
  `\\b(\\d+|${SMALL_WORDS}) in (\\d{1,3}(?:,\\d{3})*|${SMALL_WORDS})\\b`,
  'gi',
);

/** "1 in 10", "one in five": a share, as a fraction. */
function oneIn(text: string): NumberToken[] {
  const out: NumberToken[] = [];
  for (const m of text.matchAll(ONE_IN)) {
    const read = (s: string) => SMALL[s.toLowerCase()] ?? Number(s.replace(/,/g, ''));
    const [a, b] = [read(m[1]!), read(m[2]!)];
    if (!(a < b)) continue;
    const token = { start: m.index, end: m.index + m[0].length, value: a / b, magnitude: null };
    out.push({ ...token, words: true, fraction: true, multiplier: false });
  }
  return out;
}

const FRACTION = /\b(?:half|halves|thirds?|quarters?|fifths?|sixths?|eighths?|tenths?)\b/i;

function spelledNumbers(text: string): NumberToken[] {
  return wordNumbers(text).map((w) => {
    const written = text.slice(w.start, w.end);
    const magnitude = /\b(thousand|million|billion|trillion)\b/i.exec(written)?.[1] ?? null;
    const fraction = FRACTION.test(written) || /\bin\b/i.test(written);
    return {
      ...w,
      magnitude: magnitude?.toLowerCase() ?? null,
      words: true,
      fraction,
      multiplier: false,
    };
  });
}

/** All numbers of a sentence in text order; where spans overlap the longer one wins. */
export function numberTokens(text: string): NumberToken[] {
  const all = [
    ...oneIn(text),
    ...multipliers(text),
    ...digitNumbers(text),
    ...spelledNumbers(text),
  ];
  all.sort((a, b) => a.start - b.start || b.end - b.start - (a.end - a.start));
  const out: NumberToken[] = [];
  for (const t of all) {
    const last = out[out.length - 1];
    if (last && t.start < last.end) continue;
    out.push(t);
  }
  return out;
}
