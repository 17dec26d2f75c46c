// Which character encoding a file is in, and its text as UTF-8 bytes for the CSV reader.
// chardet guesses legacy 8-bit encodings from byte statistics; iconv-lite decodes them
// (Node 20's TextDecoder decodes "windows-1252" as Latin-1, turning “ ” € into control codes).
import { isUtf8 } from 'node:buffer';
import { analyse } from 'chardet';
import iconv from 'iconv-lite';
import { countLineBreaks } from './csv-records';
import { findInvalidUtf8, lineAtOffset } from './decode';

export interface DecodedFile {
  /** The text as UTF-8 bytes, without a byte-order mark. */
  bytes: Uint8Array;
  /** The encoding the file was read as, e.g. "UTF-8", "windows-1252", "UTF-16LE". */
  encoding: string;
  /** How it was decided: a byte-order mark, valid UTF-8, the detector, or the user. */
  how: 'bom' | 'utf-8' | 'detected' | 'chosen';
}

export type DecodeResult = DecodedFile | { error: string; line: number | null };

const encoder = new TextEncoder();
// chardet's candidates that are Western European single-byte sets; windows-1252 reads all of
// them' printable characters the same way, and adds “ ” ‘ ’ – — € in 0x80–0x9F.
const WESTERN = new Set(['ISO-8859-1', 'windows-1252', 'ISO-8859-15']);
const SINGLE_BYTE = /^(?:ISO-8859-\d+|windows-125\d|KOI8-R)$/;

function withoutBom(bytes: Uint8Array): {
  bom: 'UTF-8' | 'UTF-16LE' | 'UTF-16BE' | null;
  at: number;
} {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return { bom: 'UTF-8', at: 3 };
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { bom: 'UTF-16LE', at: 2 };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { bom: 'UTF-16BE', at: 2 };
  return { bom: null, at: 0 };
}

/**
 * UTF-16 saved without a byte-order mark: text in Latin script then has a zero byte in every
 * other position. Neither chardet nor TextDecoder recognises it, and as 8-bit text it would be
 * read as letters separated by NULs.
 */
function utf16WithoutBom(bytes: Uint8Array): 'UTF-16LE' | 'UTF-16BE' | null {
  const n = Math.min(bytes.length, 4096) & ~1;
  if (n < 4) return null;
  let evenZeros = 0;
  let oddZeros = 0;
  for (let i = 0; i < n; i += 2) {
    if (bytes[i] === 0) evenZeros++;
    if (bytes[i + 1] === 0) oddZeros++;
  }
  const pairs = n / 2;
  if (oddZeros > pairs * 0.4 && evenZeros < pairs * 0.05) return 'UTF-16LE';
  if (evenZeros > pairs * 0.4 && oddZeros < pairs * 0.05) return 'UTF-16BE';
  return null;
}

/**
 * True when the bytes read as UTF-8 with a few bad bytes: well-formed multi-byte sequences
 * outnumber the bytes that fit none. Text in a legacy double-byte encoding (GBK, Big5,
 * Shift_JIS, EUC-KR) forms a valid sequence now and then by chance, but far more bad bytes.
 */
function hasUtf8Sequence(bytes: Uint8Array): boolean {
  const n = Math.min(bytes.length, 1 << 20);
  let valid = 0;
  // Runs of bad bytes: an overlong "C0 80" is one mistake, not two.
  let invalid = 0;
  let inRun = false;
  const bad = () => {
    if (!inRun) invalid++;
    inRun = true;
  };
  for (let i = 0; i < n - 1; i++) {
    const b = bytes[i]!;
    if (b < 0x80) {
      inRun = false;
      continue;
    }
    if (b < 0xc2 || b > 0xf4) {
      bad();
      continue;
    }
    const need = b < 0xe0 ? 1 : b < 0xf0 ? 2 : 3;
    let ok = true;
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) ok = false;
    }
    if (ok) {
      valid++;
      inRun = false;
      i += need;
    } else bad();
  }
  return valid > 0 && valid >= invalid;
}

function transcode(bytes: Uint8Array, encoding: string): Uint8Array {
  const text = iconv.decode(
    Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength),
    encoding,
    {
      stripBOM: true,
    },
  );
  return encoder.encode(text);
}

