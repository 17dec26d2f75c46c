import { describe, expect, it } from 'vitest';
import { formatCitation } from '@/lib/domain/citation';
import { formatValue, formatWithUnit, kindPhrase } from '@/lib/domain/format';
import { formatPeriod, periodToYear } from '@/lib/domain/period';

describe('formatValue', () => {
  it('shows at least the indicator’s decimals and never drops a stored digit', () => {
    expect(formatValue(50, 0)).toBe('50');
    expect(formatValue(1234567, 0)).toBe('1,234,567');
    expect(formatValue(2.5, 1)).toBe('2.5');
    expect(formatValue(2, 1)).toBe('2.0');
    expect(formatValue(0.583726, 0)).toBe('0.583726');
    expect(formatValue(-1.25, 0)).toBe('-1.25');
  });

  it('writes units the way people read them', () => {
    expect(formatWithUnit(50, 0, '%')).toBe('50%');
    expect(formatWithUnit(400, 0, 'Mt/yr')).toBe('400 Mt/yr');
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
