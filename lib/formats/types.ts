import type { ColumnMapping, FileInfo } from './mapping';

export type FileFormat =
  'tidy' | 'owid' | 'worldbank' | 'fred' | 'databank' | 'undata' | 'panel' | 'columns';

export type Precision = 'year' | 'quarter' | 'month' | 'day';

export interface ParsedValue {
  /** 1-based physical line number in the file where the record starts. */
  row: number;
  /** Header name the value came from ("2010", "value", the OWID value column, the FRED series id). */
  column: string;
  /**
   * Upper-case three-letter code when the file gives one. For World Bank aggregate rows this is
   * the World Bank's own code (e.g. "EUU"), which is not ISO 3166 but is the only stable
   * identifier the file has for them: check `isAggregate` before treating it as a country.
   */
  entityCode: string | null;
  entityName: string | null;
  isAggregate: boolean;
  /** "2010" | "2010-Q2" | "2010-06" | "2010-06-24" */
  period: string;
  precision: Precision;
  value: number;
  low?: number;
  high?: number;
  unit?: string;
  note?: string;
  /**
   * Which of the file's series the value belongs to, when the file is read as several (value
   * columns, or the measures of a series column): each becomes its own series.
   */
  series?: string;
}

export interface ParseProblem {
  row: number | null;
  column: string | null;
  reason: string;
  severity: 'error' | 'warning';
}

export interface ParseMeta {
  lastUpdated?: string;
  indicatorName?: string;
  indicatorCode?: string;
  seriesId?: string;
  valueColumns?: string[];
  /** Empty cells skipped in formats where a missing value is normal (OWID, World Bank, FRED). */
  missing: number;
  /** Rows that are not data (footers, notes under a table, title rows), skipped. */
  skippedRows?: number;
  /** Rows left out by the mapping's filters. */
  filteredRows?: number;
  /** The lines of rows the mapping's projections column marks as projections. */
  projectionRows?: number[];
  /** Repeated rows of entities the import skips anyway (a region listed twice). */
  skippedDuplicates?: number;
  /** Distinct texts of a "Source" column (UNdata), to help fill in the provenance. */
  sources?: string[];
}

export interface ParseResult {
  format: FileFormat;
  /** What auto-detection said, even when the caller overrode it. */
  detected: FileFormat | null;
  /** Data records read (excluding header, preamble and empty lines). */
  rowsRead: number;
  values: ParsedValue[];
  /** Errors make the file unimportable; warnings are informational. */
  problems: ParseProblem[];
  meta: ParseMeta;
  /** How the file was read: encoding, delimiter, numbers, sheet, columns and mapping. */
  file: FileInfo;
}

export interface ParseOptions {
  format?: FileFormat;
  /** OWID and FRED files with several value columns: which one to read (default: the first). */
  valueColumn?: string;
  /** Default 2_000_000. */
  maxRows?: number;
  /** How to read the columns (and encoding, sheet, numbers); overrides detection. */
  mapping?: ColumnMapping;
  /** Default 50 MB: the most an XLSX file may unpack to. */
  maxBytes?: number;
  /** Default 1000. */
  minYear?: number;
  /** Default 2200. */
  maxYear?: number;
  /** The one entity a file without an entity column is about (ISO alpha-3). */
  entity?: string;
  /** The one period a file without a period column is about ("2006", "2006-06"). */
  period?: string;
  /** The entities the import keeps (meta.entities): other rows' duplicates are no error. */
  entities?: string[];
}
