// The Add data preview's lines, drawn on the write worker from the parsed file: one per file
// series and planned entity, in the indicator's unit, in period order, and never more than
// 12 lines of 2,000 points, whatever the file holds.
import { describe, expect, it } from 'vitest';
import type { ParsedValue } from '@/lib/formats';
import { ValueTable } from '@/lib/formats/value-table';
import { MAX_PREVIEW_LINES, MAX_PREVIEW_POINTS, previewLines } from '@/lib/import/preview-lines';
import type { EntityPlan, ImportReport } from '@/lib/import/report';
import type { FileImport } from '@/lib/import/sources';
import type { ImportMeta } from '@/lib/schemas';

const meta = {} as ImportMeta;

const value = (entityCode: string | null, period: string, v: number, row = 1): ParsedValue => ({
  row,
  column: 'value',
  entityCode,
  entityName: null,
  isAggregate: false,
  period,
  precision: 'year',
  value: v,
});

const plan = (code: string, seriesLabel = `Test: ${code}`): EntityPlan => ({
  code,
  name: `Name of ${code}`,
  isNew: false,
  seriesId: null,
  seriesLabel,
  values: 0,
  added: 0,
  changed: 0,
  unchanged: 0,
});

const report = (entities: EntityPlan[], factor = 1) =>
  ({ entities, unit: { declared: 'x', factor } }) as unknown as ImportReport;

const one = (values: ParsedValue[], table = true): FileImport => ({
  items: [{ meta, input: { values: table ? ValueTable.from(values) : values } }],
});

describe('the preview lines', () => {
  it('draw each planned entity once, converted by the unit factor, in period order', () => {
    const lines = previewLines(
      report([plan('FRA'), plan('DEU')], 1000),
      one([value('FRA', '2011', 2), value('DEU', '2010', 0.5), value('FRA', '2010', 1.25)]),
    );
    expect(lines).toEqual([
      {
        label: 'Test: FRA',
        entityCode: 'FRA',
        entityName: 'Name of FRA',
        points: [
          { period: '2010', precision: 'year', x: 2010, value: 1250, low: null, high: null },
          { period: '2011', precision: 'year', x: 2011, value: 2000, low: null, high: null },
        ],
      },
      {
        label: 'Test: DEU',
        entityCode: 'DEU',
        entityName: 'Name of DEU',
        points: [{ period: '2010', precision: 'year', x: 2010, value: 500, low: null, high: null }],
      },
    ]);
  });

  it('leave out what Save would not write: entities the plan does not have, rows without one', () => {
    const lines = previewLines(
      report([plan('FRA')]),
      one([value('FRA', '2010', 1), value('XXX', '2010', 2), value(null, '2010', 3)], false),
    );
    expect(lines.map((l) => l.entityCode)).toEqual(['FRA']);
  });

  it('name each of a file’s series by the plan’s label for it', () => {
    const file: FileImport = {
      items: ['GDP', 'Population'].map((series) => ({
        meta,
        input: { values: ValueTable.from([value('FRA', '2010', 1)]), series },
      })),
    };
    const lines = previewLines(
      report([plan('FRA', 'IMF: GDP (France)'), plan('FRA', 'IMF: Population (France)')]),
      file,
    );
    expect(lines.map((l) => l.label)).toEqual(['IMF: GDP (France)', 'IMF: Population (France)']);
  });

  it('stop at 12 lines of 2,000 points, the rest of a long file read and dropped', () => {
    const codes = Array.from({ length: 20 }, (_, i) => `E${String(i).padStart(2, '0')}`);
    const values: ParsedValue[] = [];
    for (let year = 0; year < 2500; year++)
      for (const code of codes) values.push(value(code, String(1000 + year), year));
    const lines = previewLines(report(codes.map((c) => plan(c))), one(values));
    expect(MAX_PREVIEW_LINES).toBe(12);
    expect(MAX_PREVIEW_POINTS).toBe(2000);
    expect(lines.map((l) => l.entityCode)).toEqual(codes.slice(0, 12));
    for (const line of lines) {
      expect(line.points).toHaveLength(2000);
      expect(line.points.at(-1)!.period).toBe('2999');
    }
  });
});
