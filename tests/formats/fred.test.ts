import { describe, expect, it } from 'vitest';
import { formatProblem, parseDataFile } from '@/lib/formats';
import { errors, lines } from './helpers';

describe('FRED files', () => {
  it('reads observation_date files, skipping "." and empty cells as missing', () => {
    const result = parseDataFile(
      lines(
        'observation_date,UNRATE',
        '2020-01-01,3.6',
        '2020-02-01,.',
        '2020-03-01,',
        '2020-04-01,14.8',
      ),
    );
    expect(result.format).toBe('fred');
    expect(result.detected).toBe('fred');
    expect(result.problems).toEqual([]);
    expect(result.rowsRead).toBe(4);
    expect(result.meta).toEqual({ missing: 2, seriesId: 'UNRATE', valueColumns: ['UNRATE'] });
    expect(result.values).toEqual([
      {
        row: 2,
        column: 'UNRATE',
        entityCode: null,
        entityName: null,
        isAggregate: false,
        period: '2020-01-01',
        precision: 'day',
        value: 3.6,
      },
      expect.objectContaining({ row: 5, period: '2020-04-01', precision: 'day', value: 14.8 }),
    ]);
  });

  it('reads the older DATE header, with CRLF endings', () => {
    const result = parseDataFile('DATE,GDPC1\r\n1947-01-01,2182.681\r\n1947-04-01,.\r\n');
    expect(result.detected).toBe('fred');
    expect(result.problems).toEqual([]);
    expect(result.meta.seriesId).toBe('GDPC1');
    expect(result.meta.missing).toBe(1);
    expect(result.values.map((v) => [v.row, v.period, v.value])).toEqual([
      [2, '1947-01-01', 2182.681],
    ]);
  });

  it('reads the series the caller picks from a multi-series download', () => {
    const text = lines('observation_date,UNRATE,CPIAUCSL', '2020-01-01,3.6,259.1');
    expect(parseDataFile(text).values.map((v) => v.column)).toEqual(['UNRATE']);
    const picked = parseDataFile(text, { valueColumn: 'CPIAUCSL' });
    expect(picked.meta.seriesId).toBe('CPIAUCSL');
    expect(picked.meta.valueColumns).toEqual(['UNRATE', 'CPIAUCSL']);
    expect(picked.values.map((v) => [v.column, v.value])).toEqual([['CPIAUCSL', 259.1]]);
  });

  it('reports a repeated date on the second row, naming the first', () => {
    const result = parseDataFile(
      lines('observation_date,UNRATE', '2020-01-01,3.6', '2020-02-01,3.5', '2020-01-01,3.7'),
    );
    expect(errors(result)).toEqual([
      {
        row: 4,
        column: 'observation_date',
        reason: 'duplicate: 2020-01-01 already appeared on row 2',
        severity: 'error',
      },
    ]);
    expect(result.values.map((v) => v.value)).toEqual([3.6, 3.5]);
  });

  it('reports impossible dates, non-dates and non-numbers', () => {
    const result = parseDataFile(
      lines(
        'observation_date,UNRATE',
        '2020-02-30,1',
        '2020,1',
        '2020-03-01,#N/A',
        '2020-04-01,1e999',
      ),
    );
    expect(errors(result).map(formatProblem)).toEqual([
      'row 2, column "observation_date": "2020-02-30" is not a real date',
      'row 3, column "observation_date": "2020" is not a date like 2010-06-24',
      'row 4, column "UNRATE": "#N/A" is not a number',
      'row 5, column "UNRATE": "1e999" is not a finite number',
    ]);
    expect(result.values).toEqual([]);
  });

  it('says what a FRED header looks like when forced onto another file', () => {
    const result = parseDataFile(lines('entity,period,value', 'France,2010,1'), { format: 'fred' });
    expect(result.format).toBe('fred');
    expect(result.detected).toBe('tidy');
    expect(errors(result)).toEqual([
      expect.objectContaining({
        row: 1,
        column: 'entity',
        reason: expect.stringContaining('"observation_date" (or "DATE")'),
      }),
    ]);
  });
});
