import { describe, expect, it } from 'vitest';
import { formatProblem, MAX_PROBLEMS_PER_SEVERITY, parseDataFile } from '@/lib/formats';
import { errors, lines, utf8 } from './helpers';

const EMPTY = [{ row: null, column: null, reason: 'The file is empty', severity: 'error' }];

describe('problems that concern the whole file', () => {
  it('says an empty file is empty, whatever emptiness it has', () => {
    const inputs: (string | Uint8Array)[] = [
      new Uint8Array(0),
      '',
      ' \n\r\n\t',
      '\uFEFF',
      new Uint8Array([0xef, 0xbb, 0xbf, 0x0a]),
    ];
    for (const input of inputs) {
      const result = parseDataFile(input);
      expect(result.problems).toEqual(EMPTY);
      expect(result.values).toEqual([]);
      expect(result.rowsRead).toBe(0);
    }
  });

  it('refuses broken UTF-8, naming the byte offset and the line', () => {
    // "Curaçao" in UTF-8 makes this a UTF-8 file; the Latin-1 "é" (0xE9) after it is then a
    // broken byte, not another encoding (a file of Latin-1 only is read as such: encoding.test).
    const before = utf8('entity,period,value\r\nCuraçao,2010,1\r\nCaf');
    const bytes = new Uint8Array([...before, 0xe9, ...utf8(',2011,2\r\n')]);
    const result = parseDataFile(bytes);
    expect(result.values).toEqual([]);
    expect(result.problems).toHaveLength(1);
    expect(result.problems[0]).toMatchObject({ row: 3, column: null, severity: 'error' });
    expect(result.problems[0]?.reason).toContain('not valid UTF-8');
    expect(result.problems[0]?.reason).toContain(`byte offset ${before.length} (line 3)`);
  });

  it('finds the first invalid sequence of each kind', () => {
    const cases: [number[], number][] = [
      [[0x61, 0x80, 0x62], 1], // stray continuation byte
      [[0x61, 0xc0, 0x80], 1], // overlong encoding of NUL
      [[0x61, 0xed, 0xa0, 0x80], 1], // UTF-16 surrogate
      [[0x61, 0xf4, 0x90, 0x80, 0x80], 1], // above U+10FFFF
      [[0x61, 0xc3, 0xa9, 0x62, 0xe2, 0x82], 4], // truncated at the end, after a valid "é"
      [[0x0a, 0x0a, 0xff], 2], // 0xFF never occurs in UTF-8
    ];
    for (const [bytes, offset] of cases) {
      // A valid "é" after the broken sequence marks the file as meant to be UTF-8.
      const reason =
        parseDataFile(new Uint8Array([...bytes, 0xc3, 0xa9])).problems[0]?.reason ?? '';
      expect(reason, bytes.join(' ')).toContain(`byte offset ${offset} `);
    }
    expect(parseDataFile(new Uint8Array([0x0a, 0x0a, 0xff, 0xc3, 0xa9])).problems[0]?.row).toBe(3);
  });

  it('lists what each format expects when no column can be mapped', () => {
    const result = parseDataFile(lines('label,colour,size', 'alpha,red,big'));
    expect(result.detected).toBe('columns');
    expect(result.values).toEqual([]);
    expect(result.file.needs).toContain('columns');
    expect(errors(result).map((p) => p.reason)).toEqual([
      'mapping.period: choose the column that holds the period (year or date), or the one period the whole file is about',
      'mapping.values: choose at least one value column',
      expect.stringContaining('unrecognised file format'),
    ]);
    const problem = errors(result)[2];
    expect(problem).toMatchObject({ row: 1, column: null, severity: 'error' });
    expect(problem?.reason).toContain('"label", "colour", "size"');
    for (const expected of [
      'entity, period, value',
      'Entity, Code, Year (or Day)',
      'Country Name, Country Code, Indicator Name, Indicator Code',
      'observation_date (or DATE)',
    ]) {
      expect(problem?.reason).toContain(expected);
    }
  });

  it('stops at maxRows, reporting the first row over the limit', () => {
    const text = lines(
      'entity,period,value',
      'France,2010,1',
      '',
      'France,2011,2',
      'France,2012,3',
      'France,2013,4',
      'France,2014,5',
    );
    const result = parseDataFile(text, { maxRows: 3 });
    expect(result.rowsRead).toBe(3);
    expect(result.values.map((v) => v.period)).toEqual(['2010', '2011', '2012']);
    expect(errors(result)).toEqual([
      {
        row: 6,
        column: null,
        reason:
          'the file has more than 3 data rows, the most one upload may have; reading stopped here',
        severity: 'error',
      },
    ]);
    expect(errors(parseDataFile(text, { maxRows: 5 }))).toEqual([]);
  });

  it('keeps the first errors of a badly broken file and counts the rest', () => {
    const rows = Array.from({ length: 1500 }, (_, i) => `Entity ${i},2010,x`);
    const result = parseDataFile(lines('entity,period,value', ...rows));
    expect(result.rowsRead).toBe(1500);
    expect(result.problems).toHaveLength(MAX_PROBLEMS_PER_SEVERITY + 1);
    expect(result.problems[0]).toMatchObject({ row: 2, column: 'value' });
    expect(result.problems[MAX_PROBLEMS_PER_SEVERITY - 1]).toMatchObject({ row: 1001 });
    expect(result.problems.at(-1)).toEqual({
      row: null,
      column: null,
      reason: '…and 500 more errors',
      severity: 'error',
    });
  });

  it('reports an unclosed quote on the line where its record starts', () => {
    const result = parseDataFile(
      lines(
        'entity,period,value,note',
        'France,2010,1,ok',
        'Chad,2011,2,"never closed',
        'Peru,2012,3,x',
      ),
    );
    expect(result.values.map((v) => v.entityName)).toEqual(['France']);
    expect(errors(result)).toEqual([
      expect.objectContaining({
        row: 3,
        column: null,
        reason: expect.stringContaining('never closed'),
      }),
    ]);
  });

  it('reports a stray quote inside a field and text after a closing quote', () => {
    const stray = parseDataFile(lines('entity,period,value', 'France,2010,1', 'Ch"ad,2011,2'));
    expect(errors(stray).map(formatProblem)).toEqual([
      expect.stringMatching(/^row 3: a " appears inside a field that is not quoted/),
    ]);
    const after = parseDataFile(lines('entity,period,value', '"France"x,2010,1'));
    expect(errors(after).map(formatProblem)).toEqual([
      expect.stringMatching(/^row 2: unexpected text after a closing quote/),
    ]);
  });
});

describe('files that are almost right', () => {
  it('reads semicolon- and tab-separated files, with decimal commas', () => {
    const semicolons = parseDataFile(lines('entity;period;value', 'France;2010;1,5'));
    expect(errors(semicolons)).toEqual([]);
    expect(semicolons.file).toMatchObject({ delimiter: ';', decimal: ',' });
    expect(semicolons.values.map((v) => [v.entityCode, v.value])).toEqual([['FRA', 1.5]]);
    const tabs = parseDataFile(lines('entity\tperiod\tvalue', 'France\t2010\t1'));
    expect(errors(tabs)).toEqual([]);
    expect(tabs.file.delimiter).toBe('\t');
  });

  it('warns about a header without data', () => {
    const result = parseDataFile('observation_date,UNRATE\r\n\r\n');
    expect(result.problems).toEqual([
      {
        row: 1,
        column: null,
        reason: 'the file has a header but no data rows',
        severity: 'warning',
      },
    ]);
  });
});
