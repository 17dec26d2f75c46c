// Periods as people write them: "31.12.2018", "22/01/2020", "1/22/20", "2004M07", "2004-Q3",
// "July 2004", "Y1961", "2024年", "1961 [YR1961]". The precision written is the precision kept:
// a month stays a month and a quarter a quarter, never the first day. Slash dates whose first
// two numbers could both be the day ("01/02/2020") are never guessed: the column's other dates
// decide (a 13 or more in one place), or the user chooses the order.
import type { DateOrder } from './mapping';
import { parsePeriod, type PeriodResult } from './period';
import { showCell } from './show';

export type LoosePeriod = PeriodResult | { ambiguous: string };

const MONTH_NAMES: Record<string, number> = {};
[
  ['january', 'jan', 'janvier', 'janv', 'januar', 'enero', 'gennaio'],
  ['february', 'feb', 'février', 'fevrier', 'févr', 'fev', 'februar', 'febrero', 'febbraio'],
  ['march', 'mar', 'mars', 'märz', 'maerz', 'marzo'],
  ['april', 'apr', 'avril', 'avr', 'abril', 'aprile'],
  ['may', 'mai', 'mayo', 'maggio'],
  ['june', 'jun', 'juin', 'juni', 'junio', 'giugno'],
  ['july', 'jul', 'juillet', 'juil', 'juli', 'julio', 'luglio'],
  ['august', 'aug', 'août', 'aout', 'agosto'],
  ['september', 'sep', 'sept', 'septembre', 'septiembre', 'settembre'],
  ['october', 'oct', 'octobre', 'oktober', 'okt', 'octubre', 'ottobre'],
  ['november', 'nov', 'novembre', 'noviembre'],
  ['december', 'dec', 'décembre', 'decembre', 'dezember', 'dez', 'déc', 'diciembre', 'dicembre'],
].forEach((names, i) => {
  for (const n of names) MONTH_NAMES[n] = i + 1;
});

/** A month's name (or abbreviation, English, French, German, Spanish, Italian) to 1–12. */
export function monthNumber(name: string): number | null {
  return MONTH_NAMES[name.trim().toLowerCase().replace(/\.$/, '')] ?? null;
}

// Compiled once: these run on every period cell of a mapped file.
const DATABANK_YEAR = /^(\d{4})\s*\[YR\d{4}\]$|^YR(\d{4})$/i;
const DECIMAL_YEAR = /^(\d{4})\.0+$/;
// A year with a letter or two before it (Y1961, F2020) or a 年 after it.
const MARKED_YEAR = /^[A-Za-z]{1,2}(\d{4})$|^(\d{4})\s*年$/;
const YEAR_MONTH_M = /^(\d{4})\s*[Mm]\s*(\d{1,2})$/;
const YEAR_MONTH_CJK = /^(\d{4})\s*年\s*(\d{1,2})\s*月$/;
const YEAR_MONTH_SLASH = /^(\d{4})[/.](\d{1,2})$/;
const YEAR_MONTH_DAY_SLASH = /^(\d{4})\/(\d{1,2})\/(\d{1,2})$/;
const QUARTER = /^(\d{4})\s*-?\s*[Qq]([1-4])$|^[Qq]([1-4])\s*[-/ ]?\s*(\d{4})$/;
const DOTTED = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/;
const SLASHED = /^(\d{1,2})[/-](\d{1,2})[/-](\d{2}|\d{4})$/;
const NAMED_MONTH = /^([\p{L}.]+)[\s\-/,]+(\d{4})$|^(\d{4})[\s\-/,;]+([\p{L}.]+)$/u;

const pad = (n: number) => String(n).padStart(2, '0');

/** Two-digit years as spreadsheets read them: 00–68 are 2000–2068, 69–99 are 1969–1999. */
function fullYear(text: string): number {
  const n = Number(text);
  if (text.length === 4) return n;
  return n < 69 ? 2000 + n : 1900 + n;
}

function quarter(year: string, q: string, minYear: number, maxYear: number): PeriodResult {
  const y = Number(year);
  if (y < minYear || y > maxYear)
    return { error: `year ${y} is outside the accepted range ${minYear}–${maxYear}` };
  return { period: `${year}-Q${q}`, precision: 'quarter' };
}

