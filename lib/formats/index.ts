import {
  detectDelimiter,
  readHead,
  readRecords,
  type CsvFailure,
  type CsvRecord,
} from './csv-records';
import { detectDataBank } from './databank';
import { isBlank } from './decode';
import { detectFromRecords, EXPECTED_HEADERS, FORMAT_LABELS, findWorldBankHeader } from './detect';
import { decodeFile } from './encoding';
import { resolveEntityNames } from './entities';
import { createFredReader } from './fred';
import { findHeaderIndex, inferColumns, type Detection } from './layout';
import { emptyFileInfo, type ColumnMapping, type Delimiter, type FileInfo } from './mapping';
import { guessNumberFormat, numberParser, type NumberFormat, type NumberResult } from './number';
import { createOwidReader } from './owid';
import { DEFAULT_MAX_YEAR, DEFAULT_MIN_YEAR } from './period';
import { ProblemSink } from './problems';
import { showCell } from './show';
import type { ReaderContext, RowReader } from './reader';
import { buildTableSpec, columnRefs, createTableReader } from './table';
import { createTidyReader } from './tidy';
import type { FileFormat, ParsedValue, ParseMeta, ParseOptions, ParseResult } from './types';
import { detectUnData } from './undata';
import { createWorldBankReader } from './world-bank';
import { isZip, readWorkbook } from './xlsx';

export type {
  FileFormat,
  ParsedValue,
  ParseMeta,
  ParseOptions,
  ParseProblem,
  ParseResult,
  Precision,
} from './types';
export { EXPECTED_HEADERS, FORMAT_LABELS } from './detect';
export { parseNumber, type NumberResult } from './number';
export { DEFAULT_MAX_YEAR, DEFAULT_MIN_YEAR, parsePeriod, type PeriodResult } from './period';
export { formatProblem, MAX_PROBLEMS_PER_SEVERITY } from './problems';
export { WORLD_BANK_AGGREGATE_CODES } from './world-bank-aggregates';
export { countryCodesForName } from './entities';
export type { ColumnMapping, FileInfo, MappingNeed } from './mapping';

export const DEFAULT_MAX_ROWS = 2_000_000;

const FORMATS = Object.keys(FORMAT_LABELS) as FileFormat[];

// Enough characters that the UTF-8 prefix always exceeds what readHead looks at.
const DETECT_CHARS = 128 * 1024;

/** Detects the format from the first records of the file's text; null when none matches. */
export function detectFormat(text: string): FileFormat | null {
  const prefix = text.length > DETECT_CHARS ? text.slice(0, DETECT_CHARS) : text;
  return detectFromRecords(readHead(new TextEncoder().encode(prefix)).records);
}

function unknownFormatReason(header: CsvRecord | undefined): string {
  const fields = header?.fields ?? [];
  const shown = fields.slice(0, 8).map(showCell).join(', ');
  const more = fields.length > 8 ? `, … (${fields.length} columns)` : '';
  const expected = FORMATS.map((format) => `${FORMAT_LABELS[format]}: ${EXPECTED_HEADERS[format]}`);
  // Spreadsheets in many locales save "CSV" with semicolons; say so rather than just "unknown".
  const only = fields.length === 1 ? (fields[0] ?? '') : '';
  const separator = only.includes(';') ? 'semicolons' : only.includes('\t') ? 'tabs' : null;
  const hint = separator
    ? ` The fields seem to be separated by ${separator}: save the file with commas between fields.`
    : '';
  return `unrecognised file format: the first line reads ${shown}${more}.${hint} Expected one of — ${expected.join('; ')}`;
}

function createFixedReader(
  format: FileFormat,
  head: readonly CsvRecord[],
  ctx: ReaderContext,
): { reader: RowReader | null; header: CsvRecord | null } {
  if (format === 'worldbank') {
    const index = findWorldBankHeader(head);
    const header = head[index] ?? null;
    const preamble = index < 0 ? head : head.slice(0, index);
    return { reader: createWorldBankReader(preamble, header, ctx), header };
  }
  const header = head[0];
  if (!header) return { reader: null, header: null };
  switch (format) {
    case 'tidy':
      return { reader: createTidyReader(header, ctx), header };
    case 'owid':
      return { reader: createOwidReader(header, ctx), header };
    case 'fred':
      return { reader: createFredReader(header, ctx), header };
    default:
      return { reader: null, header };
  }
}

const FIXED: ReadonlySet<FileFormat> = new Set(['tidy', 'owid', 'worldbank', 'fred']);
const HEAD_RECORDS = 64;

