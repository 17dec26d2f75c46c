import { readHead, readRecords, type CsvRecord } from './csv-records';
import { isBlank, toUtf8Bytes } from './decode';
import { detectFromRecords, EXPECTED_HEADERS, FORMAT_LABELS, findWorldBankHeader } from './detect';
import { createFredReader } from './fred';
import { createOwidReader } from './owid';
import { DEFAULT_MAX_YEAR, DEFAULT_MIN_YEAR } from './period';
import { ProblemSink } from './problems';
import { showCell } from './show';
import type { ReaderContext, RowReader } from './reader';
import { createTidyReader } from './tidy';
import type { FileFormat, ParsedValue, ParseMeta, ParseOptions, ParseResult } from './types';
import { createWorldBankReader } from './world-bank';

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

function createReader(
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
  }
}

/**
 * Parses an uploaded data file into values and problems. Never throws on bad input: everything
 * wrong with the file is a problem in the result, and any error makes the file unimportable.
 *
 * When the format is neither given nor detected, `format` is 'tidy' (the generic shape) and the
 * problems say what was expected.
 */
export function parseDataFile(input: Uint8Array | string, options: ParseOptions = {}): ParseResult {
  const problems = new ProblemSink();
  const values: ParsedValue[] = [];
  const meta: ParseMeta = { missing: 0 };
  const maxRows = options.maxRows ?? DEFAULT_MAX_ROWS;
  let rowsRead = 0;
  const finish = (format: FileFormat, detected: FileFormat | null): ParseResult => ({
    format,
    detected,
    rowsRead,
    values,
    problems: problems.list(),
    meta,
  });

  const decoded = toUtf8Bytes(input);
  if ('error' in decoded) {
    problems.error(decoded.line, null, decoded.error);
    return finish(options.format ?? 'tidy', null);
  }
  const bytes = decoded.bytes;
  if (isBlank(bytes)) {
    problems.error(null, null, 'The file is empty');
    return finish(options.format ?? 'tidy', null);
  }

  const head = readHead(bytes);
  const detected = detectFromRecords(head.records);
  const format = options.format ?? detected;
  if (format === null) {
    if (head.failure) problems.error(head.failure.line, null, head.failure.reason);
    else problems.error(head.records[0]?.line ?? null, null, unknownFormatReason(head.records[0]));
    return finish('tidy', null);
  }

  const ctx: ReaderContext = {
    problems,
    values,
    meta,
    minYear: options.minYear ?? DEFAULT_MIN_YEAR,
    maxYear: options.maxYear ?? DEFAULT_MAX_YEAR,
    valueColumn: options.valueColumn,
  };
  if (options.valueColumn !== undefined && (format === 'tidy' || format === 'worldbank')) {
    problems.warning(
      null,
      options.valueColumn,
      'the valueColumn option only applies to OWID and FRED files; ignored',
    );
  }
  const { reader, header } = createReader(format, head.records, ctx);
  if (!reader || !header) {
    // A syntax error before the header explains more than the header's absence does.
    if (head.failure && !header) problems.error(head.failure.line, null, head.failure.reason);
    return finish(format, detected);
  }

  let overflowLine: number | null = null;
  let atHeader = true;
  const failure = readRecords(bytes, header.offset, bytes.length, (record) => {
    if (atHeader) {
      atHeader = false;
      return true;
    }
    if (rowsRead >= maxRows) {
      overflowLine = record.line;
      return false;
    }
    rowsRead += 1;
    reader.row(record);
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
  return finish(format, detected);
}
