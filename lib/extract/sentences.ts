// Sentence and paragraph spans of a text, as UTF-16 offsets. A full stop ends a sentence
// only when it is not part of an abbreviation ("U.S.", "Mr.", "Jan.", "No. 5") or a decimal,
// and a sentence keeps its closing quote marks and a trailing parenthetical citation, since a
// claim's quote must be the verbatim sentence, "(Megapolis, June 24)." included.

export type Span = { start: number; end: number };

// Words that take a full stop without ending the sentence (lower case, no dot).
const ABBREVIATIONS = new Set([
  'mr', 'mrs', 'ms', 'dr', 'prof', 'sen', 'rep', 'gov', 'gen', 'col', 'lt', 'sgt', 'st', 'jr',
  'sr', 'inc', 'corp', 'ltd', 'co', 'vs', 'etc', 'approx', 'est', 'no', 'nos', 'vol', 'pp', 'p',
  'fig', 'jan', 'feb', 'mar', 'apr', 'jun', 'jul', 'aug', 'sep', 'sept', 'oct', 'nov', 'dec',
  'e.g', 'i.e', 'a.m', 'p.m', 'u.s', 'u.k', 'u.n', 'e.u',
]);

const CLOSERS = /^[”"’')\]]*/;

/** Whether the full stop at `dot` belongs to the word before it rather than ending a sentence. */
function isAbbreviationDot(text: string, dot: number): boolean {
  const before = /([\p{L}.]+)$/u.exec(text.slice(Math.max(0, dot - 12), dot));
  const raw = (before?.[1] ?? '').replace(/^\.+/, '');
  if (ABBREVIATIONS.has(raw.toLowerCase())) return true;
  // Single capitals and dotted initialisms: "J. Smith", "U.S.", "U.S.A." ("in the U.S. The"
  // is then one sentence too many joined: rarer than "the U.S. Treasury").
  return /^(?:\p{Lu}|(?:\p{L}\.)+\p{L})$/u.test(raw);
}

/** Where the sentence ending with the terminator at `i` stops: after closing quotes and a citation. */
function sentenceEnd(text: string, i: number): number {
  let end = i + 1;
  end += CLOSERS.exec(text.slice(end))![0].length;
  return end;
}

/** Whether a terminator at `i` ends a sentence: followed by a space and an upper-case start. */
function endsSentence(text: string, i: number): boolean {
  const ch = text[i];
  if (ch === '.' && /\d/.test(text[i + 1] ?? '')) return false;
  if (ch === '.' && isAbbreviationDot(text, i)) return false;
  const after = text.slice(sentenceEnd(text, i), sentenceEnd(text, i) + 3);
  return after === '' || /^\s+[“"‘'(\[]?[\p{Lu}\d]/u.test(after) || /^\s*\n/.test(after);
}

/** Sentences of one paragraph, offsets into the whole text. */
function splitParagraph(text: string, from: number, to: number): Span[] {
  const out: Span[] = [];
  let start = from;
  for (let i = from; i < to; i++) {
    if (!/[.!?]/.test(text[i]!) || !endsSentence(text, i)) continue;
    const end = Math.min(sentenceEnd(text, i), to);
    pushTrimmed(text, out, start, end);
    start = end;
    i = end - 1;
  }
  pushTrimmed(text, out, start, to);
  return out;
}

function pushTrimmed(text: string, out: Span[], start: number, end: number) {
  while (start < end && /\s/.test(text[start]!)) start++;
  while (end > start && /\s/.test(text[end - 1]!)) end--;
  if (end > start) out.push({ start, end });
}

/** Paragraphs: runs of text between blank lines (or single newlines, for one-line paragraphs). */
export function paragraphs(text: string): Span[] {
  const out: Span[] = [];
  const re = /\n\s*\n|\n/g;
  let start = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    pushTrimmed(text, out, start, m.index);
    start = m.index + m[0].length;
  }
  pushTrimmed(text, out, start, text.length);
  return out;
}

/** Sentences with the index of the paragraph each belongs to. */
export function sentences(text: string): (Span & { paragraph: number })[] {
  return paragraphs(text).flatMap((p, paragraph) =>
    splitParagraph(text, p.start, p.end).map((s) => ({ ...s, paragraph })),
  );
}
