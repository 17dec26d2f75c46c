// Excel workbooks (.xlsx, Office Open XML): unzipped with fflate, the sheet's XML read with saxes,
// cells turned into the same records a CSV file gives, numbered by their spreadsheet row. Only
// what a data table needs is read: shared and inline strings, numbers, booleans, error values,
// and dates (by their number format). Formulas are read as their cached results. Workbooks with
// macros or links to other workbooks are refused; the unpacked size is bounded before anything
// is inflated and again while it inflates (lib/formats/zip.ts), and so are the columns a cell
// may name, the cells a sheet may have and the sheets a workbook may list.
import { SaxesParser, type SaxesTagPlain } from 'saxes';
import type { CsvRecord } from './csv-records';
import { readEntry, zipEntries } from './zip';

export interface Workbook {
  sheets: string[];
  sheet: string;
  records: CsvRecord[];
  /** True when reading stopped at the row limit. */
  truncated: boolean;
}

export type WorkbookResult = Workbook | { error: string };

const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];

export function isZip(bytes: Uint8Array): boolean {
  return ZIP_MAGIC.every((b, i) => bytes[i] === b);
}

const decoder = new TextDecoder('utf-8');
const localName = (name: string) => name.slice(name.indexOf(':') + 1);

/** Runs saxes over an XML part; handlers get local names (the prefix, if any, dropped). */
function walk(
  xml: Uint8Array,
  on: {
    open?: (name: string, attrs: Record<string, string>) => void;
    text?: (text: string) => void;
    close?: (name: string) => void;
  },
): void {
  const parser = new SaxesParser();
  if (on.open) {
    const open = on.open;
    parser.on('opentag', (tag: SaxesTagPlain) =>
      open(localName(tag.name), tag.attributes as Record<string, string>),
    );
  }
  if (on.text) parser.on('text', on.text);
  if (on.close) {
    const close = on.close;
    parser.on('closetag', (tag) => close(localName(tag.name)));
  }
  parser.write(decoder.decode(xml)).close();
}

// What a workbook may hold. Excel's sheets end at column XFD; a reference past it
// ("AAAAAAA3") once padded a row to 321 million cells. Cells count the padding too.
const MAX_COLUMNS = 16_384;
const MAX_CELLS = 16_000_000;
const MAX_SHEETS = 1_000;
const MAX_PARTS = 20_000;

/** A workbook past one of the limits above: its message is the reason shown. */
class WorkbookLimit extends Error {}

/** "BC12" → 54 (0-based column index); MAX_COLUMNS or more past column XFD. */
function columnIndex(ref: string): number {
  let n = 0;
  for (const ch of ref) {
    const c = ch.charCodeAt(0);
    if (c < 65 || c > 90) break;
    n = n * 26 + (c - 64);
    if (n > MAX_COLUMNS) return MAX_COLUMNS;
  }
  return n - 1;
}

// Built-in number formats that are dates (ECMA-376 Part 1, 18.8.30).
const BUILTIN_DATES = new Set([14, 15, 16, 17, 18, 19, 20, 21, 22, 45, 46, 47]);

/** A custom number format is a date when it has y, m or d outside quotes and brackets. */
function isDateFormat(code: string): boolean {
  const bare = code.replace(/"[^"]*"|\[[^\]]*\]|\\./g, '');
  return /[yd]/i.test(bare) || /m/i.test(bare.replace(/[hs]+:?m+|m+:?s+/gi, ''));
}

type DateStyle = { date: boolean; precision: 'year' | 'month' | 'day' };

function readStyles(xml: Uint8Array | undefined): DateStyle[] {
  if (!xml) return [];
  const custom = new Map<number, string>();
  const styles: DateStyle[] = [];
  let inCellXfs = false;
  walk(xml, {
    open(name, a) {
      if (name === 'numFmt') custom.set(Number(a.numFmtId), a.formatCode ?? '');
      else if (name === 'cellXfs') inCellXfs = true;
      else if (name === 'xf' && inCellXfs) {
        const id = Number(a.numFmtId ?? 0);
        const code = custom.get(id);
        const date = code !== undefined ? isDateFormat(code) : BUILTIN_DATES.has(id);
        const bare = (code ?? '').replace(/"[^"]*"|\[[^\]]*\]/g, '').toLowerCase();
        const precision =
          code === undefined || /d/.test(bare) ? 'day' : /m/.test(bare) ? 'month' : 'year';
        styles.push({ date, precision });
      }
    },
    close(name) {
      if (name === 'cellXfs') inCellXfs = false;
    },
  });
  return styles;
}