/** Mapping fields that say which column holds what; any of them makes the mapping the user's. */
const COLUMN_FIELDS = [
  'shape',
  'entity',
  'code',
  'period',
  'values',
  'seriesColumn',
  'unit',
  'note',
  'low',
  'high',
] as const satisfies readonly (keyof ColumnMapping)[];

export function hasColumnMapping(mapping: ColumnMapping | undefined): boolean {
  return !!mapping && COLUMN_FIELDS.some((f) => mapping[f] !== undefined);
}

/** The records of a file, however it was stored: CSV text or a spreadsheet's sheet. */
interface RecordSource {
  head: CsvRecord[];
  failure: CsvFailure | null;
  /** Every record from `from` (a head record) to the end. */
  read(from: CsvRecord, onRecord: (record: CsvRecord) => boolean | void): CsvFailure | null;
}

function csvSource(bytes: Uint8Array, delimiter: Delimiter): RecordSource {
  const head = readHead(bytes, HEAD_RECORDS, delimiter);
  return {
    head: head.records,
    failure: head.failure,
    read: (from, onRecord) => readRecords(bytes, from.offset, bytes.length, onRecord, delimiter),
  };
}

function arraySource(records: CsvRecord[]): RecordSource {
  return {
    head: records.slice(0, HEAD_RECORDS),
    failure: null,
    read(from, onRecord) {
      for (let i = records.indexOf(from); i >= 0 && i < records.length; i++) {
        if (onRecord(records[i]!) === false) break;
      }
      return null;
    },
  };
}

/** Which layout reads the file, and where its header is. */
function detectLayout(
  head: CsvRecord[],
  format: FileFormat | undefined,
  mapping: ColumnMapping,
  parse: (raw: string) => NumberResult,
): { fixed: FileFormat | null; detection: Detection | null; detected: FileFormat | null } {
  let records = head;
  let offset = 0;
  if (mapping.headerRow !== undefined) {
    const at = head.findIndex((r) => r.line >= mapping.headerRow!);
    offset = at < 0 ? head.length : at;
    records = head.slice(offset);
  }
  const shifted = (d: Detection | null): Detection | null =>
    d ? { ...d, headerIndex: d.headerIndex + offset } : null;
  const fixed = mapping.headerRow === undefined ? detectFromRecords(head) : null;
  const tables = (): Detection | null =>
    shifted(detectDataBank(records)) ??
    shifted(detectUnData(records)) ??
    shifted(
      inferColumns(records, mapping.headerRow !== undefined ? 0 : findHeaderIndex(records), parse),
    );
  if (format && FIXED.has(format))
    return { fixed: format, detection: null, detected: fixed ?? tables()?.format ?? null };
  if (format) {
    const specific =
      format === 'databank'
        ? shifted(detectDataBank(records))
        : format === 'undata'
          ? shifted(detectUnData(records))
          : null;
    const d = specific ?? (fixed ? null : tables());
    const detection =
      d ??
      shifted(
        inferColumns(
          records,
          mapping.headerRow !== undefined ? 0 : findHeaderIndex(records),
          parse,
        ),
      );
    return {
      fixed: null,
      detection: detection ? { ...detection, format } : null,
      detected: fixed ?? d?.format ?? null,
    };
  }
  if (fixed && !hasColumnMapping(mapping)) return { fixed, detection: null, detected: fixed };
  const detection = tables();
  return { fixed: null, detection, detected: fixed ?? detection?.format ?? null };
}

/**
 * Parses an uploaded data file into values and problems. Never throws on bad input: everything
 * wrong with the file is a problem in the result, and any error makes the file unimportable.
 *
 * The file may be CSV (any delimiter, UTF-8, UTF-16 or a legacy 8-bit encoding) or an .xlsx
 * workbook. The four fixed layouts (tidy, OWID, World Bank API, FRED) are read by their own
 * readers; DataBank, UNdata, panels and any other table by the column mapping, detected or given.
 */
