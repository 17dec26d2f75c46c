import { describe, expect, it } from 'vitest';
import { formatProblem, parseDataFile } from '@/lib/formats';
import { errors, lines, utf8, warnings } from './helpers';

describe('tidy files', () => {
  it('reads entity names, ISO codes and every period precision', () => {
    const result = parseDataFile(
      lines(
        'entity,period,value',
        'France,2010,1.5',
        'FRA,2010-06,-2',
        'Chad,2010-06-24,1e3',
        'WLD,2011,7',
      ),
    );
    expect(result.format).toBe('tidy');
    expect(result.detected).toBe('tidy');
    expect(result.problems).toEqual([]);
    expect(result.rowsRead).toBe(4);
    expect(result.values).toEqual([
      {
        row: 2,
        column: 'value',
        entityCode: 'FRA',
        entityName: 'France',
        isAggregate: false,
        period: '2010',
        precision: 'year',
        value: 1.5,
      },
      {
        row: 3,
        column: 'value',
        entityCode: 'FRA',
        entityName: null,
        isAggregate: false,
        period: '2010-06',
        precision: 'month',
        value: -2,
      },
      {
        row: 4,
        column: 'value',
        // Names without a code get one from the country library.
        entityCode: 'TCD',
        entityName: 'Chad',
        isAggregate: false,
        period: '2010-06-24',
        precision: 'day',
        value: 1000,
      },
      {
        row: 5,
        column: 'value',
        entityCode: 'WLD',
        entityName: null,
        isAggregate: true,
        period: '2011',
        precision: 'year',
        value: 7,
      },
    ]);
  });

  it('finds optional columns in any order and any case, and a code column', () => {
    const result = parseDataFile(
      lines(
        'Note,HIGH,Value,Unit,Period,low,Code,ENTITY',
        'provisional,2,1.5,%,2010,1,fra,France',
        ',,3,,2011,,,Chad',
      ),
    );
    expect(result.problems).toEqual([]);
    expect(result.values).toEqual([
      {
        row: 2,
        column: 'Value',
        entityCode: 'FRA',
        entityName: 'France',
        isAggregate: false,
        period: '2010',
        precision: 'year',
        value: 1.5,
        low: 1,
        high: 2,
        unit: '%',
        note: 'provisional',
      },
      {
        row: 3,
        column: 'Value',
        entityCode: 'TCD',
        entityName: 'Chad',
        isAggregate: false,
        period: '2011',
        precision: 'year',
        value: 3,
      },
    ]);
  });

  it('keeps quoted commas, doubled quotes and newlines in notes, and counts their lines', () => {
    const result = parseDataFile(
      lines(
        'entity,period,value,note',
        '"Korea, Rep.",2010,1,"revised, see ""Table 2"""',
        'Chad,2011,2,"first line',
        'second line, still the note"',
        'Peru,2012,3,plain',
      ),
    );
    expect(result.problems).toEqual([]);
    expect(result.rowsRead).toBe(3);
    expect(result.values.map((v) => [v.row, v.entityName, v.note])).toEqual([
      [2, 'Korea, Rep.', 'revised, see "Table 2"'],
      [3, 'Chad', 'first line\nsecond line, still the note'],
      [5, 'Peru', 'plain'],
    ]);
  });

  it('reads the same rows, at the same line numbers, whatever the line endings', () => {
    const rows = [
      'entity,period,value,note',
      'France,2010,1,"two\nlines"',
      '',
      'Chad,2011,2,x',
      'Peru,2012,3,y',
    ];
    const expected = parseDataFile(rows.join('\n'));
    expect(expected.problems).toEqual([]);
    expect(expected.values.map((v) => v.row)).toEqual([2, 5, 6]);
    const variants = [
      rows.join('\r\n'),
      `${rows.join('\r\n')}\r\n`,
      rows.join('\r'),
      `${rows[0]}\r\n${rows[1]}\n${rows[2]}\r\n${rows[3]}\r${rows[4]}\n`,
      rows.join('\n').replace('two\nlines', 'two\r\nlines'),
    ];
    for (const text of variants) {
      const result = parseDataFile(text);
      expect(result.problems, JSON.stringify(text)).toEqual([]);
      expect(
        result.values.map((v) => ({ ...v, note: v.note?.replace(/\r\n?/g, '\n') })),
        JSON.stringify(text),
      ).toEqual(expected.values);
    }
  });

  it('reads UTF-8 with and without a BOM, and names with accents', () => {
    const text = lines('entity,period,value', 'Côte d’Ivoire,2010,1', 'São Tomé,2010,2');
    for (const input of [text, `\uFEFF${text}`, utf8(text), utf8(`\uFEFF${text}`)]) {
      const result = parseDataFile(input);
      expect(result.problems).toEqual([]);
      expect(result.values.map((v) => [v.row, v.entityName])).toEqual([
        [2, 'Côte d’Ivoire'],
        [3, 'São Tomé'],
      ]);
    }
  });

  it('skips empty lines, and lines of empty fields, without losing line numbers', () => {
    const result = parseDataFile(
      '\n\nentity,period,value\n\n,,\nFrance,2010,1\n   \n\nChad,2010,2\n\n',
    );
    expect(result.problems).toEqual([]);
    expect(result.rowsRead).toBe(2);
    expect(result.values.map((v) => v.row)).toEqual([6, 9]);
  });

  it('reports bad cells with row, column and reason', () => {
    const result = parseDataFile(
      lines(
        'entity,period,value',
        'France,2010,abc',
        'France,2011,',
        'France,2012,"1,234"',
        'France,2013,NaN',
        'France,2010-13,1',
        'France,3000,1',
        ',2014,1',
        'France,06/2015,1',
        'France,2016,1',
      ),
    );
    expect(errors(result).map(formatProblem)).toEqual([
      'row 2, column "value": "abc" is not a number',
      'row 3, column "value": the value is empty; every row of a tidy file needs one',
      expect.stringMatching(
        /^row 4, column "value": "1,234" is not a number: commas are ambiguous/,
      ),
      'row 5, column "value": "NaN" is not a finite number',
      'row 6, column "period": "2010-13" is not a real month: there is no month 13',
      'row 7, column "period": year 3000 is outside the accepted range 1000–2200',
      'row 8, column "entity": the entity is empty',
      expect.stringMatching(/^row 9, column "period": "06\/2015" is not a period/),
    ]);
    expect(result.values.map((v) => v.row)).toEqual([10]);
  });

  it('applies minYear and maxYear', () => {
    const text = lines('entity,period,value', 'France,1950,1', 'France,2050,2');
    expect(errors(parseDataFile(text))).toEqual([]);
    const result = parseDataFile(text, { minYear: 1960, maxYear: 2030 });
    expect(errors(result).map(formatProblem)).toEqual([
      'row 2, column "period": year 1950 is outside the accepted range 1960–2030',
      'row 3, column "period": year 2050 is outside the accepted range 1960–2030',
    ]);
  });

  it('reports a repeated entity and period on the second row, naming the first', () => {
    const result = parseDataFile(
      lines(
        'entity,code,period,value',
        'France,FRA,2010,1',
        'France,FRA,2011,1',
        'La France,FRA,2010,2',
        'Chad,,2010,1',
        'Chad,,2010,3',
      ),
    );
    expect(errors(result)).toEqual([
      {
        row: 4,
        column: 'period',
        reason: 'duplicate: "La France" already has a value for 2010 on row 2',
        severity: 'error',
      },
      {
        row: 6,
        column: 'period',
        reason: 'duplicate: "Chad" already has a value for 2010 on row 5',
        severity: 'error',
      },
    ]);
  });

  it('reports invalid codes and low/high bounds', () => {
    const result = parseDataFile(
      lines(
        'entity,code,period,value,low,high',
        'France,FR,2010,1,,',
        'Chad,TCD,2010,1,2,0',
        'Peru,PER,2010,1,x,',
        'Iran,IRN,2010,5,1,2',
      ),
    );
    expect(errors(result).map(formatProblem)).toEqual([
      'row 2, column "code": "FR" is not a three-letter ISO 3166 code',
      'row 3, column "low": low (2) is greater than high (0)',
      'row 4, column "low": "x" is not a number',
    ]);
    expect(warnings(result)).toEqual([
      expect.objectContaining({
        row: 5,
        column: 'value',
        reason: expect.stringContaining('outside'),
      }),
    ]);
    expect(result.values.map((v) => v.entityCode)).toEqual(['IRN']);
  });

  it('names missing required columns', () => {
    const result = parseDataFile(lines('entity,year,amount', 'France,2010,1'), { format: 'tidy' });
    expect(errors(result)).toEqual([
      {
        row: 1,
        column: null,
        reason: expect.stringContaining('missing required columns "period", "value"'),
        severity: 'error',
      },
    ]);
    expect(result.values).toEqual([]);
  });

  it('warns about columns it does not know and refuses duplicated ones', () => {
    const extra = parseDataFile(lines('entity,period,value,source', 'France,2010,1,INSEE'));
    expect(errors(extra)).toEqual([]);
    expect(warnings(extra)).toEqual([
      expect.objectContaining({
        row: 1,
        column: 'source',
        reason: expect.stringContaining('ignored'),
      }),
    ]);
    expect(extra.values).toHaveLength(1);

    const twice = parseDataFile(lines('entity,period,value,Value', 'France,2010,1,2'));
    expect(errors(twice)).toEqual([
      expect.objectContaining({
        row: 1,
        column: 'Value',
        reason: 'the header names this column twice (columns 3 and 4)',
      }),
    ]);
  });

  it('reports a ragged row and goes on with the next', () => {
    const result = parseDataFile(
      lines(
        'entity,period,value',
        'France,2010,1',
        'Chad,2010',
        'Peru,2010,1,extra',
        'Iran,2010,4',
      ),
    );
    expect(errors(result)).toEqual([
      {
        row: 3,
        column: null,
        reason: 'this row has 2 fields but the header has 3',
        severity: 'error',
      },
      {
        row: 4,
        column: null,
        reason: 'this row has 4 fields but the header has 3',
        severity: 'error',
      },
    ]);
    expect(result.rowsRead).toBe(4);
    expect(result.values.map((v) => v.entityName)).toEqual(['France', 'Iran']);
  });
});
