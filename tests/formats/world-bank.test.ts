import fs from 'node:fs';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { formatProblem, parseDataFile, WORLD_BANK_AGGREGATE_CODES } from '@/lib/formats';
import { errors, lines, utf8, WB_FIXTURE, WB_METADATA } from './helpers';

const fixtureBytes = new Uint8Array(fs.readFileSync(WB_FIXTURE));
const fixtureText = fs.readFileSync(WB_FIXTURE, 'utf8');
const fixtureLines = fixtureText.split('\n');

const PREAMBLE =
  '\uFEFF"Data Source","World Development Indicators",\n\n"Last Updated Date","2024-06-28",\n\n';
const HEADER = '"Country Name","Country Code","Indicator Name","Indicator Code","2000","2001",';
const IND = '"Population growth (annual %)","SP.POP.GROW"';

describe('World Bank: the real SP.POP.GROW download', () => {
  const result = parseDataFile(fixtureBytes);

  it('is detected and read without a single problem', () => {
    expect(result.format).toBe('worldbank');
    expect(result.detected).toBe('worldbank');
    expect(result.problems).toEqual([]);
    expect(result.rowsRead).toBe(266);
  });

  it('reads the preamble and indicator into meta', () => {
    expect(result.meta.lastUpdated).toBe('2024-06-28');
    expect(result.meta.indicatorCode).toBe('SP.POP.GROW');
    expect(result.meta.indicatorName).toBe('Population growth (annual %)');
  });

  it('accounts for every one of the 64 year cells of every row', () => {
    expect(result.values.length + result.meta.missing).toBe(266 * 64);
    expect(result.meta.missing).toBeGreaterThan(64);
  });

  it('gives CHN 2010 exactly the number written in the file, at its physical line', () => {
    const chn = result.values.find((v) => v.entityCode === 'CHN' && v.period === '2010');
    expect(chn).toMatchObject({
      column: '2010',
      entityName: 'China',
      isAggregate: false,
      precision: 'year',
      value: 0.482959688678361,
    });
    // Lines are 1-based: the row's own line in the file holds that exact text.
    const line = fixtureLines[(chn?.row ?? 0) - 1] ?? '';
    expect(line.startsWith('"China","CHN"')).toBe(true);
    expect(line).toContain('"0.482959688678361"');
  });

  it('yields nothing, and no problem, for the all-empty "Not classified" (INX) row', () => {
    const inxLine = fixtureLines.findIndex((l) => l.includes('"INX"')) + 1;
    expect(inxLine).toBeGreaterThan(5);
    expect(result.values.filter((v) => v.entityCode === 'INX')).toEqual([]);
    expect(result.problems.filter((p) => p.row === inxLine)).toEqual([]);
  });

  it('flags aggregates (Region empty in the metadata) and only them', () => {
    const metadata = parse(fs.readFileSync(WB_METADATA), { bom: true, relax_column_count: true });
    const aggregates = new Set(
      metadata.slice(1).flatMap((row) => ((row[1] ?? '').trim() === '' ? [row[0] ?? ''] : [])),
    );
    expect(aggregates.size).toBe(48);
    for (const code of aggregates) expect(WORLD_BANK_AGGREGATE_CODES.has(code)).toBe(true);
    for (const v of result.values) {
      expect(v.isAggregate, v.entityCode ?? '').toBe(aggregates.has(v.entityCode ?? ''));
    }
    const flagged = new Set(result.values.filter((v) => v.isAggregate).map((v) => v.entityCode));
    expect(flagged).toEqual(aggregates);
    expect(flagged.has('WLD')).toBe(true);
    expect(flagged.has('FRA')).toBe(false);
  });

  it('keeps the header’s year order for every row', () => {
    const aruba = result.values.filter((v) => v.entityCode === 'ABW').map((v) => v.column);
    expect(aruba[0]).toBe('1961'); // 1960 is empty in the file
    expect(aruba.at(-1)).toBe('2023');
    expect(aruba).toEqual([...aruba].sort());
    expect(new Set(aruba).size).toBe(aruba.length);
  });

  it('reads the same values from the file without its preamble, and without its BOM', () => {
    const body = fixtureLines.slice(4).join('\n');
    for (const input of [body, utf8(body), `\uFEFF${body}`]) {
      const bare = parseDataFile(input);
      expect(bare.detected).toBe('worldbank');
      expect(bare.problems).toEqual([]);
      expect(bare.meta.lastUpdated).toBeUndefined();
      expect(bare.meta.indicatorCode).toBe('SP.POP.GROW');
      expect(bare.values).toEqual(result.values.map((v) => ({ ...v, row: v.row - 4 })));
    }
  });

  it('reads the same values with CRLF line endings', () => {
    const crlf = parseDataFile(fixtureText.replace(/\n/g, '\r\n'));
    expect(crlf.problems).toEqual([]);
    expect(crlf.values).toEqual(result.values);
  });
});

