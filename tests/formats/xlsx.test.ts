import { describe, expect, it } from 'vitest';
import { formatProblem, parseDataFile } from '@/lib/formats';
import { buildXlsx, excelDate } from './xlsx-builder';
import { errors, warnings } from './helpers';

// An agency's workbook: a notes sheet first, then the table under a title, a unit line and a
// blank row, with a source note under it.
const agency = () =>
  buildXlsx([
    { name: 'Contents', rows: [['Statistical Review of World Energy 2024'], ['See sheet "Oil"']] },
    {
      name: 'Oil',
      rows: [
        ['Oil: consumption'],
        ['Exajoules'],
        null,
        ['Country', 'Year', 'ISO3', 'Value'],
        ['China', 2022, 'CHN', 28.25],
        ['Kazakhstan', 2022, 'KAZ', 0.67],
        ['Total World', 2022, null, 190.69],
        ['China', 2023, 'CHN', 32.5],
        null,
        ['Source: Energy Institute Statistical Review of World Energy'],
      ],
    },
    { name: 'Hidden', hidden: true, rows: [['x']] },
  ]);

describe('.xlsx workbooks', () => {
  it('lists the visible sheets and reads the first one with data', () => {
    const r = parseDataFile(agency());
    expect(r.file).toMatchObject({
      encodingHow: 'xlsx',
      sheets: ['Contents', 'Oil'],
      sheet: 'Contents',
      delimiter: null,
    });
  });

  it('reads the chosen sheet: title rows skipped, rows numbered as in the spreadsheet', () => {
    const r = parseDataFile(agency(), { mapping: { sheet: 'Oil' } });
    expect(r.file.sheet).toBe('Oil');
    expect(r.file.headerRow).toBe(4);
    expect(r.file.mapping).toEqual({
      sheet: 'Oil',
      headerRow: 4,
      entity: 'Country',
      code: 'ISO3',
      period: 'Year',
      values: ['Value'],
    });
    expect(errors(r)).toEqual([]);
    expect(r.values.map((v) => [v.row, v.entityCode, v.period, v.value])).toEqual([
      [5, 'CHN', '2022', 28.25],
      [6, 'KAZ', '2022', 0.67],
      [7, null, '2022', 190.69],
      [8, 'CHN', '2023', 32.5],
    ]);
    expect(warnings(r).map(formatProblem)).toEqual([
      'row 10: not a data row, skipped: "Source: Energy Institute Statistical Rev…"',
    ]);
  });

  it('takes the header row the user gives', () => {
    const r = parseDataFile(agency(), { mapping: { sheet: 'Oil', headerRow: 4 } });
    expect(r.values).toHaveLength(4);
  });

  it('reads date cells as ISO dates, and a "yyyy" format as a year', () => {
    const book = buildXlsx([
      {
        name: 'Daily',
        rows: [
          ['entity', 'period', 'value'],
          ['France', { date: excelDate('2020-03-01') }, 1.5],
          ['France', { date: excelDate('2021-06-30'), format: 'yyyy' }, 2],
        ],
      },
    ]);
    const r = parseDataFile(book);
    expect(r.format).toBe('tidy');
    expect(r.values.map((v) => [v.period, v.precision])).toEqual([
      ['2020-03-01', 'day'],
      ['2021', 'year'],
    ]);
  });

  it('refuses workbooks with macros or external links, and sheets that do not exist', () => {
    const table = [
      {
        name: 'Data',
        rows: [
          ['entity', 'period', 'value'],
          ['France', 2020, 1],
        ],
      },
    ];
    expect(parseDataFile(buildXlsx(table, { macros: true })).problems[0]?.reason).toMatch(
      /^The workbook contains macros \(vbaProject\.bin\)/,
    );
    expect(parseDataFile(buildXlsx(table, { externalLink: true })).problems[0]?.reason).toMatch(
      /^The workbook links to other workbooks/,
    );
    expect(
      parseDataFile(buildXlsx(table), { mapping: { sheet: 'Nope' } }).problems[0]?.reason,
    ).toBe('The workbook has no sheet "Nope"; its sheets are "Data"');
  });

  it('applies the size and row limits', () => {
    const rows = [
      ['entity', 'period', 'value'],
      ...Array.from({ length: 50 }, (_, i) => ['France', 1900 + i, i]),
    ];
    const book = buildXlsx([{ name: 'Data', rows }]);
    const small = parseDataFile(book, { maxBytes: 100 });
    expect(small.problems[0]?.reason).toMatch(/unpacks to \d+ MB, more than the limit/);
    const few = parseDataFile(book, { maxRows: 10 });
    expect(errors(few).map((p) => p.reason)).toEqual([
      'the file has more than 10 data rows, the most one upload may have; reading stopped here',
    ]);
    expect(few.values).toHaveLength(10);
  });

  it('says a damaged archive is damaged', () => {
    const book = buildXlsx([{ name: 'Data', rows: [['a']] }]);
    expect(parseDataFile(book.subarray(0, 200)).problems[0]?.reason).toMatch(/damaged/);
  });
});