export function parseDataFile(input: Uint8Array | string, options: ParseOptions = {}): ParseResult {
  const problems = new ProblemSink();
  const values: ParsedValue[] = [];
  const meta: ParseMeta = { missing: 0 };
  const file: FileInfo = emptyFileInfo();
  const userMapping: ColumnMapping = { ...(options.mapping ?? {}) };
  const maxRows = options.maxRows ?? DEFAULT_MAX_ROWS;
  let rowsRead = 0;
  const finish = (format: FileFormat, detected: FileFormat | null): ParseResult => {
    file.sources = meta.sources ?? [];
    file.lastUpdated = meta.lastUpdated ?? null;
    return { format, detected, rowsRead, values, problems: problems.list(), meta, file };
  };
  const fallback = options.format ?? 'tidy';

  const raw = typeof input === 'string' ? new TextEncoder().encode(input) : input;
  let source: RecordSource;
  if (isZip(raw)) {
    const book = readWorkbook(raw, {
      sheet: userMapping.sheet,
      maxBytes: options.maxBytes ?? 4 * 50 * 1024 * 1024,
      maxRecords: maxRows + 1000,
    });
    if ('error' in book) {
      problems.error(null, null, book.error);
      return finish(fallback, null);
    }
    Object.assign(file, {
      encoding: 'UTF-8',
      encodingHow: 'xlsx',
      delimiter: null,
      sheet: book.sheet,
      sheets: book.sheets,
    });
    source = arraySource(book.records);
  } else {
    const decoded = decodeFile(raw, userMapping.encoding);
    if ('error' in decoded) {
      problems.error(decoded.line, null, decoded.error);
      return finish(fallback, null);
    }
    file.encoding = decoded.encoding;
    file.encodingHow = decoded.how;
    if (isBlank(decoded.bytes)) {
      problems.error(null, null, 'The file is empty');
      return finish(fallback, null);
    }
    const delimiter = userMapping.delimiter ?? detectDelimiter(decoded.bytes);
    file.delimiter = delimiter;
    source = csvSource(decoded.bytes, delimiter);
  }
  if (source.head.length === 0) {
    if (source.failure) problems.error(source.failure.line, null, source.failure.reason);
    else problems.error(null, null, 'The file is empty');
    return finish(fallback, null);
  }

  // Numbers: the user's decimal mark, or the convention the first rows show.
  const guess = guessNumberFormat(
    (function* () {
      for (const r of source.head.slice(1)) yield* r.fields;
    })(),
    file.delimiter ?? ',',
  );
  let numberFormat: NumberFormat | null = null;
  if (userMapping.decimal) {
    const thousands =
      guess.thousands && guess.thousands !== userMapping.decimal
        ? guess.thousands
        : userMapping.decimal === ','
          ? '.'
          : ',';
    numberFormat = { decimal: userMapping.decimal, thousands };
    file.decimalHow = 'chosen';
  } else if (guess.ambiguous) {
    file.decimalHow = 'ambiguous';
    file.needs.push('decimal');
  } else if (guess.decimal) {
    numberFormat = { decimal: guess.decimal, thousands: guess.thousands };
    file.decimalHow = 'detected';
  }
  file.decimal = numberFormat?.decimal ?? null;
  file.thousands = numberFormat?.thousands ?? null;
  const parseNumberCell = numberParser(numberFormat);

  const { fixed, detection, detected } = detectLayout(
    source.head,
    options.format,
    userMapping,
    parseNumberCell,
  );
  const ctx: ReaderContext = {
    problems,
    values,
    meta,
    minYear: options.minYear ?? DEFAULT_MIN_YEAR,
    maxYear: options.maxYear ?? DEFAULT_MAX_YEAR,
    valueColumn: options.valueColumn,
    parseNumber: parseNumberCell,
  };

  let format: FileFormat;
  let reader: RowReader | null = null;
  let header: CsvRecord | null = null;
  const series = { list: file.series, chosen: file.chosen };
  if (fixed) {
    format = fixed;
    if (options.valueColumn !== undefined && (format === 'tidy' || format === 'worldbank')) {
      problems.warning(
        null,
        options.valueColumn,
        'the valueColumn option only applies to OWID and FRED files; ignored',
      );
    }
    ({ reader, header } = createFixedReader(format, source.head, ctx));
    if (header) describeColumns(file, header, source.head);
  } else {
    const userColumns = hasColumnMapping(userMapping);
    const base: Detection = detection ?? {
      format: 'columns',
      headerIndex: 0,
      mapping: {},
      confident: false,
    };
    format = userColumns && !detection ? 'columns' : base.format;
    header = source.head[base.headerIndex] ?? null;
    if (!header) {
      problems.error(null, null, 'no header row found at or after the row given as headerRow');
      return finish(format, detected);
    }
    const names = header.fields.map((n) => n.trim());
    describeColumns(file, header, source.head);
    // What the user mapped wins; the rest is as detected. An empty string unmaps a role.
    const merged: ColumnMapping = { ...base.mapping };
    for (const [k, v] of Object.entries(userMapping)) {
      if (v === undefined) continue;
      (merged as Record<string, unknown>)[k] = v;
    }
    for (const k of Object.keys(merged) as (keyof ColumnMapping)[]) {
      if (merged[k] === '') delete merged[k];
    }
    if (options.valueColumn !== undefined) {
      if (merged.seriesColumn) merged.series ??= [options.valueColumn];
      else merged.values ??= [options.valueColumn];
    }
    file.confident = base.confident || userColumns;
    const built = buildTableSpec(format, names, merged, ctx, {
      candidates: base.candidates,
      seriesLabelColumn: base.seriesLabelColumn,
      sourceColumn: base.sourceColumn,
      stopAt: base.stopAt,
    });
    // Sheet and header row too, so the mapping sent back reads the same table.
    if (file.sheet !== null) merged.sheet = file.sheet;
    if (header !== source.head[0] && merged.headerRow === undefined) merged.headerRow = header.line;
    file.mapping = {
      ...merged,
      ...(merged.values === undefined && base.candidates && base.candidates.length === 1
        ? { values: base.candidates }
        : {}),
    };
    if ('errors' in built) {
      for (const e of built.errors)
        problems.error(header.line, null, `mapping.${e.field}: ${e.reason}`);
      if (!base.confident && !userColumns && !source.failure) {
        problems.error(header.line, null, unknownFormatReason(header));
      }
      file.needs.push('columns');
      return finish(format, detected);
    }
    reader = createTableReader(header, built.spec, ctx, series);
  }

  if (!reader || !header) {
    // A syntax error before the header explains more than the header's absence does.
    if (source.failure && !header) problems.error(source.failure.line, null, source.failure.reason);
    return finish(format, detected);
  }

  let overflowLine: number | null = null;
  let atHeader = true;
  let stopped = false;
  const tail: CsvRecord[] = [];
  const failure = source.read(header, (record) => {
    if (atHeader) {
      atHeader = false;
      return true;
    }
    if (stopped) {
      // Below the data (UNdata's footnote block): kept to resolve footnote numbers.
      if (tail.length < 10_000) tail.push(record);
      return true;
    }
    if (rowsRead >= maxRows) {
      overflowLine = record.line;
      return false;
    }
    rowsRead += 1;
    if (reader.row(record) === false) {
      rowsRead -= 1;
      stopped = true;
    }
    return true;
  });
  reader.finish();
  if (failure) problems.error(failure.line, null, failure.reason);
  if (rowsRead === 0 && !failure) {
    problems.warning(header.line, null, 'the file has a header but no data rows');
  }
  if (overflowLine !== null) {
    problems.error(
      overflowLine,
      null,
      `the file has more than ${maxRows.toLocaleString('en-US')} data rows, the most one upload may have; reading stopped here`,
    );
  }
  if (tail.length > 0) applyFootnotes(values, tail, meta);
  if (!file.confident && !hasColumnMapping(userMapping) && file.mapping) {
    problems.error(
      header.line,
      null,
      'the columns were recognised from their contents, not their names: check the column mapping (entity, period, values) and confirm it (in the API: send it as meta.mapping)',
    );
    file.needs.push('columns');
  }
  if (!fixed && file.series.length > 1 && file.chosen.length === 0) file.needs.push('series');
  file.names = resolveEntityNames(values, userMapping.names);
  if (file.names.length > 0) file.needs.push('names');
  return finish(format, detected);
}

