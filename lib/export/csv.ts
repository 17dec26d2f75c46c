// RFC 4180 CSV for the exports. Pure and browser-safe (no Buffer, no fs): the route
// handlers stream it and the chart panel builds the same file on the client.
//
// The text is meant to be encoded as UTF-8. The BOM is on by default because without
// it Excel guesses the legacy code page and shows "Ак Жол" and "中国" as mojibake; tools
// that choke on a BOM (some Unix pipelines) can ask for `bom: false`.

export type CsvCell = string | number | null | undefined;

export const CSV_BOM = '\uFEFF';

const DEFAULT_CHUNK_SIZE = 64 * 1024;

// OWASP's CSV injection triggers, plus their full-width forms, which some spreadsheet
// locales (Japanese Excel, for one) fold to ASCII before deciding a cell is a formula.
const TRIGGER = '=+\\-@\\t\\r\\n\\uFF1D\\uFF0B\\uFF0D\\uFF20';
const STARTS_WITH_TRIGGER = new RegExp(`^[${TRIGGER}]`);
// A cell with line breaks becomes several rows in anything that reads CSV line by line
// (or when pasted), so each line's start is as dangerous as the cell's. CRLF is one
// break: a CR or LF right after a break only starts an empty line, and whatever follows
// it is checked in turn, so "a\r\nb" is left alone while "a\r\n\t=x" is not.
const LINE_STARTS_WITH_TRIGGER = /(?:\r\n|\r|\n)[=+\-@\t\uFF1D\uFF0B\uFF0D\uFF20]/;
const NEEDS_QUOTES = /[",\r\n]/;

/**
 * Prefixes `'` to text a spreadsheet could run as a formula (OWASP's advice): text
 * starting with = + - @ tab CR LF or ＝ ＋ － ＠, or with such a line anywhere inside it.
 *
 * Only for text. Text that merely looks numeric, such as "-5", is still neutralised
 * (to "'-5"): the writer can't tell a number from a formula like "-5+cmd|..." by its
 * first character, so callers must pass real numbers as `number`, which are never
 * prefixed.
 */
export function neutralizeFormula(text: string): string {
  return STARTS_WITH_TRIGGER.test(text) || LINE_STARTS_WITH_TRIGGER.test(text) ? `'${text}` : text;
}

/**
 * A number as its shortest round-trip decimal (what `String(n)` gives), so a value
 * entered as 0.3 is written as 0.3 and integers have no ".0". The writer never rounds:
 * 0.1 + 0.2 is a different double from 0.3 and is written as 0.30000000000000004; it
 * only never adds digits of its own.
 *
 * For 1e-7 <= |n| < 1e21 the text is plain decimal, never exponent notation (JS would
 * write 1.5e-7). Outside that range it stays in JS's exponent form ("1e+21", "1.5e-8",
 * "5e-324"), which is still exact and which Excel, LibreOffice, pandas, R and `Number`
 * read as numbers; written out in full, 5e-324 would take 324 digits that Excel's 15
 * significant digits would throw away anyway.
 *
 * -0 is written as 0. NaN and ±Infinity throw: they must never reach an export, and
 * writing them as text would pass a gap off as a value.
 */
export function formatCsvNumber(n: number): string {
  if (!Number.isFinite(n)) throw new RangeError(`cannot write ${n} to CSV: not a finite number`);
  if (n === 0) return '0'; // String(-0) is already "0"; this makes it explicit.
  const text = String(n);
  const abs = Math.abs(n);
  if (abs < 1e-7 || abs >= 1e21 || !text.includes('e')) return text;
  return expandExponent(text);
}

// Rewrites JS's exponent form by moving the decimal point in the digit string, never by
// arithmetic, so the digits stay exactly the shortest round-trip ones. Below 1e21 JS only
// uses an exponent for |n| < 1e-6, so only negative exponents arrive here.
function expandExponent(text: string): string {
  const match = /^(-?)(\d)(?:\.(\d+))?e-(\d+)$/.exec(text);
  if (!match) throw new Error(`unexpected number format: ${text}`);
  const [, sign = '', lead = '', rest = '', exponent = ''] = match;
  return `${sign}0.${'0'.repeat(Number(exponent) - 1)}${lead}${rest}`;
}

/** One field: empty for null/undefined, numbers plain, text neutralised then quoted if needed. */
export function csvField(cell: CsvCell): string {
  if (cell === null || cell === undefined) return '';
  if (typeof cell === 'number') return formatCsvNumber(cell);
  // The type says string, but rows are often assembled from untyped query results.
  if (typeof cell !== 'string') {
    throw new TypeError(`cannot write a ${typeof cell} to CSV: pass a string or a number`);
  }
  const text = neutralizeFormula(cell);
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** One record with its CRLF. Doesn't check the width: `toCsv` and `csvChunks` do. */
export function csvRow(cells: readonly CsvCell[]): string {
  const fields = cells.map(csvField);
  // A lone empty field would be an empty line, which most readers skip: quote it so
  // a one-column row with no value still counts as a row.
  if (fields.length === 1 && fields[0] === '') return '""\r\n';
  return `${fields.join(',')}\r\n`;
}

/** The header's record, then each row's, throwing at the first row of the wrong width. */
function* records(
  header: readonly string[],
  rows: Iterable<readonly CsvCell[]>,
): Generator<string> {
  // RFC 4180 has no zero-field record: an empty line reads as one empty field.
  if (header.length === 0) throw new RangeError('a CSV needs at least one column');
  yield csvRow(header);
  let index = 0;
  for (const row of rows) {
    index++;
    if (row.length !== header.length) {
      throw new RangeError(
        `CSV row ${index} has ${row.length} fields but the header has ${header.length}`,
      );
    }
    yield csvRow(row);
  }
}

/** The whole file as one string; `bom` defaults to true. */
export function toCsv(
  header: readonly string[],
  rows: Iterable<readonly CsvCell[]>,
  options: { bom?: boolean } = {},
): string {
  const parts = [options.bom === false ? '' : CSV_BOM];
  for (const record of records(header, rows)) parts.push(record);
  return parts.join('');
}

/**
 * Streaming: yields the BOM and header first, so a response can start at once, then
 * whole rows in chunks of about `chunkSize` UTF-16 code units (64 Ki by default; as
 * many bytes for ASCII, more once encoded for other scripts). Rows are pulled from
 * `rows` only as chunks are asked for, so the file is never held whole. Concatenated,
 * the chunks equal `toCsv` for the same arguments.
 *
 * A row of the wrong width throws when it is reached, after earlier chunks have gone
 * out: a streamed response then errors rather than ending as if complete.
 */
export function* csvChunks(
  header: readonly string[],
  rows: Iterable<readonly CsvCell[]>,
  options: { bom?: boolean; chunkSize?: number } = {},
): Generator<string> {
  const chunkSize = options.chunkSize ?? DEFAULT_CHUNK_SIZE;
  if (!(chunkSize >= 1)) throw new RangeError(`chunkSize must be at least 1, not ${chunkSize}`);
  const all = records(header, rows);
  const first = all.next();
  // `records` always yields the header first; `done` is only for the type checker.
  if (!first.done) yield (options.bom === false ? '' : CSV_BOM) + first.value;
  let parts: string[] = [];
  let size = 0;
  for (const record of all) {
    parts.push(record);
    size += record.length;
    if (size >= chunkSize) {
      yield parts.join('');
      parts = [];
      size = 0;
    }
  }
  if (parts.length > 0) yield parts.join('');
}
