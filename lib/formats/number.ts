import { showCell } from './show';
import type { DecimalMark } from './mapping';

export type NumberResult = number | null | { error: string };

// A plain decimal with optional exponent. Deliberately narrower than Number(): that also accepts
// "0x1F", "0b11", "Infinity" and whitespace-only strings (as 0), none of which is data.
const NUMBER_PATTERN = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * Parses one numeric cell. Returns null for an empty (or whitespace-only) cell so each format can
 * decide whether missing is normal or an error.
 */
export function parseNumber(raw: string): NumberResult {
  const text = raw.trim();
  if (text === '') return null;
  if (NUMBER_PATTERN.test(text)) {
    const value = Number(text);
    // "1e999" matches the pattern but overflows.
    if (Number.isFinite(value)) return value;
    return { error: `${showCell(text)} is not a finite number` };
  }
  if (/^[+-]?(?:nan|inf|infinity)$/i.test(text)) {
    return { error: `${showCell(text)} is not a finite number` };
  }
  if (text.includes(',') && /^[+-]?[\d.,]+$/.test(text)) {
    // "1,234" is a thousand in English but 1.234 in French or German: refuse to guess.
    return {
      error: `${showCell(text)} is not a number: commas are ambiguous (thousands separator or decimal comma); write plain digits with a dot, like 1234.5`,
    };
  }
  return { error: `${showCell(text)} is not a number` };
}

/** How a file writes numbers: its decimal mark and the separator grouping thousands, if any. */
export interface NumberFormat {
  decimal: DecimalMark;
  thousands: string | null;
}

export interface NumberFormatGuess {
  decimal: DecimalMark | null;
  thousands: string | null;
  /** True when cells such as "1,234" could be read either way and nothing else decides. */
  ambiguous: boolean;
}

