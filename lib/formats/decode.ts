const encoder = new TextEncoder();

export type BytesResult = { bytes: Uint8Array } | { error: string; line: number | null };

/**
 * Returns the file as UTF-8 bytes, checked. CSV parsing then runs on the bytes so the byte offsets
 * csv-parse reports line up with the file, which is how rows get their physical line numbers.
 */
export function toUtf8Bytes(input: Uint8Array | string): BytesResult {
  if (typeof input === 'string') return { bytes: encoder.encode(input) };
  try {
    // Decoding with fatal: true is the fast native check; the string itself is not needed.
    new TextDecoder('utf-8', { fatal: true }).decode(input);
  } catch {
    const offset = findInvalidUtf8(input);
    const line = offset === null ? null : lineAtOffset(input, offset);
    const where =
      offset === null ? '' : ` at byte offset ${offset}${line === null ? '' : ` (line ${line})`}`;
    return {
      error: `The file is not valid UTF-8: invalid byte sequence${where}. Save it as UTF-8 (in Excel: "CSV UTF-8") and upload it again.`,
      line,
    };
  }
  return { bytes: input };
}

/** True when there is nothing but an optional BOM and whitespace. */
export function isBlank(bytes: Uint8Array): boolean {
  let i = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  for (; i < bytes.length; i++) {
    const b = bytes[i];
    if (b !== 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d) return false;
  }
  return true;
}

/** 1-based line of a byte offset, counting CRLF, LF and lone CR each as one break. */
export function lineAtOffset(bytes: Uint8Array, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < bytes.length; i++) {
    const b = bytes[i];
    if (b === 0x0a) line += 1;
    else if (b === 0x0d && bytes[i + 1] !== 0x0a) line += 1;
  }
  return line;
}

function isContinuation(b: number | undefined): boolean {
  return b !== undefined && (b & 0xc0) === 0x80;
}

/**
 * Offset of the first byte that does not start a well-formed UTF-8 sequence (the same rules as
 * TextDecoder: no overlong forms, no surrogates, nothing above U+10FFFF), or null if none.
 * Only runs after TextDecoder has already said the file is broken, to say where.
 */
export function findInvalidUtf8(bytes: Uint8Array): number | null {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i] ?? 0;
    if (b < 0x80) {
      i += 1;
      continue;
    }
    const b1 = bytes[i + 1];
    if (b >= 0xc2 && b <= 0xdf) {
      if (!isContinuation(b1)) return i;
      i += 2;
      continue;
    }
    const b2 = bytes[i + 2];
    if (b >= 0xe0 && b <= 0xef) {
      if (b1 === undefined) return i;
      const lowOk =
        b === 0xe0
          ? b1 >= 0xa0 && b1 <= 0xbf
          : b === 0xed
            ? b1 >= 0x80 && b1 <= 0x9f
            : isContinuation(b1);
      if (!lowOk || !isContinuation(b2)) return i;
      i += 3;
      continue;
    }
    if (b >= 0xf0 && b <= 0xf4) {
      if (b1 === undefined) return i;
      const lowOk =
        b === 0xf0
          ? b1 >= 0x90 && b1 <= 0xbf
          : b === 0xf4
            ? b1 >= 0x80 && b1 <= 0x8f
            : isContinuation(b1);
      if (!lowOk || !isContinuation(b2) || !isContinuation(bytes[i + 3])) return i;
      i += 4;
      continue;
    }
    return i;
  }
  return null;
}