/** The legacy encoding chardet finds most likely, preferring windows-1252 when it is close. */
function detectLegacy(bytes: Uint8Array): string {
  const sample = bytes.length > 256 * 1024 ? bytes.subarray(0, 256 * 1024) : bytes;
  const candidates = analyse(sample).filter((c) => iconv.encodingExists(c.name));
  const top = candidates[0];
  if (!top) return 'windows-1252';
  // Short files give chardet little to go on, and it then ranks e.g. ISO-8859-2 a few points
  // above ISO-8859-1 for "São Tomé". Statistical files are overwhelmingly Western European, so a
  // Western candidate close behind another single-byte set wins; the user can still choose.
  if (SINGLE_BYTE.test(top.name) && !WESTERN.has(top.name)) {
    const western = candidates.find((c) => WESTERN.has(c.name));
    if (western && western.confidence >= top.confidence * 0.5) return 'windows-1252';
  }
  return WESTERN.has(top.name) ? 'windows-1252' : top.name;
}

/**
 * Reads a file's bytes as text. UTF-8 (with or without a BOM) and UTF-16 with a BOM are certain;
 * UTF-16 without one is recognised by its zero bytes; anything else that is not valid UTF-8 is
 * handed to chardet. A file that mixes valid UTF-8 sequences with invalid bytes is refused: it is
 * broken UTF-8, and reading it as 8-bit text would turn every "é" into "Ã©".
 */
export function decodeFile(bytes: Uint8Array, chosen?: string): DecodeResult {
  if (chosen) {
    if (!iconv.encodingExists(chosen)) {
      return { error: `unknown encoding ${JSON.stringify(chosen)}`, line: null };
    }
    const utf8 = /^utf-?8$/i.test(chosen);
    if (utf8) {
      const invalid = findInvalidUtf8(bytes);
      if (invalid !== null) return invalidUtf8(bytes, invalid);
    }
    return { bytes: transcode(bytes, chosen), encoding: utf8 ? 'UTF-8' : chosen, how: 'chosen' };
  }
  const { bom, at } = withoutBom(bytes);
  if (bom === 'UTF-16LE' || bom === 'UTF-16BE') {
    return { bytes: transcode(bytes.subarray(at), bom), encoding: bom, how: 'bom' };
  }
  // Before the UTF-8 check: zero bytes are valid UTF-8.
  const utf16 = bom ? null : utf16WithoutBom(bytes);
  if (utf16) return { bytes: transcode(bytes, utf16), encoding: utf16, how: 'detected' };
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return {
      bytes: bom ? bytes.subarray(at) : bytes,
      encoding: 'UTF-8',
      how: bom ? 'bom' : 'utf-8',
    };
  } catch {
    // not UTF-8: one of the cases below
  }
  if (bom || hasUtf8Sequence(bytes)) return invalidUtf8(bytes, findInvalidUtf8(bytes));
  const encoding = detectLegacy(bytes);
  return { bytes: transcode(bytes, encoding), encoding, how: 'detected' };
}

function invalidUtf8(bytes: Uint8Array, offset: number | null): DecodeResult {
  const line = offset === null ? null : lineAtOffset(bytes, offset);
  const where =
    offset === null ? '' : ` at byte offset ${offset}${line === null ? '' : ` (line ${line})`}`;
  return {
    error: `The file is not valid UTF-8: invalid byte sequence${where}, in a file that otherwise reads as UTF-8. Save it as UTF-8 (in Excel: "CSV UTF-8") and upload it again, or choose its encoding.`,
    line,
  };
}

/** What a streamed file decodes to: its text as UTF-8 bytes, chunk by chunk. */
export interface ChunkDecoder {
  encoding: string;
  how: DecodedFile['how'];
  /** The chunk's text as UTF-8 bytes (no byte-order mark), or why the file cannot be read. */
  write(chunk: Uint8Array): Uint8Array | DecodeFailure;
  end(): Uint8Array | DecodeFailure;
}

export type DecodeFailure = { error: string; line: number | null };

export function isDecodeFailure<T extends object>(r: T | DecodeFailure): r is DecodeFailure {
  return 'error' in r && typeof (r as DecodeFailure).error === 'string';
}

/** How many bytes at the end start a UTF-8 sequence that the next chunk completes. */
function incompleteTail(bytes: Uint8Array): number {
  for (let back = 1; back <= Math.min(4, bytes.length); back++) {
    const b = bytes[bytes.length - back]!;
    if ((b & 0xc0) === 0x80) continue;
    const need = b < 0xc0 ? 1 : b < 0xe0 ? 2 : b < 0xf0 ? 3 : 4;
    return back < need ? back : 0;
  }
  return 0;
}

