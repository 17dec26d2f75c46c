import type { Precision } from './kinds';

/**
 * A period as a fractional year, so years and dates share one time axis:
 * "2010" → 2010, "2010-07" → 2010.5, "2010-07-02" → 2010.5 (roughly).
 */
export function periodToYear(period: string): number {
  if (period.length === 4) return Number(period);
  // Charts place thousands of dated points per view, and the same days recur across
  // series and requests: the dates are worked out once each.
  let x = yearOfDate.get(period);
  if (x === undefined) {
    if (yearOfDate.size >= MEMO_MAX) yearOfDate.clear();
    x = computePeriodToYear(period);
    yearOfDate.set(period, x);
  }
  return x;
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
