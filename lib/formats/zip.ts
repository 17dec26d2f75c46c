// A zip archive read once and inflated part by part, with every size bounded while it
// inflates. fflate's unzipSync rescans the whole archive per call (a workbook of 5,000
// sheets took seconds) and trusts each entry's declared size: an entry declaring 1 KB
// could inflate to 300 MB. Here the central directory is read once, and an entry that
// inflates past its declared size, or past the caller's limit, is stopped within one
// input slice (at most about 1,032 times the slice: deflate's largest ratio).
import { Inflate } from 'fflate';

export type ZipEntry = {
  name: string;
  /** 0 stored, 8 deflated; others are refused when read. */
  method: number;
  compressedSize: number;
  /** The unpacked size the archive declares. */
  size: number;
  /** Where the entry's local header starts. */
  offset: number;
};

export type ZipFailure = { error: string };

const END_OF_DIRECTORY = 0x06054b50;
const DIRECTORY_ENTRY = 0x02014b50;
const LOCAL_HEADER = 0x04034b50;
/** Input fed to the inflater at a time: the most it can overshoot a limit is ~1,032 × this. */
const SLICE = 4096;
const ZIP64 = 0xffffffff;

const damaged = (why: string): ZipFailure => ({
  error: `The file is not a readable .xlsx workbook (the zip archive is damaged: ${why})`,
});

function findEnd(view: DataView): number {
  // The end record is 22 bytes, followed by a comment of at most 65,535.
  const stop = Math.max(0, view.byteLength - 22 - 65_535);
  for (let at = view.byteLength - 22; at >= stop; at--)
    if (view.getUint32(at, true) === END_OF_DIRECTORY) return at;
  return -1;
}

/** The archive's entries by name, from its central directory; at most `maxEntries`. */
export function zipEntries(
  bytes: Uint8Array,
  maxEntries: number,
): Map<string, ZipEntry> | ZipFailure {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const end = bytes.byteLength >= 22 ? findEnd(view) : -1;
  if (end < 0) return damaged('no end of central directory');
  const count = view.getUint16(end + 10, true);
  if (count > maxEntries)
    return { error: `The workbook has ${count} parts, more than the ${maxEntries} Sourced reads` };
  const entries = new Map<string, ZipEntry>();
  const names = new TextDecoder('utf-8');
  let at = view.getUint32(end + 16, true);
  for (let i = 0; i < count; i++) {
    if (at + 46 > bytes.byteLength || view.getUint32(at, true) !== DIRECTORY_ENTRY)
      return damaged('a central directory entry is cut off');
    const nameLength = view.getUint16(at + 28, true);
    const next =
      at + 46 + nameLength + view.getUint16(at + 30, true) + view.getUint16(at + 32, true);
    if (next > bytes.byteLength) return damaged('a central directory entry is cut off');
    const entry: ZipEntry = {
      name: names.decode(bytes.subarray(at + 46, at + 46 + nameLength)),
      method: view.getUint16(at + 10, true),
      compressedSize: view.getUint32(at + 20, true),
      size: view.getUint32(at + 24, true),
      offset: view.getUint32(at + 42, true),
    };
    if (entry.size === ZIP64 || entry.compressedSize === ZIP64 || entry.offset === ZIP64)
      return { error: 'The workbook is a ZIP64 archive (over 4 GB), larger than any upload' };
    entries.set(entry.name, entry);
    at = next;
  }
  return entries;
}

/** The entry's compressed bytes, located through its local header. */
function entryData(bytes: Uint8Array, entry: ZipEntry): Uint8Array | ZipFailure {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const at = entry.offset;
  if (at + 30 > bytes.byteLength || view.getUint32(at, true) !== LOCAL_HEADER)
    return damaged(`${entry.name} has no local header`);
  const start = at + 30 + view.getUint16(at + 26, true) + view.getUint16(at + 28, true);
  const stop = start + entry.compressedSize;
  if (stop > bytes.byteLength) return damaged(`${entry.name} is cut off`);
  return bytes.subarray(start, stop);
}

/**
 * One entry, unpacked. Refused when it unpacks past its declared size or past `limit`
 * bytes, which is checked as it inflates, not after.
 */
export function readEntry(
  bytes: Uint8Array,
  entry: ZipEntry,
  limit: number,
): Uint8Array | ZipFailure {
  const data = entryData(bytes, entry);
  if ('error' in data) return data;
  const cap = Math.min(entry.size, limit);
  const tooBig: ZipFailure = {
    error: `The workbook's part ${entry.name} unpacks to more than ${entry.size > limit ? `the limit of ${(limit / 1024 / 1024).toFixed(0)} MB` : `the ${entry.size} bytes it declares`}`,
  };
  if (entry.method === 0) return data.length > cap ? tooBig : data.slice();
  if (entry.method !== 8)
    return { error: `The workbook's part ${entry.name} uses an unknown compression` };
  // Chunks, not a buffer of the declared size: a few bytes may declare hundreds of MB.
  const chunks: Uint8Array[] = [];
  let length = 0;
  let over = false;
  const inflater = new Inflate((chunk) => {
    length += chunk.length;
    if (length > cap) over = true;
    else chunks.push(chunk);
  });
  try {
    for (let i = 0; i < data.length && !over; i += SLICE)
      inflater.push(data.subarray(i, i + SLICE), i + SLICE >= data.length);
    if (data.length === 0) inflater.push(new Uint8Array(0), true);
  } catch {
    return damaged(`${entry.name} does not inflate`);
  }
  if (over) return tooBig;
  const out = new Uint8Array(length);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}