const SPACES = /[ \u00a0\u202f]/;
// Linear: one run of digits and separators, then the exponent. (Placing a required \d
// between two such runs made a rejected 300,000-digit cell cost about a minute.) That the
// run holds a digit is checked apart.
const NUMERIC_CELL = /^[+-]?[\d.,' \u00a0\u202f’]+(?:[eE][+-]?\d+)?$/;

type Vote = { decimal?: DecimalMark; thousands?: string; ambiguous?: DecimalMark };

/** What one numeric-looking cell says about the file's convention. */
function voteOf(cell: string): Vote | null {
  const text = cell
    .trim()
    .replace(/^[+-]/, '')
    .replace(/[eE][+-]?\d+$/, '');
  if (!NUMERIC_CELL.test(cell.trim()) || !/\d/.test(text)) return null;
  const grouped = (sep: string) => new RegExp(`^\\d{1,3}(?:${sep}\\d{3})+`);
  if (SPACES.test(text)) {
    const rest = text.replace(/^\d{1,3}(?:[ \u00a0\u202f]\d{3})+/, '');
    if (rest === text) return null;
    if (rest === '') return { thousands: ' ' };
    return /^[.,]\d+$/.test(rest) ? { thousands: ' ', decimal: rest[0] as DecimalMark } : null;
  }
  if (/['’]/.test(text))
    return grouped("['’]").test(text) ? { thousands: "'", decimal: '.' } : null;
  const dot = text.lastIndexOf('.');
  const comma = text.lastIndexOf(',');
  if (dot >= 0 && comma >= 0) {
    return dot > comma ? { decimal: '.', thousands: ',' } : { decimal: ',', thousands: '.' };
  }
  for (const [mark, other] of [
    [',', '.'],
    ['.', ','],
  ] as const) {
    const count = text.split(mark).length - 1;
    if (count === 0) continue;
    if (count > 1)
      return grouped(`\\${mark}`).test(text) ? { thousands: mark, decimal: other } : null;
    // One separator before exactly three digits, after one to three digits that do not start with
    // 0: "1,234" is a thousand in English and 1.234 in French; "0,123" and "1,5" are decimals.
    if (/^[1-9]\d{0,2}[.,]\d{3}$/.test(text)) return { ambiguous: mark };
    return { decimal: mark };
  }
  // Plain digits say nothing about the convention.
  return null;
}

/**
 * The number convention of a file from a sample of its cells. Decided when some cell shows it
 * ("1,234.5", "12,5", "1.234.567"); ambiguous when every separator could be either ("9,600").
 * A lone dot before three digits ("1.234") reads as a decimal point unless fields are separated by
 * semicolons, the habit of the locales that write decimal commas.
 */
export function guessNumberFormat(cells: Iterable<string>, delimiter: string): NumberFormatGuess {
  let point = 0;
  let comma = 0;
  let ambiguousComma = 0;
  let ambiguousDot = 0;
  const thousands = new Map<string, number>();
  for (const cell of cells) {
    const vote = voteOf(cell);
    if (!vote) continue;
    if (vote.decimal === '.') point++;
    if (vote.decimal === ',') comma++;
    if (vote.ambiguous === ',') ambiguousComma++;
    if (vote.ambiguous === '.') ambiguousDot++;
    if (vote.thousands) thousands.set(vote.thousands, (thousands.get(vote.thousands) ?? 0) + 1);
  }
  const separator = (decimal: DecimalMark): string | null => {
    let best: string | null = null;
    let n = 0;
    for (const [sep, count] of thousands)
      if (sep !== decimal && count > n) [best, n] = [sep, count];
    if (best === null && decimal === '.' && ambiguousComma > 0) best = ',';
    if (best === null && decimal === ',' && ambiguousDot > 0) best = '.';
    return best;
  };
  if (point > 0 && comma > 0) return { decimal: null, thousands: null, ambiguous: true };
  if (point > 0) return { decimal: '.', thousands: separator('.'), ambiguous: false };
  if (comma > 0) return { decimal: ',', thousands: separator(','), ambiguous: false };
  if (ambiguousComma > 0) return { decimal: null, thousands: null, ambiguous: true };
  if (ambiguousDot > 0) {
    return delimiter === ';'
      ? { decimal: null, thousands: null, ambiguous: true }
      : { decimal: '.', thousands: null, ambiguous: false };
  }
  const spaced = thousands.has(' ') ? ' ' : thousands.has("'") ? "'" : null;
  return { decimal: spaced ? '.' : null, thousands: spaced, ambiguous: false };
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * A cell parser for one convention. Thousands separators are accepted only between groups of
 * three digits, so "1,5" is refused in a file that groups thousands with commas.
 */
export function numberParser(format: NumberFormat | null): (raw: string) => NumberResult {
  if (!format || (format.decimal === '.' && format.thousands === null)) return parseNumber;
  const d = escape(format.decimal);
  const t =
    format.thousands === ' '
      ? '[ \\u00a0\\u202f]'
      : format.thousands === "'"
        ? "['’]"
        : format.thousands
          ? escape(format.thousands)
          : null;
  const exp = '(?:[eE][+-]?\\d+)?';
  const pattern = new RegExp(
    `^[+-]?(?:${t ? `\\d{1,3}(?:${t}\\d{3})+|` : ''}\\d+)(?:${d}\\d*)?${exp}$|^[+-]?${d}\\d+${exp}$`,
  );
  const strip = t ? new RegExp(t, 'g') : null;
  const described =
    `decimal ${format.decimal === ',' ? 'comma' : 'point'}` +
    (format.thousands ? `, thousands grouped with ${JSON.stringify(format.thousands)}` : '');
  return (raw) => {
    const text = raw.trim();
    if (text === '') return null;
    if (!pattern.test(text)) {
      if (/^[+-]?(?:nan|inf|infinity)$/i.test(text)) {
        return { error: `${showCell(text)} is not a finite number` };
      }
      return {
        error: /\d/.test(text)
          ? `${showCell(text)} does not match the file's number format (${described})`
          : `${showCell(text)} is not a number`,
      };
    }
    let plain = strip ? text.replace(strip, '') : text;
    if (format.decimal === ',') plain = plain.replace(',', '.');
    const value = Number(plain);
    return Number.isFinite(value) ? value : { error: `${showCell(text)} is not a finite number` };
  };
}
