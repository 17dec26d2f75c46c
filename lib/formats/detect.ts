import type { CsvRecord } from './csv-records';
import type { FileFormat } from './types';

export const FORMAT_LABELS: Record<FileFormat, string> = {
  tidy: 'Tidy CSV (entity, period, value)',
  owid: 'Our World in Data grapher CSV',
  worldbank: 'World Bank API download',
  fred: 'FRED CSV download',
  databank: 'World Bank DataBank export',
  undata: 'UNdata / UN Statistical Yearbook table',
  panel: 'Panel (one row per country and year, several value columns)',
  columns: 'Columns mapped by name or by hand',
};

/** What each format's header looks like, for messages telling an analyst what was expected. */
export const EXPECTED_HEADERS: Record<FileFormat, string> = {
  tidy: 'entity, period, value (optional: code, unit, note, low, high), in any order',
  owid: 'Entity, Code, Year (or Day), then one or more value columns',
  worldbank:
    'an optional "Data Source" preamble, then Country Name, Country Code, Indicator Name, Indicator Code, 1960, 1961, …',
  fred: 'observation_date (or DATE), then the series id',
  databank:
    'Country Name, Country Code, Series Name, Series Code, 2004 [YR2004], … (wide) or Time, Time Code, Country Name, Country Code, <series> [<CODE>], … (long)',
  undata:
    'a title row, then Region/Country/Area, (unnamed), Year, Series, Value, Footnotes, Source; or Country or Area, Year, Value, Value Footnotes',
  panel: 'a country (or ISO code) column, a year column, then several value columns',
  columns:
    'columns for the country (or its code), the year (or date) and the value, named e.g. Country Name, iso3, Year, Time, Value',
};

export const WORLD_BANK_ID_COLUMNS = [
  'Country Name',
  'Country Code',
  'Indicator Name',
  'Indicator Code',
] as const;

const WORLD_BANK_ID_KEYS = WORLD_BANK_ID_COLUMNS.map((name) => name.toLowerCase());

export function headerKey(name: string): string {
  return name.trim().toLowerCase();
}

/** Index of the World Bank header among the first records (it follows the preamble), or -1. */
export function findWorldBankHeader(records: readonly CsvRecord[]): number {
  return records.findIndex((record) =>
    WORLD_BANK_ID_KEYS.every((key, i) => headerKey(record.fields[i] ?? '') === key),
  );
}

export function isFredDateHeader(name: string): boolean {
  const key = headerKey(name);
  return key === 'observation_date' || key === 'date';
}

/** Detection from the first records of a file (see readHead). */
export function detectFromRecords(records: readonly CsvRecord[]): FileFormat | null {
  const first = records[0];
  if (!first) return null;
  if (findWorldBankHeader(records) >= 0) return 'worldbank';
  const keys = first.fields.map(headerKey);
  if (keys[0] === 'data source') return 'worldbank';
  if (keys.length >= 2 && isFredDateHeader(keys[0] ?? '')) return 'fred';
  if (keys.includes('entity') && keys.includes('period') && keys.includes('value')) return 'tidy';
  if (keys[0] === 'entity' && keys[1] === 'code' && (keys[2] === 'year' || keys[2] === 'day')) {
    return 'owid';
  }
  return null;
}
