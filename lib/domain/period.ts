import type { Precision } from './kinds';

/**
 * A period as a fractional year, so years and dates share one time axis:
 * "2010" → 2010, "2010-07" → 2010.5, "2010-07-02" → 2010.5 (roughly).
 */
export function periodToYear(period: string): number {
  if (period.length === 4) return Number(period);
  // Charts place thousands of dated points per view. A day is worked out from its digits,
  // four times faster than a lookup in the memo below, which hashes each new string;
  // other dates are worked out once each.
  const day = dayToYear(period);
  if (day !== null) return day;
  let x = yearOfDate.get(period);
  if (x === undefined) {
    if (yearOfDate.size >= MEMO_MAX) yearOfDate.clear();
    x = computePeriodToYear(period);
    yearOfDate.set(period, x);
  }
  return x;
}

/** Days before each month in a common year. */
const DAYS_BEFORE = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334];
/** Where a day's digits are: YYYY-MM-DD. */
const DIGITS_AT = [0, 1, 2, 3, 5, 6, 8, 9];
const digit = (s: string, i: number) => s.charCodeAt(i) - 48;
const isDigit = (s: string, i: number) => s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57;

/**
 * "YYYY-MM-DD" as computePeriodToYear places it (day of the year over the days in it,
 * a day past a month's end rolling into the next as Date.UTC does), or null for any
 * other shape, a month out of range or a year before 100 (which Date.UTC reads as 19xx).
 */
function dayToYear(p: string): number | null {
  if (p.length !== 10 || p.charCodeAt(4) !== 45 || p.charCodeAt(7) !== 45) return null;
  for (const i of DIGITS_AT) if (!isDigit(p, i)) return null;
  const year = digit(p, 0) * 1000 + digit(p, 1) * 100 + digit(p, 2) * 10 + digit(p, 3);
  const month = digit(p, 5) * 10 + digit(p, 6);
  const day = digit(p, 8) * 10 + digit(p, 9);
  if (year < 100 || month < 1 || month > 12) return null;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const before = DAYS_BEFORE[month - 1]! + (leap && month > 2 ? 1 : 0);
  const days = leap ? 366 : 365;
  // Day 0 of a month is the last of the one before, as in Date.UTC.
  return year + (before + day - 1) / days;
}

const MEMO_MAX = 100_000;
const yearOfDate = new Map<string, number>();

function computePeriodToYear(period: string): number {
  // A quarter ("2010-Q3") sits at its first month, as a month does.
  const q = /^(\d{4})-Q([1-4])$/.exec(period);
  if (q) return Number(q[1]) + (Number(q[2]) - 1) / 4;
  const [y, m, d] = period.split('-').map(Number);
  const year = y ?? NaN;
  if (m === undefined) return year;
  const start = Date.UTC(year, 0, 1);
  const end = Date.UTC(year + 1, 0, 1);
  const at = Date.UTC(year, m - 1, d ?? 1);
  return year + (at - start) / (end - start);
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

export function formatPeriod(period: string, precision: Precision): string {
  const [y, m, d] = period.split('-');
  if (precision === 'quarter') return m ? `${m} ${y}` : period;
  if (precision === 'year' || !m) return y ?? period;
  const month = MONTHS[Number(m) - 1] ?? m;
  return precision === 'month' || !d ? `${month} ${y}` : `${Number(d)} ${month} ${y}`;
}