describe('World Bank: small files', () => {
  it('accepts rows with or without the trailing empty field', () => {
    const result = parseDataFile(
      PREAMBLE + lines(HEADER, `"France","FRA",${IND},"1.5","1.6",`, `"Chad","TCD",${IND},"3",""`),
    );
    expect(result.problems).toEqual([]);
    expect(result.values.map((v) => [v.entityCode, v.period, v.value, v.row])).toEqual([
      ['FRA', '2000', 1.5, 6],
      ['FRA', '2001', 1.6, 6],
      ['TCD', '2000', 3, 7],
    ]);
    expect(result.meta.missing).toBe(1);
  });

  it('reports a ragged row, and a value in the unnamed trailing column, on their rows', () => {
    const result = parseDataFile(
      PREAMBLE +
        lines(
          HEADER,
          `"France","FRA",${IND},"1.5"`,
          `"Chad","TCD",${IND},"3","4","oops"`,
          `"Peru","PER",${IND},"1","2",`,
        ),
    );
    expect(errors(result)).toEqual([
      expect.objectContaining({
        row: 6,
        column: null,
        reason: expect.stringContaining('this row has 5 fields but the header has 6'),
      }),
      expect.objectContaining({ row: 7, reason: expect.stringContaining('has 7 fields') }),
    ]);
    expect(result.values.map((v) => v.entityCode)).toEqual(['PER', 'PER']);
  });

  it('reports non-numeric cells by row and year column', () => {
    const result = parseDataFile(
      PREAMBLE +
        lines(HEADER, `"France","FRA",${IND},"1.5","n/a",`, `"Chad","TCD",${IND},"..","2",`),
    );
    expect(errors(result).map(formatProblem)).toEqual([
      'row 6, column "2001": "n/a" is not a number',
      'row 7, column "2000": ".." is not a number',
    ]);
  });

  it('reports a repeated country on its second row, naming the first', () => {
    const result = parseDataFile(
      PREAMBLE +
        lines(
          HEADER,
          `"France","FRA",${IND},"1","2",`,
          `"Chad","TCD",${IND},"1","2",`,
          `"France","FRA",${IND},"3","4",`,
        ),
    );
    expect(errors(result)).toEqual([
      {
        row: 8,
        column: 'Country Code',
        reason: 'duplicate: FRA already appeared on row 6',
        severity: 'error',
      },
    ]);
  });

  it('refuses a file that mixes indicators', () => {
    const result = parseDataFile(
      PREAMBLE +
        lines(
          HEADER,
          `"France","FRA",${IND},"1","2",`,
          `"Chad","TCD","GDP","NY.GDP.MKTP.CD","1","2",`,
        ),
    );
    expect(errors(result)).toEqual([
      expect.objectContaining({
        row: 7,
        column: 'Indicator Code',
        reason: expect.stringContaining('"NY.GDP.MKTP.CD" differs from "SP.POP.GROW" on row 6'),
      }),
    ]);
  });

  it('refuses header columns that are not years in range', () => {
    const result = parseDataFile(
      lines(
        '"Country Name","Country Code","Indicator Name","Indicator Code","2000","Total","2300",',
        `"France","FRA",${IND},"1","2","3",`,
      ),
    );
    expect(errors(result)).toEqual([
      expect.objectContaining({
        row: 1,
        column: 'Total',
        reason: expect.stringContaining('not a period'),
      }),
      expect.objectContaining({
        row: 1,
        column: '2300',
        reason: expect.stringContaining('outside'),
      }),
    ]);
    expect(result.values).toEqual([]);
  });

  it('names the missing columns when forced onto a file that is not World Bank', () => {
    const result = parseDataFile(lines('entity,period,value', 'France,2010,1'), {
      format: 'worldbank',
    });
    expect(result.format).toBe('worldbank');
    expect(result.detected).toBe('tidy');
    expect(errors(result)).toEqual([
      expect.objectContaining({
        row: 1,
        reason: expect.stringContaining(
          'missing required columns "Country Name", "Country Code", "Indicator Name", "Indicator Code"',
        ),
      }),
    ]);
  });
});
