import { showCell } from './show';
import type { Precision } from './types';

export const DEFAULT_MIN_YEAR = 1000;
export const DEFAULT_MAX_YEAR = 2200;

export type PeriodResult = { period: string; precision: Precision } | { error: string };

// Compiled once: parsePeriod runs for every row of tidy, OWID and FRED files.
const PERIOD_PATTERN = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/;

function daysInMonth(year: number, month: number): number {
  if (month === 2) {
    const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
    return leap ? 29 : 28;
  }
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/**
 * Accepts a year ("2010"), a month ("2010-06") or a calendar date ("2010-06-24"), after trimming.
 * Only ISO shapes: "06/24/2010" is ambiguous between locales, so it is rejected, not guessed.
 */
export function parsePeriod(
  raw: string,
  minYear: number = DEFAULT_MIN_YEAR,
  maxYear: number = DEFAULT_MAX_YEAR,
): PeriodResult {
  const text = raw.trim();
  if (text === '') return { error: 'the period is empty' };
  const match = PERIOD_PATTERN.exec(text);
  if (!match) {
    return {
      error: `${showCell(text)} is not a period: expected a year (2010), a month (2010-06) or a date (2010-06-24)`,
    };
  }
  const year = Number(match[1]);
  if (year < minYear || year > maxYear) {
    return { error: `year ${year} is outside the accepted range ${minYear}–${maxYear}` };
  }
  const monthText = match[2];
  if (monthText === undefined) return { period: text, precision: 'year' };
  const month = Number(monthText);
  if (month < 1 || month > 12) {
    return { error: `${showCell(text)} is not a real month: there is no month ${monthText}` };
  }
  const dayText = match[3];
  if (dayText === undefined) return { period: text, precision: 'month' };
  const day = Number(dayText);
  if (day < 1 || day > daysInMonth(year, month)) {
    return { error: `${showCell(text)} is not a real date` };
  }
  return { period: text, precision: 'day' };
}
