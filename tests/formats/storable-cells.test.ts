// Text no store keeps alike (NUL, lone surrogates) in the cells an import keeps: an error
// of the first row that holds it, per kind of cell (lib/formats/storable-cells.ts).
import { describe, expect, it } from 'vitest';
import { readDataFile } from '@/lib/formats';
import { unstorableCells } from '@/lib/formats/storable-cells';
import { ValueTable } from '@/lib/formats/value-table';
import type { ParsedValue } from '@/lib/formats/types';

const value = (row: number, extra: Partial<ParsedValue> = {}): ParsedValue => ({
  row,
  column: 'value',
  entityCode: 'FRA',
  entityName: 'France',
  isAggregate: false,
  period: '2010',
  precision: 'year',
  value: 1,
  ...extra,
});

describe('unstorableCells', () => {
  it('finds nothing in clean text, however odd', () => {
    const table = ValueTable.from([
      value(2, { note: 'ok 👍 \u200F', unit: 'people per km²', series: 'GDP' }),
      value(3, { entityName: 'Côte d’Ivoire', entityCode: 'CIV' }),
    ]);
    expect(unstorableCells(table)).toEqual([]);
  });

  it('names the first row of each kind of cell that holds a NUL or a lone surrogate', () => {
    const table = ValueTable.from([
      value(2),
      value(3, { note: 'half \uD83D' }),
      value(4, { note: 'half \uD83D', unit: '%\u0000' }),
      value(5, { series: '\uDC00GDP', entityName: 'Fr\u0000ance', column: 'v\u0000' }),
      value(6, { entityCode: 'X\uD800' }),
    ]);
    const surrogate = 'contains a lone surrogate, which is not valid Unicode';
    expect(unstorableCells(table).map((p) => [p.row, p.column, p.reason])).toEqual([
      [5, 'entity', expect.stringContaining('the entity name contains a NUL character')],
      [6, 'code', expect.stringContaining(`the entity code ${surrogate}`)],
      [4, 'unit', expect.stringContaining('the unit contains a NUL character')],
      [3, 'note', expect.stringContaining(`the note ${surrogate}`)],
      [5, 'series', expect.stringContaining(`the series ${surrogate}`)],
      [5, null, expect.stringContaining("the value column's header contains a NUL character")],
    ]);
  });

  it('makes a file with such a cell an error of its row, and leaves unread columns alone', () => {
    const read = (text: string) =>
      readDataFile(text).problems.filter((p) => p.severity === 'error');
    expect(read('entity,code,period,value,note\nFrance,FRA,2010,1.5,a\u0000b')).toEqual([
      expect.objectContaining({ row: 2, column: 'note', reason: expect.stringContaining('NUL') }),
    ]);
    expect(read('entity,code,period,value,extra\nFrance,FRA,2010,1.5,a\u0000b')).toEqual([]);
    expect(read('entity,code,period,value,ex\u0000tra\nFrance,FRA,2010,1.5,x')).toEqual([]);
  });
});