function readSharedStrings(xml: Uint8Array | undefined): string[] {
  if (!xml) return [];
  const out: string[] = [];
  let current: string | null = null;
  let inText = false;
  let phonetic = 0;
  walk(xml, {
    open(name) {
      if (name === 'si') current = '';
      else if (name === 't' && phonetic === 0) inText = true;
      else if (name === 'rPh') phonetic++;
    },
    text(text) {
      if (inText && current !== null) current += text;
    },
    close(name) {
      if (name === 't') inText = false;
      else if (name === 'rPh') phonetic--;
      else if (name === 'si') {
        out.push(current ?? '');
        current = null;
      }
    },
  });
  return out;
}

/** A date serial (days since 1899-12-30, or since 1904-01-01) as an ISO date prefix. */
function serialToDate(
  serial: number,
  date1904: boolean,
  precision: DateStyle['precision'],
): string {
  const days = Math.floor(serial) + (date1904 ? 1462 : 0);
  const ms = Date.UTC(1899, 11, 30) + days * 86_400_000;
  const iso = new Date(ms).toISOString().slice(0, 10);
  return precision === 'year' ? iso.slice(0, 4) : precision === 'month' ? iso.slice(0, 7) : iso;
}

interface SheetRef {
  name: string;
  path: string;
  hidden: boolean;
}

function readWorkbookParts(
  workbookXml: Uint8Array,
  relsXml: Uint8Array,
): { sheets: SheetRef[]; date1904: boolean } {
  const targets = new Map<string, string>();
  walk(relsXml, {
    open(name, a) {
      if (name === 'Relationship' && a.Id && a.Target) targets.set(a.Id, a.Target);
    },
  });
  const sheets: SheetRef[] = [];
  let date1904 = false;
  walk(workbookXml, {
    open(name, a) {
      if (name === 'workbookPr') date1904 = a.date1904 === '1' || a.date1904 === 'true';
      if (name !== 'sheet') return;
      const id = a['r:id'] ?? Object.entries(a).find(([k]) => k.endsWith(':id'))?.[1];
      const target = id ? targets.get(id) : undefined;
      if (!target) return;
      const path = target.startsWith('/') ? target.slice(1) : `xl/${target.replace(/^\.\//, '')}`;
      sheets.push({
        name: a.name ?? path,
        path,
        hidden: a.state === 'hidden' || a.state === 'veryHidden',
      });
    },
  });
  return { sheets, date1904 };
}

function readSheet(
  xml: Uint8Array,
  shared: string[],
  styles: DateStyle[],
  date1904: boolean,
  maxRecords: number,
): { records: CsvRecord[]; truncated: boolean } {
  const records: CsvRecord[] = [];
  let truncated = false;
  let row: string[] | null = null;
  let rowNumber = 0;
  let nextColumn = 0;
  let cells = 0;
  let cell: { column: number; type: string; style: number } | null = null;
  let text = '';
  let inValue = false;
  const STOP = new Error('row limit');
  try {
    walk(xml, {
      open(name, a) {
        if (name === 'row') {
          rowNumber = a.r ? Number(a.r) : rowNumber + 1;
          row = [];
          nextColumn = 0;
        } else if (name === 'c' && row) {
          const column = a.r ? columnIndex(a.r) : nextColumn;
          if (column >= MAX_COLUMNS)
            throw new WorkbookLimit(
              `Cell ${a.r ?? `${MAX_COLUMNS + 1} of row ${rowNumber}`} lies past column XFD, the last column a sheet may have`,
            );
          nextColumn = column + 1;
          cell = { column, type: a.t ?? 'n', style: Number(a.s ?? 0) };
          text = '';
        } else if ((name === 'v' || name === 't') && cell) {
          inValue = true;
        }
      },
      text(t) {
        if (inValue) text += t;
      },
      close(name) {
        if (name === 'v' || name === 't') inValue = false;
        else if (name === 'c' && cell && row) {
          let value = text;
          if (cell.type === 's') value = shared[Number(text)] ?? '';
          else if (cell.type === 'b') value = text === '1' ? 'TRUE' : 'FALSE';
          else if (cell.type === 'n' && text !== '') {
            const style = styles[cell.style];
            if (style?.date) value = serialToDate(Number(text), date1904, style.precision);
          }
          if (row.length < cell.column)
            row.push(...new Array<string>(cell.column - row.length).fill(''));
          row[cell.column] = value;
          cell = null;
        } else if (name === 'row' && row) {
          cells += row.length;
          if (cells > MAX_CELLS)
            throw new WorkbookLimit(
              `The sheet has more than ${MAX_CELLS.toLocaleString('en-US')} cells (counting the empty ones before a cell), more than Sourced reads`,
            );
          if (row.some((f) => f.trim() !== '')) {
            if (records.length >= maxRecords) {
              truncated = true;
              throw STOP;
            }
            records.push({ fields: row, line: rowNumber, offset: records.length });
          }
          row = null;
        }
      },
    });
  } catch (error) {
    if (error !== STOP) throw error;
  }
  return { records, truncated };
}

