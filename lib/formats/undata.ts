// UNdata downloads, in their two shapes:
//   UN Statistical Yearbook tables (data.un.org/_Docs/SYB): a title row ("T02,Population,
//   density and surface area"), then Region/Country/Area,,Year,Series,Value,Footnotes,Source,
//   the first column holding UN M49 codes and the unnamed second one the names; values with
//   thousands separators inside quotes ("9,600"); older files in Windows-1252.
//   UNdata explorer exports (data.un.org/Data.aspx): "Country or Area","Year","Value",
//   "Value Footnotes" (sometimes with "Item", "Unit"…), then after the data a footnote block
//   headed "footnoteSeqID","Footnote".
import type { CsvRecord } from './csv-records';
import type { Detection } from './layout';
import { columnRefs } from './table';

const SERIES_COLUMNS = ['series', 'item', 'commodity - transaction', 'indicator', 'subgroup'];

export function detectUnData(records: readonly CsvRecord[]): Detection | null {
  for (let h = 0; h < Math.min(records.length, 6); h++) {
    const names = records[h]!.fields.map((n) => n.trim());
    const keys = names.map((n) => n.toLowerCase());
    const refs = columnRefs(names);
    const at = (name: string) => keys.indexOf(name);
    if (keys[0] === 'region/country/area' && at('year') >= 0 && at('value') >= 0) {
      // The names sit in the unnamed column after the codes.
      const nameColumn = names[1] === '' ? refs[1]! : undefined;
      return {
        format: 'undata',
        headerIndex: h,
        mapping: {
          ...(h > 0 ? { headerRow: records[h]!.line } : {}),
          code: refs[0]!,
          ...(nameColumn ? { entity: nameColumn } : {}),
          period: refs[at('year')]!,
          ...(at('series') >= 0 ? { seriesColumn: refs[at('series')]! } : {}),
          values: [refs[at('value')]!],
          ...(at('footnotes') >= 0 ? { note: refs[at('footnotes')]! } : {}),
        },
        ...(at('source') >= 0 ? { sourceColumn: refs[at('source')]! } : {}),
        confident: true,
      };
    }
    const year = keys.findIndex((k) => k === 'year' || k === 'year(s)');
    if (keys[0] === 'country or area' && year >= 0 && at('value') >= 0) {
      const series = keys.findIndex((k) => SERIES_COLUMNS.includes(k));
      return {
        format: 'undata',
        headerIndex: h,
        mapping: {
          entity: refs[0]!,
          period: refs[year]!,
          values: [refs[at('value')]!],
          ...(series >= 0 ? { seriesColumn: refs[series]! } : {}),
          ...(at('unit') >= 0 ? { unit: refs[at('unit')]! } : {}),
          ...(at('value footnotes') >= 0 ? { note: refs[at('value footnotes')]! } : {}),
        },
        stopAt: isFootnoteHeader,
        confident: true,
      };
    }
  }
  return null;
}

export function isFootnoteHeader(fields: readonly string[]): boolean {
  return (fields[0] ?? '').trim().toLowerCase() === 'footnoteseqid';
}
