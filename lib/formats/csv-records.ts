import type { TransformCallback } from 'node:stream';
import { CsvError, Parser } from 'csv-parse';
import { parse, type Options } from 'csv-parse/sync';
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

/**
 * Counts line breaks as the file's lines count them: CRLF, LF and a lone CR are one each.
 * `afterCr` says whether the byte before `bytes` was a CR (a CRLF split between two chunks).
 */
export function countLineBreaks(bytes: Uint8Array, afterCr: boolean): number {
  let n = 0;
  if (bytes.indexOf(0x0d) < 0) {
    // No CR (the usual file): count LFs natively.
    for (let i = bytes.indexOf(0x0a); i >= 0; i = bytes.indexOf(0x0a, i + 1)) n++;
    return afterCr && bytes[0] === 0x0a ? n - 1 : n;
  }
  let prevCr = afterCr;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if (b === 0x0d) n++;
    else if (b === 0x0a && !prevCr) n++;
    prevCr = b === 0x0d;
  }
  return n;
}

/**
 * csv-parse's stream parser with each record taken as the parser makes it: `info.bytes` then
 * says where the record ends. (Its `on_record` option says so too, but builds a context
 * object for every record, which costs seconds on a million rows.)
 */
class RecordParser extends Parser {
  failure: CsvError | null = null;
  constructor(
    options: Options,
    private readonly onRecord: (fields: string[], end: number) => void,
  ) {
    super(options);
  }
  override push(record: unknown): boolean {
    if (record === null) return super.push(null);
    this.onRecord(record as string[], this.info.bytes);
    return true;
  }
  override _transform(chunk: Buffer, encoding: BufferEncoding, callback: TransformCallback) {
    super._transform(chunk, encoding, (error?: Error | null) => {
      if (error) this.failure = error as CsvError;
      callback();
    });
  }
  override _flush(callback: TransformCallback) {
    super._flush((error?: Error | null) => {
      if (error) this.failure = error as CsvError;
      callback();
    });
  }
}

/**
 * Reads CSV records from a file given in chunks, in file order, each with the physical line it
 * starts on: the same records readRecords finds in the whole file, without the whole file.
 * Only the bytes of the record being read are kept. `onRecord` may return false to stop.
 */
export class CsvRecordStream {
  private readonly parser: RecordParser;
  /** Chunks not yet scanned for line breaks, the first starting at `chunkStart`. */
  private chunks: Uint8Array[] = [];
  private chunkStart = 0;
  /** How far line breaks have been counted (absolute offset), and how many there were. */
  private pos = 0;
  private chunkIndex = 0;
  private line = 1;
  private afterCr = false;
  private stopped = false;
  private failure: CsvFailure | null = null;

  /** `from`: where in the file the first byte written is (when a fast reader hands over). */
  constructor(
    delimiter: Delimiter,
    private readonly onRecord: (record: CsvRecord) => boolean | void,
    private readonly from = { line: 1, offset: 0 },
  ) {
    this.line = from.line;
    this.parser = new RecordParser({ ...BASE_OPTIONS, delimiter }, (fields, end) =>
      this.record(fields, end),
    );
  }

  /** Counts line breaks from `pos` up to `to`, or (to = -1) over the CR/LF run at `pos`. */
  private advance(to: number): void {
    for (;;) {
      const chunk = this.chunks[this.chunkIndex];
      if (!chunk) return;
      const local = this.pos - this.chunkStart;
      if (local >= chunk.length) {
        this.chunkStart += chunk.length;
        this.chunkIndex++;
        continue;
      }
      if (to < 0) {
        const b = chunk[local];
        if (b !== 0x0a && b !== 0x0d) return;
        if (b === 0x0d || !this.afterCr) this.line++;
        this.afterCr = b === 0x0d;
        this.pos++;
        continue;
      }
      const end = Math.min(chunk.length, to - this.chunkStart);
      if (end <= local) return;
      const part = chunk.subarray(local, end);
      this.line += countLineBreaks(part, this.afterCr);
      this.afterCr = part[part.length - 1] === 0x0d;
      this.pos += part.length;
    }
  }

