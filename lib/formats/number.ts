import { showCell } from './show';

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
