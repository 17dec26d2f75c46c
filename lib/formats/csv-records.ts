import { CsvError, parse, type Options } from 'csv-parse/sync';
import type { Delimiter } from './mapping';

/** One CSV record and where it starts in the file. */
export interface CsvRecord {
  fields: string[];
  /** 1-based physical line where the record starts. */
  line: number;
  /** Byte offset where the record starts. */
  offset: number;
}

export interface CsvFailure {
  line: number;
  reason: string;
  code: string;
}

const BASE_OPTIONS: Options = {
  bom: true,
  // Ragged rows are reported by the format readers, which know what the header promised.
  relax_column_count: true,
  skip_empty_lines: true,
  // Listed explicitly because csv-parse otherwise locks onto the first delimiter it sees, and a
  // file with mixed CRLF and LF endings would then read as one giant record.
  record_delimiter: ['\r\n', '\n', '\r'],
};

const HEAD_BYTES = 64 * 1024;

/**
 * Tracks the physical line at increasing byte offsets. csv-parse's own `info.lines` is the line
 * where a record ends, and it counts a CRLF inside a quoted field as two lines, so line numbers
 * are derived from the bytes instead: one pass over the file in total.
 */
class LineTracker {
  private cursor = 0;
  private line = 1;

  constructor(private readonly bytes: Uint8Array) {}

  lineAt(offset: number): number {
    const bytes = this.bytes;
    let line = this.line;
    for (let i = this.cursor; i < offset; i++) {
      const b = bytes[i];
      if (b === 0x0a) line += 1;
      else if (b === 0x0d && bytes[i + 1] !== 0x0a) line += 1;
    }
    this.cursor = offset;
    this.line = line;
    return line;
  }
}

function hasBom(bytes: Uint8Array): boolean {
  return bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
}

function isBlankRecord(fields: string[]): boolean {
  for (const field of fields) if (field.trim() !== '') return false;
  return true;
}

function describeCsvError(error: CsvError): string {
  switch (error.code) {
    case 'CSV_QUOTE_NOT_CLOSED':
      return 'a quoted field starts in this row and is never closed: a " is missing before the end of the file';
    case 'CSV_INVALID_CLOSING_QUOTE':
      return 'unexpected text after a closing quote: a field that starts with " must end with " followed by a comma or a line break (write "" for a quote inside a field)';
    case 'INVALID_OPENING_QUOTE':
      return 'a " appears inside a field that is not quoted: quote the whole field and double the inner quote ("")';
    default:
      return `the CSV cannot be read: ${error.message}`;
  }
}

// Thrown from on_record to stop csv-parse early; it is rethrown unchanged by parse().
const STOP = Symbol('stop');

/**
 * Streams the non-blank records from `start` (a record boundary) to `end` into `onRecord`, which
 * may return false to stop. Returns the CSV syntax error that ended reading early, if any.
 * Records consisting only of empty or whitespace fields count as empty lines and are skipped.
 */
export function readRecords(
  bytes: Uint8Array,
  start: number,
  end: number,
  onRecord: (record: CsvRecord) => boolean | void,
  delimiter: Delimiter = ',',
): CsvFailure | null {
  const lines = new LineTracker(bytes);
  let previousEnd = start === 0 && hasBom(bytes) ? 3 : start;
  const recordStart = (): number => {
    // Between two records there can only be the line breaks of skipped empty lines.
    let s = previousEnd;
    while (s < end && (bytes[s] === 0x0a || bytes[s] === 0x0d)) s++;
    return s;
  };
  try {
    parse(bytes.subarray(start, end), {
      ...BASE_OPTIONS,
      delimiter,
      on_record: (fields: string[], context) => {
        const offset = recordStart();
        previousEnd = start + context.bytes;
        if (isBlankRecord(fields)) return null;
        if (onRecord({ fields, line: lines.lineAt(offset), offset }) === false) throw STOP;
        return null;
      },
    });
  } catch (error) {
    if (error === STOP) return null;
    if (error instanceof CsvError) {
      return {
        line: lines.lineAt(recordStart()),
        reason: describeCsvError(error),
        code: error.code,
      };
    }
    throw error;
  }
  return null;
}

export interface Head {
  records: CsvRecord[];
  failure: CsvFailure | null;
}

/**
 * The first few records, enough to find a header behind a preamble. Reads at most a bounded
 * prefix (cut at a line break) so detection costs the same for a 1 KB and a 100 MB file.
 */
export function readHead(bytes: Uint8Array, maxRecords = 16, delimiter: Delimiter = ','): Head {
  let end = bytes.length;
  let truncated = false;
  if (end > HEAD_BYTES) {
    const cut = bytes.lastIndexOf(0x0a, HEAD_BYTES);
    if (cut > 0) {
      end = cut + 1;
      truncated = true;
    }
  }
  const records: CsvRecord[] = [];
  let failure = readRecords(
    bytes,
    0,
    end,
    (record) => {
      records.push(record);
      return records.length < maxRecords;
    },
    delimiter,
  );
  // A quoted field running past the cut is an artefact of cutting, not of the file.
  if (failure && truncated && failure.code === 'CSV_QUOTE_NOT_CLOSED') failure = null;
  return { records, failure };
}

const DELIMITERS: readonly Delimiter[] = [',', ';', '\t', '|'];

/**
 * The field delimiter: the candidate that splits the first lines into the most columns, the same
 * number on most lines. A comma wins ties, so a one-column file stays a comma file.
 */
export function detectDelimiter(bytes: Uint8Array): Delimiter {
  let best: Delimiter = ',';
  let bestScore = 0;
  for (const delimiter of DELIMITERS) {
    const { records } = readHead(bytes, 30, delimiter);
    if (records.length === 0) continue;
    const counts = new Map<number, number>();
    for (const r of records) counts.set(r.fields.length, (counts.get(r.fields.length) ?? 0) + 1);
    // The most frequent width, and how many lines have it: title and footer lines are fewer.
    let width = 1;
    let lines = 0;
    for (const [w, n] of counts)
      if (n > lines || (n === lines && w > width)) [width, lines] = [w, n];
    if (width < 2) continue;
    const score = lines * Math.log2(width);
    if (score > bestScore) {
      best = delimiter;
      bestScore = score;
    }
  }
  return best;
}
