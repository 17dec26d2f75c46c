import { describe, expect, it } from 'vitest';
import { formatCitation } from '@/lib/domain/citation';
import {
  formatPercentError,
  formatRecorded,
  formatSigned,
  formatValue,
  formatWithUnit,
  kindPhrase,
} from '@/lib/domain/format';
import { formatPeriod, periodToYear } from '@/lib/domain/period';

describe('formatValue', () => {
  it('rounds to the indicator’s decimals, keeping three significant figures for small values', () => {
    expect(formatValue(50, 0)).toBe('50');
    expect(formatValue(1234567, 0)).toBe('1,234,567');
    expect(formatValue(2.5, 1)).toBe('2.5');
    expect(formatValue(2, 1)).toBe('2.0');
    expect(formatValue(138.053436689892, 0)).toBe('138');
    expect(formatValue(680.6926435, 0)).toBe('681');
    expect(formatValue(7916.455444444444, 0)).toBe('7,916');
    expect(formatValue(5.56098270178168, 0)).toBe('5.56');
    expect(formatValue(0.583726, 0)).toBe('0.584');
    expect(formatValue(48.125, 0)).toBe('48.1');
    expect(formatValue(-8.05344, 0)).toBe('-8.05');
    expect(formatValue(-1.25, 0)).toBe('-1.25');
    expect(formatValue(0.000012345, 0)).toBe('0.000012');
    expect(formatValue(0, 2)).toBe('0.00');
  });

  it('writes units the way people read them', () => {
    expect(formatWithUnit(50, 0, '%')).toBe('50%');
    expect(formatWithUnit(400, 0, 'Mt/yr')).toBe('400 Mt/yr');
    expect(formatWithUnit(24.8253, 0, '×')).toBe('24.8×');
  });

  it('shows a recorded value with every digit where a revision history needs it', () => {
    expect(formatRecorded(670.5)).toBe('670.5');
    expect(formatRecorded(138.053436689892)).toBe('138.053436689892');
    expect(formatRecorded(1234567)).toBe('1,234,567');
  });

  it('signs errors with a true minus and one decimal for percentages', () => {
    expect(formatSigned(-308.33902, 0)).toBe('−308');
    expect(formatSigned(5.3182, 0)).toBe('+5.32');
    expect(formatSigned(0, 0)).toBe('0');
    expect(formatPercentError(-41.23675)).toBe('−41.2%');
    expect(formatPercentError(4.7327)).toBe('+4.7%');
    expect(formatPercentError(-0.01)).toBe('0.0%');
  });
});

describe('kindPhrase', () => {
  it('says how a figure was made', () => {
    expect(kindPhrase('projection', '2020')).toBe('projected for 2020');
    expect(kindPhrase('reported', '2004')).toBe('reported, 2004');
    expect(kindPhrase('observed', '2023')).toBe('observed, 2023');
  });
});

describe('periods', () => {
  it('places years, months and days on one axis', () => {
    expect(periodToYear('2010')).toBe(2010);
    expect(periodToYear('2010-01')).toBe(2010);
    expect(periodToYear('2010-07-02')).toBeCloseTo(2010.5, 2);
  });

  it('formats by precision', () => {
    expect(formatPeriod('2004', 'year')).toBe('2004');
    expect(formatPeriod('2004-06', 'month')).toBe('Jun 2004');
    expect(formatPeriod('2004-06-24', 'day')).toBe('24 Jun 2004');
  });
});

describe('formatCitation', () => {
  const base = {
    title: 'Population growth (annual %)',
    publisher: 'World Bank',
    volume: null,
    issue: null,
    publishedOn: '2024-06-28',
    url: 'https://data.worldbank.org/indicator/SP.POP.GROW',
    citation: null,
    accessedOn: '2026-11-27',
  };

  it('builds a citation with URL and access date', () => {
    expect(formatCitation(base)).toBe(
      'World Bank, “Population growth (annual %)” (2024-06-28). https://data.worldbank.org/indicator/SP.POP.GROW Accessed 2026-11-27.',
    );
  });

  it('prefers a full citation the user supplied, and marks a missing date', () => {
    expect(formatCitation({ ...base, citation: 'WDI, 2024.' })).toBe('WDI, 2024.');
    expect(formatCitation({ ...base, publishedOn: null, url: null, accessedOn: null })).toBe(
      'World Bank, “Population growth (annual %)” (n.d.).',
    );
  });
});