function dayDate(y: number, m: number, d: number, raw: string, minYear: number, maxYear: number) {
  const r = parsePeriod(`${y}-${pad(m)}-${pad(d)}`, minYear, maxYear);
  return 'error' in r && !r.error.startsWith('year')
    ? { error: `${showCell(raw)} is not a real date` }
    : r;
}

/** A slash date "a/b/y": the order decides, or the numbers do when one exceeds 12. */
function slashDate(
  m: RegExpExecArray,
  raw: string,
  order: DateOrder | undefined,
  minYear: number,
  maxYear: number,
): LoosePeriod {
  const a = Number(m[1]);
  const b = Number(m[2]);
  const year = fullYear(m[3]!);
  const decided = order ?? (a > 12 && b <= 12 ? 'dmy' : b > 12 && a <= 12 ? 'mdy' : null);
  if (!decided) {
    if (a === b) return dayDate(year, a, b, raw, minYear, maxYear);
    return { ambiguous: raw };
  }
  const [day, month] = decided === 'dmy' ? [a, b] : [b, a];
  if (month > 12)
    return {
      error: `${showCell(raw)} is not a date with the ${decided === 'dmy' ? 'day' : 'month'} first`,
    };
  return dayDate(year, month, day, raw, minYear, maxYear);
}

/**
 * Reads a period cell or header. `{ ambiguous }` when only the date order could tell the day
 * from the month; an error names what was expected.
 */
export function parseLoosePeriod(
  raw: string,
  minYear: number,
  maxYear: number,
  order?: DateOrder,
): LoosePeriod {
  const text = raw.trim();
  const iso = parsePeriod(text, minYear, maxYear);
  if (!('error' in iso) || text === '') return iso;
  let m: RegExpExecArray | null;
  if ((m = DATABANK_YEAR.exec(text) ?? DECIMAL_YEAR.exec(text) ?? MARKED_YEAR.exec(text)))
    return parsePeriod(m[1] ?? m[2]!, minYear, maxYear);
  if ((m = YEAR_MONTH_M.exec(text) ?? YEAR_MONTH_CJK.exec(text) ?? YEAR_MONTH_SLASH.exec(text)))
    return parsePeriod(`${m[1]}-${pad(Number(m[2]))}`, minYear, maxYear);
  if ((m = YEAR_MONTH_DAY_SLASH.exec(text)))
    return dayDate(Number(m[1]), Number(m[2]), Number(m[3]), text, minYear, maxYear);
  if ((m = QUARTER.exec(text))) return quarter(m[1] ?? m[4]!, m[2] ?? m[3]!, minYear, maxYear);
  // Dots are the day-first convention (Germany, Russia, …): 31.12.2018.
  if ((m = DOTTED.exec(text)))
    return dayDate(Number(m[3]), Number(m[2]), Number(m[1]), text, minYear, maxYear);
  if ((m = SLASHED.exec(text))) return slashDate(m, text, order, minYear, maxYear);
  if ((m = NAMED_MONTH.exec(text))) {
    const month = monthNumber(m[1] ?? m[4]!);
    if (month !== null) return parsePeriod(`${m[2] ?? m[3]}-${pad(month)}`, minYear, maxYear);
  }
  return {
    error: `${showCell(text)} is not a period: expected a year (2010), a month (2010-06, 2010M06, June 2010), a quarter (2010-Q2) or a date (2010-06-24, 24.06.2010, 24/06/2010)`,
  };
}

/** What a column's dates say of their order: decided, unclear, or both orders seen. */
export function dateOrderOf(cells: Iterable<string>): DateOrder | 'ambiguous' | 'mixed' | null {
  let dmy = false;
  let mdy = false;
  let unclear = false;
  for (const raw of cells) {
    const m = SLASHED.exec(raw.trim());
    if (!m) continue;
    const a = Number(m[1]);
    const b = Number(m[2]);
    if (a > 12 && b <= 12) dmy = true;
    else if (b > 12 && a <= 12) mdy = true;
    else if (a !== b) unclear = true;
  }
  if (dmy && mdy) return 'mixed';
  if (dmy) return 'dmy';
  if (mdy) return 'mdy';
  return unclear ? 'ambiguous' : null;
}
