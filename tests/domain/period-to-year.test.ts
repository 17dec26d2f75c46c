// periodToYear (lib/domain/period.ts) places every period on one time axis of
// fractional years; days take a path of their own for speed, which must place each
// exactly where the calendar does.
import { describe, expect, it } from 'vitest';
import { periodToYear } from '@/lib/domain/period';

/** The calendar's answer: the day's offset into its year over the year's length. */
function byCalendar(period: string): number {
  const [year, month, day] = period.split('-').map(Number) as [number, number, number];
  const start = Date.UTC(year, 0, 1);
  return year + (Date.UTC(year, month - 1, day) - start) / (Date.UTC(year + 1, 0, 1) - start);
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');

describe('periodToYear', () => {
  it('places years, quarters and months', () => {
    expect(periodToYear('2010')).toBe(2010);
    expect(periodToYear('2010-07')).toBe(byCalendar('2010-07-01'));
    expect(periodToYear('2010-Q3')).toBe(2010.5);
  });

  it('places every day as the calendar does, leap years and days past a month’s end too', () => {
    for (const year of [100, 1600, 1900, 1999, 2000, 2004, 2023, 2024, 2100, 9999]) {
      for (let month = 1; month <= 12; month++) {
        for (let day = 0; day <= 31; day++) {
          const period = `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`;
          expect(periodToYear(period), period).toBe(byCalendar(period));
        }
      }
    }
  });

  it('leaves other shapes to the general reading', () => {
    expect(periodToYear('2010-13-01')).toBe(byCalendar('2010-13-01'));
    expect(periodToYear('2010-7-01')).toBe(byCalendar('2010-7-01'));
    expect(Number.isNaN(periodToYear('2010-0x-01'))).toBe(true);
  });
});
