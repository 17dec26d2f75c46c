// The column mapping: how a table's columns are read, whether detected from the file or chosen
// by the user (the Add data page's mapping step, or `mapping` in the API's meta). Types and
// constants only, so forms and schemas can import it without the parsers.

export type Delimiter = ',' | ';' | '\t' | '|';
export const DELIMITERS: readonly Delimiter[] = [',', ';', '\t', '|'];

/** The decimal mark; the thousands separator is then whatever else groups digits. */
export type DecimalMark = '.' | ',';

/** Encodings a user can choose when detection guessed wrong. */
export const ENCODINGS = [
  'UTF-8',
  'UTF-16LE',
  'UTF-16BE',
  'windows-1252',
  'ISO-8859-1',
  'ISO-8859-15',
  'windows-1250',
  'windows-1251',
  'KOI8-R',
  'macintosh',
  'GB18030',
  'GBK',
  'Big5',
  'Shift_JIS',
  'EUC-JP',
  'EUC-KR',
] as const;

/** Slash dates: day first (22/01/2020) or month first (1/22/20). */
export type DateOrder = 'dmy' | 'mdy';

/** Keep only the rows whose cell in `column` is one of `values` (compared trimmed). */
export interface ColumnFilter {
  column: string;
  values: string[];
}

/**
 * Columns are named by their header text, or `#N` (1-based position) for a column with no name
 * or a name used twice. Every field is optional: what is given overrides what was detected.
 */
export interface ColumnMapping {
  /** XLSX: the sheet to read (default: the first with data). */
  sheet?: string;
  /** 1-based row of the header line, for files with title rows above it. */
  headerRow?: number;
  encoding?: string;
  delimiter?: Delimiter;
  decimal?: DecimalMark;
  /** "long": one row per entity and period (default); "wide": periods are column headers. */
  shape?: 'long' | 'wide';
  /** The column holding entity names (or codes). */
  entity?: string;
  /** The column holding ISO 3166 codes (alpha-3, alpha-2 or numeric), if apart from names. */
  code?: string;
  /** The column holding the period (long files). */
  period?: string;
  /** Value columns (long files): each one becomes its own series. */
  values?: string[];
  /** A column naming the measure (e.g. UNdata's "Series", DataBank's "Series Code"). */
  seriesColumn?: string;
  /** Which of that column's measures to import, each as its own series. */
  series?: string[];
  unit?: string;
  note?: string;
  low?: string;
  high?: string;
  /** Entity names the country library does not match (or matches ambiguously) → ISO alpha-3. */
  names?: Record<string, string>;
  /** A column holding the month (name or number) beside a period column holding the year. */
  month?: string;
  /** How slash dates are written, when the file's dates do not say. */
  dates?: DateOrder;
  /** Rows to keep, by the values of any number of columns (all must match). */
  filters?: ColumnFilter[];
  /** Keep only rows that are countries: regions, income groups and unknown names are skipped. */
  countriesOnly?: boolean;
  /**
   * Which of the file's values are projections, imported as a projection series beside the
   * observed one: rows whose `column` holds one of `values` ("Type": "Projection"), or periods
   * after `after` ("Estimates start after 2022").
   */
  projections?: { column?: string; values?: string[]; after?: string };
}

/** What the mapping step may still need from the user. */
export type MappingNeed =
  'columns' | 'series' | 'decimal' | 'names' | 'dates' | 'periods' | 'measures';

export interface FileColumn {
  /** How the mapping refers to it: the header text, or #N. */
  ref: string;
  /** The header text as in the file ("" when unnamed). */
  name: string;
  /** The first few cells below the header. */
  samples: string[];
  /** Its distinct values, when it has few (≤ 200): what a filter can choose from. */
  distinct?: string[];
}

export interface FileSeries {
  /** The value column's ref, or the value of the series column. */
  key: string;
  /** How to name it: the column or measure name. */
  label: string;
  /** How many values it has. */
  values: number;
}

export interface UnmatchedName {
  name: string;
  /** First row with the name, and how many values carry it. */
  row: number;
  count: number;
  /** Codes it could be (several when the name is ambiguous, e.g. "Congo"). */
  candidates: string[];
}

/** How the file was read: shown in the import report and driving the mapping step. */
export interface FileInfo {
  encoding: string;
  encodingHow: 'bom' | 'utf-8' | 'detected' | 'chosen' | 'xlsx';
  delimiter: Delimiter | null;
  /** The decimal mark used; null when no number needed one. */
  decimal: DecimalMark | null;
  /** Thousands separator seen, if any (",", ".", " ", "'"). */
  thousands: string | null;
  decimalHow: 'detected' | 'chosen' | 'ambiguous' | 'default';
  sheet: string | null;
  sheets: string[];
  headerRow: number | null;
  /** False when the layout was guessed from column names only, or not found at all. */
  confident: boolean;
  columns: FileColumn[];
  /** The mapping as applied, names-based, for `meta.mapping`; null for fixed layouts. */
  mapping: ColumnMapping | null;
  /** Series the file holds, and which were read. */
  series: FileSeries[];
  chosen: string[];
  names: UnmatchedName[];
  needs: MappingNeed[];
  /** How slash dates were read, and how that was decided. */
  dateOrder: DateOrder | null;
  dateOrderHow: 'detected' | 'chosen' | 'ambiguous' | null;
  /** Wide files: the header columns read as periods. */
  periodColumns: string[];
  /** What the file says of itself: its "Source" texts (UNdata), "Last Updated" (DataBank). */
  sources: string[];
  lastUpdated: string | null;
}

export function emptyFileInfo(): FileInfo {
  return {
    encoding: 'UTF-8',
    encodingHow: 'utf-8',
    delimiter: ',',
    decimal: null,
    thousands: null,
    decimalHow: 'default',
    sheet: null,
    sheets: [],
    headerRow: null,
    confident: true,
    columns: [],
    mapping: null,
    series: [],
    chosen: [],
    names: [],
    needs: [],
    dateOrder: null,
    dateOrderHow: null,
    periodColumns: [],
    sources: [],
    lastUpdated: null,
  };
}

export const DELIMITER_LABELS: Record<Delimiter, string> = {
  ',': 'comma',
  ';': 'semicolon',
  '\t': 'tab',
  '|': 'vertical bar',
};
