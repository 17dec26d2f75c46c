// World Bank DataBank exports (databank.worldbank.org → Download → CSV), the usual way to get
// several WDI series at once. Two orientations:
//   wide: Country Name,Country Code,Series Name,Series Code,2004 [YR2004],2005 [YR2005],…
//   long: Time,Time Code,Country Name,Country Code,<Series name> [<CODE>],…
// Missing values are "..", and below the data come a blank line and footer lines
// ("Data from database: World Development Indicators", "Last Updated: 06/28/2024").
import type { CsvRecord } from './csv-records';
import type { Detection } from './layout';
import { columnRefs } from './table';

const YEAR_HEADER = /^\d{4}\s*\[YR\d{4}\]$/i;
const SERIES_HEADER = /\[[A-Za-z0-9._]+\]$/;

const has = (keys: string[], ...names: string[]) => names.every((n) => keys.includes(n));

export function detectDataBank(records: readonly CsvRecord[]): Detection | null {
  for (let h = 0; h < Math.min(records.length, 5); h++) {
    const names = records[h]!.fields.map((n) => n.trim());
    const keys = names.map((n) => n.toLowerCase());
    const refs = columnRefs(names);
    const ref = (name: string) => refs[keys.indexOf(name.toLowerCase())]!;
    if (
      has(keys, 'country name', 'country code', 'series name', 'series code') &&
      names.some((n) => YEAR_HEADER.test(n))
    ) {
      return {
        format: 'databank',
        headerIndex: h,
        mapping: {
          shape: 'wide',
          entity: ref('Country Name'),
          code: ref('Country Code'),
          seriesColumn: ref('Series Code'),
        },
        seriesLabelColumn: ref('Series Name'),
        confident: true,
      };
    }
    if (has(keys, 'time', 'country name', 'country code')) {
      const series = names.flatMap((n, i) => (SERIES_HEADER.test(n) ? [refs[i]!] : []));
      if (series.length === 0) continue;
      return {
        format: 'databank',
        headerIndex: h,
        mapping: {
          entity: ref('Country Name'),
          code: ref('Country Code'),
          period: ref('Time'),
          ...(series.length === 1 ? { values: series } : {}),
        },
        candidates: series,
        confident: true,
      };
    }
  }
  return null;
}