/**
 * The chosen sheet (default: the first visible one with data) as records. `maxBytes` bounds what
 * the parts read may unpack to; `maxRecords` how many rows are kept.
 */
export function readWorkbook(
  bytes: Uint8Array,
  options: { sheet?: string; maxBytes: number; maxRecords: number },
): WorkbookResult {
  const entries = zipEntries(bytes, MAX_PARTS);
  if ('error' in entries) return entries;
  const names = [...entries.keys()];
  if (names.some((n) => /(^|\/)vbaProject\.bin$/i.test(n))) {
    return {
      error:
        'The workbook contains macros (vbaProject.bin). Sourced does not read macro-enabled workbooks: save it as .xlsx without macros, or as CSV.',
    };
  }
  if (names.some((n) => /^xl\/externalLinks\//i.test(n))) {
    return {
      error:
        'The workbook links to other workbooks (external links), so its values may depend on files that are not here. Save a copy with the links broken (Data → Edit Links → Break Link), or as CSV.',
    };
  }
  if (!entries.has('xl/workbook.xml')) {
    return { error: 'The file is a zip archive but not an .xlsx workbook (no xl/workbook.xml)' };
  }
  const parts = (wanted: string[]): Record<string, Uint8Array> | { error: string } => {
    const present = wanted.flatMap((n) => entries.get(n) ?? []);
    const size = present.reduce((sum, e) => sum + e.size, 0);
    if (size > options.maxBytes) {
      return {
        error: `The workbook's sheet unpacks to ${(size / 1024 / 1024).toFixed(0)} MB, more than the limit of ${(options.maxBytes / 1024 / 1024).toFixed(0)} MB`,
      };
    }
    const out: Record<string, Uint8Array> = {};
    for (const entry of present) {
      const part = readEntry(bytes, entry, options.maxBytes);
      if ('error' in part) return part;
      out[entry.name] = part;
    }
    return out;
  };
  try {
    const base = parts([
      'xl/workbook.xml',
      'xl/_rels/workbook.xml.rels',
      'xl/sharedStrings.xml',
      'xl/styles.xml',
    ]);
    if ('error' in base) return base as { error: string };
    const workbookXml = base['xl/workbook.xml'];
    const relsXml = base['xl/_rels/workbook.xml.rels'];
    if (!workbookXml || !relsXml) return { error: 'The workbook has no sheet list' };
    const { sheets, date1904 } = readWorkbookParts(workbookXml, relsXml);
    if (sheets.length > MAX_SHEETS)
      return {
        error: `The workbook has ${sheets.length} sheets, more than the ${MAX_SHEETS} Sourced reads`,
      };
    const visible = sheets.filter((s) => !s.hidden);
    if (visible.length === 0) return { error: 'The workbook has no visible sheet' };
    const shared = readSharedStrings(base['xl/sharedStrings.xml']);
    const styles = readStyles(base['xl/styles.xml']);
    const sheetNames = visible.map((s) => s.name);
    let candidates = visible;
    if (options.sheet !== undefined) {
      const chosen =
        visible.find((s) => s.name === options.sheet) ??
        visible.find((s) => s.name.trim().toLowerCase() === options.sheet!.trim().toLowerCase());
      if (!chosen) {
        return {
          error: `The workbook has no sheet ${JSON.stringify(options.sheet)}; its sheets are ${sheetNames.map((n) => JSON.stringify(n)).join(', ')}`,
        };
      }
      candidates = [chosen];
    }
    for (const sheet of candidates) {
      const part = parts([sheet.path]);
      if ('error' in part) return part as { error: string };
      const xml = part[sheet.path];
      if (!xml) continue;
      const { records, truncated } = readSheet(xml, shared, styles, date1904, options.maxRecords);
      if (records.length === 0 && options.sheet === undefined) continue;
      return { sheets: sheetNames, sheet: sheet.name, records, truncated };
    }
    return { error: 'Every sheet of the workbook is empty' };
  } catch (error) {
    if (error instanceof WorkbookLimit) return { error: error.message };
    return {
      error: `The workbook's XML cannot be read: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`,
    };
  }
}
