import {
  detectDelimiter,
  FastCsvStream,
  readHead,
  type CsvFailure,
  type CsvRecord,
} from './csv-records';
import { detectDataBank } from './databank';
import { isBlank } from './decode';
import { detectFromRecords, EXPECTED_HEADERS, FORMAT_LABELS, findWorldBankHeader } from './detect';
import { chooseDecoder, isDecodeFailure, type ChunkDecoder } from './encoding';
import { resolveEntityNames } from './entities';
import { createFredReader } from './fred';
import { findHeaderIndex, inferColumns, type Detection } from './layout';
import { emptyFileInfo, type ColumnMapping, type FileInfo } from './mapping';
import { guessNumberFormat, numberParser, type NumberFormat, type NumberResult } from './number';
import { createOwidReader } from './owid';
import { DEFAULT_MAX_YEAR, DEFAULT_MIN_YEAR } from './period';
import { ProblemSink } from './problems';
import { unstorableCells } from './storable-cells';
import { showCell } from './show';
import type { ReaderContext, RowReader } from './reader';
import { dateOrderOf } from './dates';
import { entityKeeper } from './keep';
import { buildTableSpec, columnRefs, resolveColumn } from './table';
import { createTableReader } from './table-reader';
import { createTidyReader } from './tidy';
import type { FileFormat, ParseMeta, ParseOptions, ParseResult } from './types';
import { detectUnData } from './undata';
import { createWorldBankReader } from './world-bank';
import { ValueTable } from './value-table';
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
export { ValueTable } from './value-table';
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
  'month',
  'filters',
] as const satisfies readonly (keyof ColumnMapping)[];

