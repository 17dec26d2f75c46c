// The period a figure refers to, from the words of its sentence. Written years are read
// with the preposition that governs them ("by 2010" is 2010: chrono-style date parsers
// resolve "by 2010" to a day near the document's date), and a month written with the year
// keeps month precision ("in June 2004" → "2004-06"). A sentence without a year speaks of
// the time it was written ("every year", "have"): the document's year, or the year before
// or after for "last year" and "next year".

export type PeriodMention = { start: number; end: number; period: string };

const MONTHS = [
  'jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec',
];
const MONTH =
  '(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\\.?';
const YEAR = '(?:1[89]\\d\\d|20\\d\\d)';
const DATED = new RegExp(
  `\\b(?:(\\d{1,2})\\s+)?(${MONTH})(?:\\s+(\\d{1,2}),?)?\\s+(${YEAR})(?![\\d,.]\\d|\\p{L})`,
  'gu',
);
const YEAR_ONLY = new RegExp(`(?<![$€£¥\\d.,\\p{L}-])(${YEAR})(?![\\d%]|,\\d|\\.\\d|\\p{L})`, 'gu');

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

function monthNumber(name: string): number {
  return MONTHS.indexOf(name.slice(0, 3).toLowerCase()) + 1;
}

/** Years and dated months in a sentence, in text order. */
export function periodMentions(text: string): PeriodMention[] {
  const out: PeriodMention[] = [];
  for (const m of text.matchAll(DATED)) {
    const day = Number(m[1] ?? m[3] ?? 0);
    const month = `${m[4]}-${pad(monthNumber(m[2]!))}`;
    const period = day >= 1 && day <= 31 ? `${month}-${pad(day)}` : month;
    out.push({ start: m.index, end: m.index + m[0].length, period });
  }
  for (const m of text.matchAll(YEAR_ONLY)) {
    if (out.some((o) => m.index >= o.start && m.index < o.end)) continue;
    out.push({ start: m.index, end: m.index + m[0].length, period: m[1]! });
  }
  return out.sort((a, b) => a.start - b.start);
}

/** The year the sentence's present means, from the document's date. */
function relativeYear(text: string, documentYear: number): number {
  if (/\blast year\b/i.test(text)) return documentYear - 1;
  if (/\bnext year\b/i.test(text)) return documentYear + 1;
  return documentYear;
}

/** The period of the quantity at [start, end) of the sentence: the nearest written year. */
export function periodFor(
  text: string,
  at: { start: number; end: number },
  documentDate: string | undefined,
): string | null {
  const mentions = periodMentions(text);
  const distance = (m: PeriodMention) => (m.end <= at.start ? at.start - m.end : m.start - at.end);
  const nearest = mentions
    .filter((m) => m.end <= at.start || m.start >= at.end)
    .sort((a, b) => distance(a) - distance(b))[0];
  if (nearest) return nearest.period;
  const year = documentDate ? Number(documentDate.slice(0, 4)) : NaN;
  return Number.isFinite(year) ? String(relativeYear(text, year)) : null;
}
