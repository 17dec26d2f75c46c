import { describe, expect, it } from 'vitest';
import { detectFormat, FORMAT_LABELS, parseDataFile } from '@/lib/formats';
import { errors, lines, warnings } from './helpers';

describe('detectFormat', () => {
  it('recognises each format by its header', () => {
    expect(detectFormat(lines('entity,period,value', 'France,2010,1'))).toBe('tidy');
    expect(detectFormat(lines('Value , PERIOD,code,Entity', '1,2010,FRA,France'))).toBe('tidy');
    expect(detectFormat(lines('Entity,Code,Year,GDP', 'France,FRA,2010,1'))).toBe('owid');
    expect(detectFormat(lines('Entity,Code,Day,Cases', 'France,FRA,2020-03-01,1'))).toBe('owid');
    expect(
      detectFormat(
        '\uFEFF"Data Source","World Development Indicators",\n\n"Last Updated Date","2024-06-28",\n\n' +
          '"Country Name","Country Code","Indicator Name","Indicator Code","1960",\n',
      ),
    ).toBe('worldbank');
    expect(
      detectFormat('"Country Name","Country Code","Indicator Name","Indicator Code","1960",\r\n'),
    ).toBe('worldbank');
    expect(detectFormat(lines('observation_date,UNRATE', '2020-01-01,3.6'))).toBe('fred');
    expect(detectFormat(lines('DATE,GDPC1', '1947-01-01,2182.681'))).toBe('fred');
  });

  it('says null for anything else', () => {
    expect(detectFormat('')).toBeNull();
    expect(detectFormat(lines('country,year,gdp', 'France,2010,1'))).toBeNull();
    expect(detectFormat(lines('Entity,Year,GDP', 'France,2010,1'))).toBeNull();
    expect(detectFormat(lines('observation_date'))).toBeNull();
  });

  it('judges by the first record, however long the lines are', () => {
    const wide = `${'x,'.repeat(40_000)}x\n`;
    expect(detectFormat(`${wide}entity,period,value\n`)).toBeNull();
    expect(detectFormat(`entity,period,value,note\nFrance,2010,1,${'y'.repeat(200_000)}\n`)).toBe(
      'tidy',
    );
  });

  it('is not fooled by a quoted field that runs past the part it looks at', () => {
    const note = 'line\n'.repeat(40_000);
    const result = parseDataFile(
      lines('entity,period,value,note', `France,2010,1,"${note}"`, 'Chad,2010,2,'),
    );
    expect(result.detected).toBe('tidy');
    expect(result.problems).toEqual([]);
    expect(result.values.map((v) => v.row)).toEqual([2, 40_003]);
    expect(result.values[0]?.note?.length).toBe(note.trim().length);
  });

  it('labels every format', () => {
    expect(FORMAT_LABELS.worldbank).toBe('World Bank API download');
    expect(Object.keys(FORMAT_LABELS).sort()).toEqual([
      'columns',
      'databank',
      'fred',
      'owid',
      'panel',
      'tidy',
      'undata',
      'worldbank',
    ]);
  });
});

describe('overriding detection', () => {
  it('parses with the format the caller names and still reports what was detected', () => {
    // The first column is named like FRED's date column, but the file is a tidy one.
    const text = lines('date,entity,period,value', '2024-01-05,France,2010,1');
    expect(detectFormat(text)).toBe('fred');
    const result = parseDataFile(text, { format: 'tidy' });
    expect(result.format).toBe('tidy');
    expect(result.detected).toBe('fred');
    expect(errors(result)).toEqual([]);
    expect(warnings(result)).toEqual([expect.objectContaining({ column: 'date' })]);
    expect(result.values.map((v) => [v.entityName, v.period, v.value])).toEqual([
      ['France', '2010', 1],
    ]);
  });

  it('warns that valueColumn means nothing to a tidy file', () => {
    const result = parseDataFile(lines('entity,period,value', 'France,2010,1'), {
      valueColumn: 'value',
    });
    expect(errors(result)).toEqual([]);
    expect(warnings(result)).toEqual([
      expect.objectContaining({ reason: expect.stringContaining('only applies to OWID and FRED') }),
    ]);
    expect(result.values).toHaveLength(1);
  });
});
