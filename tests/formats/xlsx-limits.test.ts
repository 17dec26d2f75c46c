// Finding 2 of issue #25: a 1 KB workbook could take the server down. A cell reference
// past column XFD padded a row to 321 million cells; an entry declaring 1 KB inflated to
// whatever it held; thousands of sheets each rescanned the archive. Each is refused now,
// with a reason, and fast.
import { deflateSync, strToU8, unzipSync, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { parseDataFile } from '@/lib/formats';
import { buildXlsx } from './xlsx-builder';

const reason = (bytes: Uint8Array) => parseDataFile(bytes).problems[0]?.reason ?? '';

/** A valid workbook whose first sheet's XML is replaced by `sheet`. */
function withSheet(sheet: string): Uint8Array {
  const files = unzipSync(buildXlsx([{ name: 'Data', rows: [['a']] }]));
  files['xl/worksheets/sheet1.xml'] = strToU8(
    `<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>${sheet}</sheetData></worksheet>`,
  );
  return zipSync(files);
}

describe('workbook limits', () => {
  it('refuses a cell past column XFD instead of padding the row to it', () => {
    const started = Date.now();
    const r = reason(
      withSheet('<row r="3"><c r="AAAAAAA3" t="inlineStr"><is><t>x</t></is></c></row>'),
    );
    expect(r).toBe('Cell AAAAAAA3 lies past column XFD, the last column a sheet may have');
    expect(Date.now() - started).toBeLessThan(2000);
    // XFD itself is a column a sheet has.
    expect(reason(withSheet('<row r="1"><c r="XFD1"><v>1</v></c></row>'))).not.toMatch(/XFD/);
  });

  it('refuses a row of more than 16,384 cells without references', () => {
    const cells = '<c><v>1</v></c>'.repeat(16_385);
    expect(reason(withSheet(`<row r="1">${cells}</row>`))).toMatch(/past column XFD/);
  });

  it('counts the empty cells a reference pads, and stops at 16 million', () => {
    const rows = Array.from(
      { length: 1000 },
      (_, i) => `<row r="${i + 1}"><c r="XFD${i + 1}"><v>1</v></c></row>`,
    );
    expect(reason(withSheet(rows.join('')))).toMatch(/more than 16,000,000 cells/);
  });

  it('stops an entry that inflates past its declared size, while inflating', () => {
    const book = withSheet('<row r="1"><c r="A1"><v>1</v></c></row>');
    // The sheet is swapped for 30 MB of spaces that declares 1 KB in both headers.
    const files = unzipSync(book);
    delete files['xl/worksheets/sheet1.xml'];
    const rest = zipSync(files, { level: 0 });
    const bomb = deflateSync(new Uint8Array(30 * 1024 * 1024).fill(32));
    const zip = zipWithEntry(rest, 'xl/worksheets/sheet1.xml', bomb, 1024);
    expect(reason(zip)).toBe(
      "The workbook's part xl/worksheets/sheet1.xml unpacks to more than the 1024 bytes it declares",
    );
  });

  it('refuses more than 1,000 sheets', () => {
    const sheets = Array.from({ length: 1001 }, (_, i) => ({ name: `S${i}`, rows: [['a']] }));
    expect(reason(buildXlsx(sheets))).toBe(
      'The workbook has 1001 sheets, more than the 1000 Sourced reads',
    );
  });
});

/**
 * `zip` with one more deflated entry that declares `size` bytes unpacked, written by
 * hand: fflate's zipSync always writes the true size.
 */
function zipWithEntry(zip: Uint8Array, name: string, data: Uint8Array, size: number): Uint8Array {
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  let end = zip.length - 22;
  while (view.getUint32(end, true) !== 0x06054b50) end--;
  const count = view.getUint16(end + 10, true);
  const dirSize = view.getUint32(end + 12, true);
  const dirOffset = view.getUint32(end + 16, true);
  const nameBytes = strToU8(name);
  const local = new Uint8Array(30 + nameBytes.length);
  const lv = new DataView(local.buffer);
  lv.setUint32(0, 0x04034b50, true);
  lv.setUint16(4, 20, true);
  lv.setUint16(8, 8, true);
  lv.setUint32(18, data.length, true);
  lv.setUint32(22, size, true);
  lv.setUint16(26, nameBytes.length, true);
  local.set(nameBytes, 30);
  const central = new Uint8Array(46 + nameBytes.length);
  const cv = new DataView(central.buffer);
  cv.setUint32(0, 0x02014b50, true);
  cv.setUint16(4, 20, true);
  cv.setUint16(6, 20, true);
  cv.setUint16(10, 8, true);
  cv.setUint32(20, data.length, true);
  cv.setUint32(24, size, true);
  cv.setUint16(28, nameBytes.length, true);
  cv.setUint32(42, dirOffset, true);
  central.set(nameBytes, 46);
  const head = zip.subarray(0, dirOffset);
  const dir = zip.subarray(dirOffset, dirOffset + dirSize);
  const out = new Uint8Array(
    head.length + local.length + data.length + dir.length + central.length + 22,
  );
  let at = 0;
  for (const part of [head, local, data, dir, central]) {
    out.set(part, at);
    at += part.length;
  }
  const ev = new DataView(out.buffer);
  ev.setUint32(at, 0x06054b50, true);
  ev.setUint16(at + 8, count + 1, true);
  ev.setUint16(at + 10, count + 1, true);
  ev.setUint32(at + 12, dir.length + central.length, true);
  ev.setUint32(at + 16, head.length + local.length + data.length, true);
  return out;
}