export function hasColumnMapping(mapping: ColumnMapping | undefined): boolean {
  return !!mapping && COLUMN_FIELDS.some((f) => mapping[f] !== undefined);
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

export type TableParseResult = Omit<ParseResult, 'values'> & { values: ValueTable };

/** How much of a file is looked at before reading it: its encoding, delimiter and layout. */
const HEAD_BYTES = 1 << 20;

function concat(chunks: Uint8Array[], size: number): Uint8Array {
  if (chunks.length === 1) return chunks[0]!;
  const out = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/**
 * Parses a data file given in chunks (`write` each, then `end`), holding only its first
 * megabyte and the values read: a file of any size costs the values, not the file. Never
 * throws on bad input: everything wrong with the file is a problem in the result, and any error
 * makes the file unimportable.
 *
 * The file may be CSV (any delimiter, UTF-8, UTF-16 or a legacy 8-bit encoding) or an .xlsx
 * workbook (read whole: a workbook is a zip). The four fixed layouts (tidy, OWID, World Bank
 * API, FRED) are read by their own readers; DataBank, UNdata, panels and any other table by the
 * column mapping, detected or given.
 */
export class DataFileParser {
  private readonly problems = new ProblemSink();
  private readonly values: ValueTable;
  private readonly meta: ParseMeta = { missing: 0 };
  private readonly file: FileInfo = emptyFileInfo();
  private readonly userMapping: ColumnMapping;
  private readonly maxRows: number;
  private readonly fallback: FileFormat;
  private rowsRead = 0;
  /** Bytes held until the head is complete (or, for a workbook, the whole file). */
  private pending: Uint8Array[] = [];
  private pendingBytes = 0;
  private phase: 'head' | 'workbook' | 'records' | 'done' = 'head';
  private decoder: ChunkDecoder | null = null;
  private csv: FastCsvStream | null = null;
  private result: TableParseResult | null = null;
  // Set up from the head: how the records are read.
  private format: FileFormat;
  private detected: FileFormat | null = null;
  private fixed: FileFormat | null = null;
  private reader: RowReader | null = null;
  private header: CsvRecord | null = null;
  private headFailure: CsvFailure | null = null;
  /** Records before and including the header are skipped by count. */
  private skip = 0;
  private overflowLine: number | null = null;
  private stopped = false;
  private readonly tail: CsvRecord[] = [];

  constructor(
    private readonly options: ParseOptions = {},
    sizeHint = 0,
  ) {
    this.userMapping = { ...(options.mapping ?? {}) };
    this.maxRows = options.maxRows ?? DEFAULT_MAX_ROWS;
    this.fallback = options.format ?? 'tidy';
    this.format = this.fallback;
    // About 36 bytes a value in a tidy file: one allocation for most files.
    this.values = new ValueTable(sizeHint > 0 ? Math.min(Math.ceil(sizeHint / 30), 1 << 22) : 1024);
  }

  /**
   * The values read so far: rows already here do not change, except in the last pass of
   * `end` (UNdata footnotes become their text, entity names their codes).
   */
  get table(): ValueTable {
    return this.values;
  }

  write(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    if (this.phase === 'head' || this.phase === 'workbook') {
      this.pending.push(chunk);
      this.pendingBytes += chunk.length;
      if (this.phase === 'head' && this.pendingBytes >= HEAD_BYTES) this.start(false);
      return;
    }
    if (this.phase === 'records') this.feed(chunk);
  }

  end(): TableParseResult {
    if (this.phase === 'head') this.start(true);
    if (this.phase === 'workbook') this.readWorkbookFile();
    if (this.phase === 'records') {
      const last = this.decoder!.end();
      if (isDecodeFailure(last)) this.problems.error(last.line, null, last.error);
      else this.csv!.write(last);
      this.finishRecords(this.csv!.end());
    }
    return this.result!;
  }

  private finish(): TableParseResult {
    const { file, meta } = this;
    for (const p of unstorableCells(this.values)) this.problems.error(p.row, p.column, p.reason);
    file.sources = meta.sources ?? [];
    file.lastUpdated = meta.lastUpdated ?? null;
    this.phase = 'done';
    this.pending = [];
    this.result = {
      format: this.format,
      detected: this.detected,
      rowsRead: this.rowsRead,
      values: this.values,
      problems: this.problems.list(),
      meta,
      file,
    };
    return this.result;
  }

  private fail(line: number | null, reason: string) {
    this.problems.error(line, null, reason);
    this.finish();
  }

  private feed(raw: Uint8Array) {
    const bytes = this.decoder!.write(raw);
    if (isDecodeFailure(bytes)) {
      this.problems.error(bytes.line, null, bytes.error);
      this.finishRecords(this.csv!.end());
      return;
    }
    this.csv!.write(bytes);
  }

  /** The head is here (or the whole file, `complete`): decide how to read the rest. */
  private start(complete: boolean) {
    const raw = concat(this.pending, this.pendingBytes);
    if (isZip(raw)) {
      this.phase = 'workbook';
      this.pending = [raw];
      return;
    }
    this.pending = [];
    const { file, userMapping } = this;
    const decoder = chooseDecoder(raw, complete, userMapping.encoding);
    if (isDecodeFailure(decoder)) return this.fail(decoder.line, decoder.error);
    let bytes = decoder.write(raw);
    if (complete && !isDecodeFailure(bytes)) {
      const last = decoder.end();
      bytes = isDecodeFailure(last) ? last : concat([bytes, last], bytes.length + last.length);
    }
    if (isDecodeFailure(bytes)) return this.fail(bytes.line, bytes.error);
    this.decoder = decoder;
    file.encoding = decoder.encoding;
    file.encodingHow = decoder.how;
    if (complete && isBlank(bytes)) return this.fail(null, 'The file is empty');
    const delimiter = userMapping.delimiter ?? detectDelimiter(bytes);
    file.delimiter = delimiter;
    const head = readHead(bytes, HEAD_RECORDS, delimiter);
    if (!this.setUp(head.records, head.failure)) return;
    this.phase = 'records';
    this.csv = new FastCsvStream(delimiter, (record) => this.onRecord(record));
    this.csv.write(bytes);
  }

  private readWorkbookFile() {
    const raw = concat(this.pending, this.pendingBytes);
    this.pending = [];
    const { file, userMapping, options } = this;
    const book = readWorkbook(raw, {
      sheet: userMapping.sheet,
      maxBytes: options.maxBytes ?? 4 * 50 * 1024 * 1024,
      maxRecords: this.maxRows + 1000,
    });
    if ('error' in book) return this.fail(null, book.error);
    Object.assign(file, {
      encoding: 'UTF-8',
      encodingHow: 'xlsx',
      delimiter: null,
      sheet: book.sheet,
      sheets: book.sheets,
    });
    if (!this.setUp(book.records.slice(0, HEAD_RECORDS), null)) return;
    for (const record of book.records) if (this.onRecord(record) === false) break;
    this.finishRecords(null);
  }

  /** Number format, layout and reader from the first records; false when the file ends here. */
  private setUp(head: CsvRecord[], headFailure: CsvFailure | null): boolean {
    const { problems, file, userMapping, options, values, meta } = this;
    this.headFailure = headFailure;
    if (head.length === 0) {
      this.fail(headFailure?.line ?? null, headFailure?.reason ?? 'The file is empty');
      return false;
    }
    // The header is looked for in the first rows only: a headerRow past them (or past the
    // file's end) must be refused, not read as if it were row 1.
    const wanted = userMapping.headerRow;
    if (wanted !== undefined && !head.some((r) => r.line >= wanted)) {
      const last = head[head.length - 1]!.line;
      this.fail(
        null,
        `headerRow ${wanted} is past the rows the header is looked for in (rows 1 to ${last}${head.length < HEAD_RECORDS ? ', the end of the file' : ''})`,
      );
      return false;
    }

    const parseNumberCell = numberParser(chooseNumberFormat(head, file, userMapping));

    const { fixed, detection, detected } = detectLayout(
      head,
      options.format,
      userMapping,
      parseNumberCell,
    );
    this.fixed = fixed;
    this.detected = detected;
    const ctx: ReaderContext = {
      problems,
      values,
      meta,
      minYear: options.minYear ?? DEFAULT_MIN_YEAR,
      maxYear: options.maxYear ?? DEFAULT_MAX_YEAR,
      valueColumn: options.valueColumn,
      parseNumber: parseNumberCell,
    };

    let reader: RowReader | null = null;
    let header: CsvRecord | null = null;
    if (fixed) {
      this.format = fixed;
      if (options.valueColumn !== undefined && (fixed === 'tidy' || fixed === 'worldbank')) {
        problems.warning(
          null,
          options.valueColumn,
          'the valueColumn option only applies to OWID and FRED files; ignored',
        );
      }
      ({ reader, header } = createFixedReader(fixed, head, ctx));
      if (header) describeColumns(file, header, head);
    } else {
      const userColumns = hasColumnMapping(userMapping);
      const base: Detection = detection ?? {
        format: 'columns',
        headerIndex: 0,
        mapping: {},
        confident: false,
      };
      this.format = userColumns && !detection ? 'columns' : base.format;
      header = head[base.headerIndex] ?? null;
      if (!header) {
        this.fail(null, 'no header row found at or after the row given as headerRow');
        return false;
      }
      const names = header.fields.map((n) => n.trim());
      describeColumns(file, header, head);
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
      detectDateOrder(file, merged, names, head.slice(base.headerIndex + 1));
      const built = buildTableSpec(this.format, names, merged, ctx, {
        candidates: base.candidates,
        seriesLabelColumn: base.seriesLabelColumn,
        sourceColumn: base.sourceColumn,
        stopAt: base.stopAt,
        fileEntity: options.entity,
        filePeriod: options.period,
      });
      // Sheet and header row too, so the mapping sent back reads the same table.
      if (file.sheet !== null) merged.sheet = file.sheet;
      if (header !== head[0] && merged.headerRow === undefined) merged.headerRow = header.line;
      // A role the user unmapped stays unmapped when the mapping is sent back.
      const unmapped = Object.fromEntries(Object.entries(userMapping).filter(([, v]) => v === ''));
      file.mapping = {
        ...merged,
        ...unmapped,
        ...(merged.values === undefined && base.candidates && base.candidates.length === 1
          ? { values: base.candidates }
          : {}),
      };
      if ('errors' in built) {
        for (const e of built.errors) {
          problems.error(header.line, null, `mapping.${e.field}: ${e.reason}`);
          if (e.need && !file.needs.includes(e.need)) file.needs.push(e.need);
        }
        if (!base.confident && !userColumns && !headFailure) {
          problems.error(header.line, null, unknownFormatReason(header));
        }
        file.needs.push('columns');
        this.finish();
        return false;
      }
      if (built.spec.shape === 'wide')
        file.periodColumns = built.spec.periodColumns.map((p) => columnRefs(names)[p.index]!);
      const keeper = entityKeeper(options.entities, !!merged.countriesOnly, merged.names);
      reader = createTableReader(header, built.spec, ctx, file, keeper);
    }

    if (!reader || !header) {
      // A syntax error before the header explains more than the header's absence does.
      if (headFailure && !header) problems.error(headFailure.line, null, headFailure.reason);
      this.finish();
      return false;
    }
    this.reader = reader;
    this.header = header;
    this.skip = head.indexOf(header) + 1;
    return true;
  }

  private onRecord(record: CsvRecord): boolean {
    if (this.skip > 0) {
      this.skip--;
      return true;
    }
    if (this.stopped) {
      // Below the data (UNdata's footnote block): kept to resolve footnote numbers.
      if (this.tail.length < 10_000) this.tail.push(record);
      return true;
    }
    if (this.rowsRead >= this.maxRows) {
      this.overflowLine = record.line;
      return false;
    }
    this.rowsRead += 1;
    if (this.reader!.row(record) === false) {
      this.rowsRead -= 1;
      this.stopped = true;
    }
    return true;
  }

  private finishRecords(failure: CsvFailure | null) {
    if (this.phase === 'done') return;
    const { problems, values, meta, file, userMapping, header, maxRows, overflowLine } = this;
    // A decoder that changed its mind (ASCII at first, then a legacy byte) says so.
    if (this.decoder) {
      file.encoding = this.decoder.encoding;
      file.encodingHow = this.decoder.how;
    }
    this.reader!.finish();
    if (failure) problems.error(failure.line, null, failure.reason);
    if (this.rowsRead === 0 && !failure) {
      problems.warning(header!.line, null, 'the file has a header but no data rows');
    }
    if (overflowLine !== null) {
      problems.error(
        overflowLine,
        null,
        `the file has more than ${maxRows.toLocaleString('en-US')} data rows, the most one upload may have; reading stopped here`,
      );
    }
    if (this.tail.length > 0) applyFootnotes(values, this.tail, meta);
    if (!file.confident && !hasColumnMapping(userMapping) && file.mapping) {
      problems.error(
        header!.line,
        null,
        'the columns were recognised from their contents, not their names: check the column mapping (entity, period, values) and confirm it (in the API: send it as meta.mapping)',
      );
      file.needs.push('columns');
    }
    if (!this.fixed && file.series.length > 1 && file.chosen.length === 0)
      file.needs.push('series');
    file.names = resolveEntityNames(values, userMapping.names);
    if (file.names.length > 0) file.needs.push('names');
    this.finish();
  }
}

/** Parses a file held in memory into a table of values (see DataFileParser). */
export function readDataFile(
  input: Uint8Array | string,
  options: ParseOptions = {},
): TableParseResult {
  const bytes = typeof input === 'string' ? new TextEncoder().encode(input) : input;
  const parser = new DataFileParser(options, bytes.length);
  // In slices, as a stream would come: the whole file is never decoded at once.
  for (let at = 0; at < bytes.length; at += HEAD_BYTES)
    parser.write(bytes.subarray(at, at + HEAD_BYTES));
  return parser.end();
}

/**
 * Parses a file as it streams in (a file on disk, an upload), chunk by chunk. `onChunk`, if
 * given, sees the values read so far after each chunk, and is waited for.
 */
export async function readDataStream(
  chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  options: ParseOptions = {},
  sizeHint = 0,
  onChunk?: (values: ValueTable) => Promise<void> | void,
): Promise<TableParseResult> {
  const parser = new DataFileParser(options, sizeHint);
  for await (const chunk of chunks) {
    parser.write(chunk);
    if (onChunk) await onChunk(parser.table);
  }
  return parser.end();
}

/** Parses an uploaded data file into values and problems, the values as objects. */
export function parseDataFile(input: Uint8Array | string, options: ParseOptions = {}): ParseResult {
  const result = readDataFile(input, options);
  return { ...result, values: result.values.toArray() };
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
function applyFootnotes(values: ValueTable, tail: CsvRecord[], meta: ParseMeta): void {
  const notes = new Map<string, string>();
  for (const { fields } of tail) {
    const id = (fields[0] ?? '').trim();
    const text = (fields[1] ?? '').trim();
    if (id && text) notes.set(id, text);
  }
  // The footnote block's own header row stopped the reader, and is skipped with it.
  meta.skippedRows = (meta.skippedRows ?? 0) + tail.length + 1;
  if (notes.size === 0) return;
  for (let i = 0; i < values.length; i++) {
    const note = values.note(i);
    if (!note) continue;
    const ids = note.split(/[,;\s]+/).filter(Boolean);
    if (ids.length > 0 && ids.every((id) => notes.has(id))) {
      values.setNote(i, ids.map((id) => notes.get(id)).join(' '));
    }
  }
}

/**
 * Slash dates in the period column: their order as the user chose it, or as the first rows
 * show it (a 13 or more in one place). Left unset when they do not say: the reader then asks.
 */
function detectDateOrder(
  file: FileInfo,
  merged: ColumnMapping,
  names: readonly string[],
  rows: readonly CsvRecord[],
): void {
  if (merged.dates) {
    file.dateOrder = merged.dates;
    file.dateOrderHow = 'chosen';
    return;
  }
  if ((merged.shape ?? 'long') !== 'long' || !merged.period) return;
  const at = resolveColumn(merged.period, names);
  if ('error' in at) return;
  const order = dateOrderOf(rows.map((r) => r.fields[at.index] ?? ''));
  if (order === 'dmy' || order === 'mdy') {
    merged.dates = order;
    file.dateOrder = order;
    file.dateOrderHow = 'detected';
  } else if (order !== null) file.dateOrderHow = 'ambiguous';
}

/** Numbers: the user's decimal mark, or the convention the first rows show (null: unclear). */
function chooseNumberFormat(
  head: CsvRecord[],
  file: FileInfo,
  userMapping: ColumnMapping,
): NumberFormat | null {
  const guess = guessNumberFormat(
    (function* () {
      for (const r of head.slice(1)) yield* r.fields;
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
  return numberFormat;
}