function iconvDecoder(encoding: string, how: DecodedFile['how']): ChunkDecoder {
  const decoder = iconv.getDecoder(encoding);
  return {
    encoding,
    how,
    write: (chunk) =>
      encoder.encode(decoder.write(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength))),
    end: () => encoder.encode(decoder.end() ?? ''),
  };
}

/**
 * UTF-8 passed through as it is, checked chunk by chunk. A bad byte is an error, unless
 * `lenient` (the file's first megabyte was plain ASCII, as a legacy 8-bit file's can be): the
 * rest is then read in the legacy encoding the bad chunk suggests.
 */
function utf8Decoder(how: DecodedFile['how'], lenient: boolean): ChunkDecoder {
  let offset = 0;
  let lines = 1;
  let afterCr = false;
  let carry = new Uint8Array(0);
  let legacy: ChunkDecoder | null = null;
  let first = true;
  const self: ChunkDecoder = {
    encoding: 'UTF-8',
    how,
    write(input) {
      if (legacy) return legacy.write(input);
      let chunk = input;
      if (first) {
        first = false;
        if (chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) {
          chunk = chunk.subarray(3);
          offset = 3;
        }
      }
      const tail = incompleteTail(chunk);
      const whole = carry.length ? concatBytes(carry, chunk) : chunk;
      const checked = whole.subarray(0, whole.length - tail);
      if (!isUtf8(checked)) {
        const at = findInvalidUtf8(checked) ?? 0;
        const base = offset - carry.length;
        if (lenient) {
          legacy = iconvDecoder(detectLegacy(chunk), 'detected');
          self.encoding = legacy.encoding;
          self.how = 'detected';
          return legacy.write(chunk);
        }
        return invalidUtf8At(base + at, lines + countLineBreaks(whole.subarray(0, at), afterCr));
      }
      lines += countLineBreaks(chunk, afterCr);
      afterCr = chunk[chunk.length - 1] === 0x0d;
      offset += chunk.length;
      carry = tail ? chunk.slice(chunk.length - tail) : new Uint8Array(0);
      return chunk;
    },
    end() {
      if (legacy) return legacy.end();
      if (carry.length) return invalidUtf8At(offset - carry.length, lines);
      return new Uint8Array(0);
    },
  };
  return self;
}

function concatBytes(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

function invalidUtf8At(offset: number, line: number): DecodeFailure {
  return {
    error: `The file is not valid UTF-8: invalid byte sequence at byte offset ${offset} (line ${line}), in a file that otherwise reads as UTF-8. Save it as UTF-8 (in Excel: "CSV UTF-8") and upload it again, or choose its encoding.`,
    line,
  };
}

/**
 * Chooses how to decode a file from its first bytes (`head`, at least a megabyte unless the
 * file is shorter; `complete` when it is the whole file), by the same rules as decodeFile.
 */
export function chooseDecoder(
  head: Uint8Array,
  complete: boolean,
  chosen?: string,
): ChunkDecoder | DecodeFailure {
  if (chosen) {
    if (!iconv.encodingExists(chosen)) {
      return { error: `unknown encoding ${JSON.stringify(chosen)}`, line: null };
    }
    if (/^utf-?8$/i.test(chosen)) return utf8Decoder('chosen', false);
    return iconvDecoder(chosen, 'chosen');
  }
  const { bom } = withoutBom(head);
  if (bom === 'UTF-16LE' || bom === 'UTF-16BE') return iconvDecoder(bom, 'bom');
  // Before the UTF-8 check: zero bytes are valid UTF-8.
  const utf16 = bom ? null : utf16WithoutBom(head);
  if (utf16) return iconvDecoder(utf16, 'detected');
  const checked = complete ? head : head.subarray(0, head.length - incompleteTail(head));
  const multiByte = bom !== null || hasUtf8Sequence(head);
  if (isUtf8(checked)) return utf8Decoder(bom ? 'bom' : 'utf-8', !multiByte);
  if (multiByte) return invalidUtf8(head, findInvalidUtf8(head)) as DecodeFailure;
  return iconvDecoder(detectLegacy(head), 'detected');
}