  private record(fields: string[], end: number) {
    // Between two records there can only be the line breaks of skipped empty lines.
    this.advance(-1);
    const offset = this.from.offset + this.pos;
    const line = this.line;
    this.advance(end);
    // Chunks wholly read are dropped.
    if (this.chunkIndex > 0) {
      this.chunks = this.chunks.slice(this.chunkIndex);
      this.chunkIndex = 0;
    }
    if (this.stopped || isBlankRecord(fields)) return;
    if (this.onRecord({ fields, line, offset }) === false) this.stopped = true;
  }

  get done(): boolean {
    return this.stopped || this.failure !== null;
  }

  write(bytes: Uint8Array): void {
    if (this.done || bytes.length === 0) return;
    this.chunks.push(bytes);
    this.parser.write(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    this.checkFailure();
  }

  private checkFailure() {
    const error = this.parser.failure;
    if (!error || this.failure || this.stopped) return;
    this.advance(-1);
    this.failure = {
      line: this.line,
      reason: error instanceof CsvError ? describeCsvError(error) : (error as Error).message,
      code: error instanceof CsvError ? error.code : 'CSV_ERROR',
    };
  }

  /** The CSV syntax error that ended reading early, if any. */
  end(): CsvFailure | null {
    if (!this.done) {
      this.parser.end();
      this.checkFailure();
    }
    return this.failure;
  }
}

/**
 * Reads CSV records from chunks like CsvRecordStream, splitting lines and fields itself for as
 * long as no line has a quote: most large files have none, and this is several times faster
 * than csv-parse. From the first line with a quote on, csv-parse reads the rest.
 */
export class FastCsvStream {
  private carry: Buffer = Buffer.alloc(0);
  private line = 1;
  /** File offset of carry[0]. */
  private offset = 0;
  private stopped = false;
  private csv: CsvRecordStream | null = null;
  private readonly delimiter: number;

  constructor(
    private readonly delimiterText: Delimiter,
    private readonly onRecord: (record: CsvRecord) => boolean | void,
  ) {
    this.delimiter = delimiterText.charCodeAt(0);
  }

  get done(): boolean {
    return this.stopped || (this.csv?.done ?? false);
  }

  write(bytes: Uint8Array): void {
    if (this.csv) return this.csv.write(bytes);
    if (this.stopped || bytes.length === 0) return;
    const chunk = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const buf = this.carry.length ? Buffer.concat([this.carry, chunk]) : chunk;
    const used = this.lines(buf, false);
    // What is left is an unfinished line (kept for the next chunk) or handed to csv-parse.
    this.carry = Buffer.from(buf.subarray(used));
    this.offset += used;
  }

  end(): CsvFailure | null {
    if (!this.csv && !this.stopped && this.carry.length) {
      const used = this.lines(this.carry, true);
      this.carry = this.carry.subarray(used);
      this.offset += used;
    }
    return this.csv ? this.csv.end() : null;
  }

  /** Reads the complete lines of `buf` (all of it when `last`); returns the bytes consumed. */
  private lines(buf: Buffer, last: boolean): number {
    const n = buf.length;
    let start = 0;
    while (start < n && !this.stopped) {
      let end = start;
      let quoted = false;
      while (end < n) {
        const b = buf[end];
        if (b === 0x0a || b === 0x0d) break;
        if (b === 0x22) quoted = true;
        end++;
      }
      if (quoted) {
        // csv-parse reads the rest of the file from this line on.
        this.csv = new CsvRecordStream(this.delimiterText, this.onRecord, {
          line: this.line,
          offset: this.offset + start,
        });
        this.csv.write(buf.subarray(start));
        return n;
      }
      if (end === n && !last) break;
      // A lone CR at the end of the chunk may be the first half of a CRLF.
      if (end === n - 1 && buf[end] === 0x0d && !last) break;
      if (end > start) this.record(buf, start, end);
      if (end < n) {
        this.line++;
        end += buf[end] === 0x0d && buf[end + 1] === 0x0a ? 2 : 1;
      }
      start = end;
    }
    return start;
  }

  private record(buf: Buffer, start: number, end: number) {
    const fields: string[] = [];
    let from = start;
    for (let i = start; i < end; i++) {
      if (buf[i] === this.delimiter) {
        fields.push(buf.toString('utf8', from, i));
        from = i + 1;
      }
    }
    fields.push(buf.toString('utf8', from, end));
    if (isBlankRecord(fields)) return;
    if (this.onRecord({ fields, line: this.line, offset: this.offset + start }) === false)
      this.stopped = true;
  }
}
