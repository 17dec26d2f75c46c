import { describe, expect, it } from 'vitest';
import { parseNumber, parsePeriod } from '@/lib/formats';

describe('parseNumber', () => {
  it('reads plain decimals, signs and exponents, ignoring surrounding spaces', () => {
    expect(parseNumber('-1.5')).toBe(-1.5);
    expect(parseNumber('1e3')).toBe(1000);
    expect(parseNumber(' 42 ')).toBe(42);
    expect(parseNumber('+.5')).toBe(0.5);
    expect(parseNumber('3.')).toBe(3);
    expect(parseNumber('-2.5E-3')).toBe(-0.0025);
    expect(parseNumber('0.482959688678361')).toBe(0.482959688678361);
  });

  it('returns null for empty and whitespace-only cells', () => {
    expect(parseNumber('')).toBeNull();
    expect(parseNumber('   ')).toBeNull();
  });

  it('rejects thousands separators and decimal commas, saying why', () => {
    const result = parseNumber('1,234');
    expect(result).toEqual({ error: expect.stringContaining('"1,234" is not a number') });
    expect(result).toEqual({ error: expect.stringContaining('comma') });
    expect(parseNumber('1,5')).toEqual({ error: expect.stringContaining('ambiguous') });
  });

  it('rejects non-finite values as "not a finite number"', () => {
    for (const raw of ['NaN', 'Infinity', '-Infinity', 'inf', '1e999']) {
      expect(parseNumber(raw)).toEqual({ error: `"${raw}" is not a finite number` });
    }
  });

  it('rejects what Number() would wrongly accept or anything else that is not a decimal', () => {
    for (const raw of ['0x1F', '0b11', '1_000', '12%', 'abc', '1 234', '--1', '.', '1e']) {
      expect(parseNumber(raw)).toEqual({ error: `"${raw}" is not a number` });
    }
  });

  it('keeps messages short for long garbage', () => {
    const result = parseNumber('x'.repeat(500));
    expect(typeof result === 'object' && result !== null && result.error.length).toBeLessThan(80);
  });
});

describe('parsePeriod', () => {
  it('reads years, months and dates with their precision', () => {
    expect(parsePeriod('2010', 1000, 2200)).toEqual({ period: '2010', precision: 'year' });
    expect(parsePeriod('2010-06', 1000, 2200)).toEqual({ period: '2010-06', precision: 'month' });
    expect(parsePeriod(' 2010-06-24 ', 1000, 2200)).toEqual({
      period: '2010-06-24',
      precision: 'day',
    });
    expect(parsePeriod('2024-02-29', 1000, 2200)).toEqual({
      period: '2024-02-29',
      precision: 'day',
    });
  });

  it('rejects malformed periods and impossible months and dates', () => {
    expect(parsePeriod('06/24/2010', 1000, 2200)).toEqual({
      error: expect.stringContaining('"06/24/2010" is not a period'),
    });
    expect(parsePeriod('2010-6', 1000, 2200)).toHaveProperty('error');
    expect(parsePeriod('20100', 1000, 2200)).toHaveProperty('error');
    expect(parsePeriod('', 1000, 2200)).toEqual({ error: 'the period is empty' });
    expect(parsePeriod('2010-13', 1000, 2200)).toEqual({
      error: expect.stringContaining('no month 13'),
    });
    expect(parsePeriod('2023-02-29', 1000, 2200)).toEqual({
      error: '"2023-02-29" is not a real date',
    });
    expect(parsePeriod('2010-04-31', 1000, 2200)).toHaveProperty('error');
    expect(parsePeriod('2010-01-00', 1000, 2200)).toHaveProperty('error');
  });

  it('enforces the year range, inclusive', () => {
    expect(parsePeriod('1000', 1000, 2200)).toEqual({ period: '1000', precision: 'year' });
    expect(parsePeriod('2200-12-31', 1000, 2200)).toHaveProperty('period');
    expect(parsePeriod('0999', 1000, 2200)).toEqual({
      error: 'year 999 is outside the accepted range 1000–2200',
    });
    expect(parsePeriod('2201-01', 1000, 2200)).toHaveProperty('error');
    expect(parsePeriod('1959', 1960, 2030)).toHaveProperty('error');
  });
});
