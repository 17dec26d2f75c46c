import type { Precision } from './kinds';

/**
 * A period as a fractional year, so years and dates share one time axis:
 * "2010" → 2010, "2010-07" → 2010.5, "2010-07-02" → 2010.5 (roughly).
 */
export function periodToYear(period: string): number {
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
  if (precision === 'year' || !m) return y ?? period;
  const month = MONTHS[Number(m) - 1] ?? m;
  return precision === 'month' || !d ? `${month} ${y}` : `${Number(d)} ${month} ${y}`;
}