/** The header's columns with a few cells each, for the mapping step. */
function describeColumns(file: FileInfo, header: CsvRecord, head: CsvRecord[]): void {
  const names = header.fields.map((n) => n.trim());
  const refs = columnRefs(names);
  const at = head.indexOf(header);
  const samples = head.slice(at + 1, at + 4);
  file.columns = names.map((name, i) => ({
    ref: refs[i]!,
    name,
    samples: samples.map((r) => (r.fields[i] ?? '').trim()),
  }));
  file.headerRow = header.line;
}

/** UNdata's footnote block ("footnoteSeqID","Footnote"): footnote numbers become their text. */
function applyFootnotes(values: ParsedValue[], tail: CsvRecord[], meta: ParseMeta): void {
  const notes = new Map<string, string>();
  for (const { fields } of tail) {
    const id = (fields[0] ?? '').trim();
    const text = (fields[1] ?? '').trim();
    if (id && text) notes.set(id, text);
  }
  // The footnote block's own header row stopped the reader, and is skipped with it.
  meta.skippedRows = (meta.skippedRows ?? 0) + tail.length + 1;
  if (notes.size === 0) return;
  for (const v of values) {
    if (!v.note) continue;
    const ids = v.note.split(/[,;\s]+/).filter(Boolean);
    if (ids.length > 0 && ids.every((id) => notes.has(id))) {
      v.note = ids.map((id) => notes.get(id)).join(' ');
    }
  }
}
