// A page stored once and sent many times, each time with a fresh nonce, without
// compressing it again: the text between the nonces is deflated once, each piece as
// an independent raw deflate stream flushed to a byte boundary (Z_SYNC_FLUSH, no
// final block), so that pieces and the nonce, as a stored block, can be laid end to
// end as one deflate stream. The gzip trailer's CRC-32 of the whole text is combined
// from each piece's CRC and the nonce's (crc32Combine), so the text itself is not
// kept: it was four fifths of a stored page. A request costs the combining and a copy
// (0.02 ms for an indicator page in 27 pieces, as much as a CRC of its 99 KB of text
// took), not a compression. The pieces are kept in one buffer of
// its exact size: zlib hands back slices of 16 KB chunks, which would keep the whole
// chunk alive.
import zlib from 'node:zlib';

export type NoncedBody = {
  /** Each piece of text between the nonces: its CRC-32 and its length in bytes. */
  crcs: number[];
  lengths: number[];
  /** Each piece deflated on its own, flushed, not final, back to back, and their ends. */
  deflated: Buffer;
  deflatedEnds: number[];
};

// Level 2, as a web server compresses what it renders (nginx's default is 1): on an
// indicator page a third of level 6's time, for 13% more bytes (10.2 KB against 9.0).
const FLUSHED = { level: 2, finishFlush: zlib.constants.Z_SYNC_FLUSH };
/**
 * Pieces shorter than this are kept as they are (a stored block): a page has a nonce on
 * each of its scripts, and deflating each short piece between two of them on its own
 * (a zlib stream each) took half the time of the page's compression and saved 3% of it.
 */
const DEFLATED_FROM = 512;
/** An empty final block (fixed Huffman codes): ends the stream. */
const FINAL_BLOCK = Buffer.from([0x03, 0x00]);
/** A gzip header: deflate, no name, no time, unknown OS. */
const GZIP_HEADER = Buffer.from([0x1f, 0x8b, 0x08, 0, 0, 0, 0, 0, 0, 0xff]);

function joined(list: Buffer[]): { all: Buffer; ends: number[] } {
  const ends: number[] = [];
  let at = 0;
  for (const b of list) ends.push((at += b.length));
  return { all: Buffer.concat(list, at), ends };
}

const pieces = (all: Buffer, ends: number[]) =>
  ends.map((end, i) => all.subarray(i === 0 ? 0 : ends[i - 1]!, end));

/** `body` cut at every `mark`, as views of it: no text decoded and encoded again. */
function splitBytes(body: Buffer, mark: Buffer): Buffer[] {
  const parts: Buffer[] = [];
  let from = 0;
  for (let at = body.indexOf(mark); at !== -1; at = body.indexOf(mark, from)) {
    parts.push(body.subarray(from, at));
    from = at + mark.length;
  }
  parts.push(body.subarray(from));
  return parts;
}

/** Splits `body` at every `nonce` and deflates the pieces. */
export function splitAtNonce(body: Buffer, nonce: string): NoncedBody {
  const parts = splitBytes(body, Buffer.from(nonce, 'utf8'));
  const deflated = joined(
    parts.map((p) => (p.length < DEFLATED_FROM ? storedBlock(p) : zlib.deflateRawSync(p, FLUSHED))),
  );
  return {
    crcs: parts.map((p) => zlib.crc32(p)),
    lengths: parts.map((p) => p.length),
    deflated: deflated.all,
    deflatedEnds: deflated.ends,
  };
}

/** The bytes kept for a body. */
export const storedBytes = (body: NoncedBody) => body.deflated.length + 16 * body.crcs.length;

/**
 * The body with `nonce` where the old one was, for the rare client that takes no gzip:
 * inflated from the stored pieces, as the client would.
 */
export function plainBody(body: NoncedBody, nonce: string): Buffer {
  return zlib.inflateRawSync(Buffer.concat(deflateStream(body, nonce)));
}

/** `data` (under 64 KB) as a stored, not final, deflate block starting on a byte boundary. */
function storedBlock(data: Buffer): Buffer {
  const head = Buffer.alloc(5);
  head.writeUInt16LE(data.length, 1);
  head.writeUInt16LE(~data.length & 0xffff, 3);
  return Buffer.concat([head, data]);
}

/** The pieces and the nonce between them, ended: one raw deflate stream. */
function deflateStream(body: NoncedBody, nonce: string): Buffer[] {
  const stored = storedBlock(Buffer.from(nonce, 'utf8'));
  const list: Buffer[] = [];
  pieces(body.deflated, body.deflatedEnds).forEach((p, i) => {
    if (i > 0) list.push(stored);
    list.push(p);
  });
  list.push(FINAL_BLOCK);
  return list;
}

/** The CRC-32 and length of the text the pieces and `glue` between them make. */
function textCrc(body: NoncedBody, glue: Buffer): { crc: number; length: number } {
  const glueCrc = zlib.crc32(glue);
  let crc = body.crcs[0]!;
  let length = body.lengths[0]!;
  for (let i = 1; i < body.crcs.length; i++) {
    crc = crc32Combine(crc32Combine(crc, glueCrc, glue.length), body.crcs[i]!, body.lengths[i]!);
    length += glue.length + body.lengths[i]!;
  }
  return { crc, length };
}

/** The body with `nonce` where the old one was, as one gzip member. */
export function gzipBody(body: NoncedBody, nonce: string): Buffer {
  const { crc, length } = textCrc(body, Buffer.from(nonce, 'utf8'));
  const trailer = Buffer.alloc(8);
  trailer.writeUInt32LE(crc >>> 0, 0);
  trailer.writeUInt32LE(length >>> 0, 4);
  return Buffer.concat([GZIP_HEADER, ...deflateStream(body, nonce), trailer]);
}

// CRC-32 arithmetic, as zlib's crc32_combine (crc32.c): a CRC is a polynomial over
// GF(2) in reflected bit order, and appending n zero bytes multiplies it by x^(8n)
// modulo the CRC polynomial, so crc(A‖B) = crc(A)·x^(8·|B|) + crc(B).
const POLY = 0xedb88320;

/** a(x)·b(x) modulo the CRC polynomial. */
function multModP(a: number, b: number): number {
  let product = 0;
  for (let m = 0x80000000; m !== 0; m >>>= 1) {
    if (a & m) {
      product ^= b;
      if ((a & (m - 1)) === 0) break;
    }
    b = b & 1 ? (b >>> 1) ^ POLY : b >>> 1;
  }
  return product >>> 0;
}

/** x^(2^k) modulo the CRC polynomial, for k < 32. */
const X_TO_2_TO_K: number[] = [];
for (let p = 0x40000000, k = 0; k < 32; k++, p = multModP(p, p)) X_TO_2_TO_K.push(p);

/** x^(n·2^k) modulo the CRC polynomial. */
function xToNModP(n: number, k: number): number {
  let p = 0x80000000;
  for (; n > 0; n = Math.floor(n / 2), k++) if (n % 2) p = multModP(X_TO_2_TO_K[k % 32]!, p);
  return p;
}

/** The CRC-32 of A‖B from crc(A), crc(B) and B's length in bytes. */
export function crc32Combine(crcA: number, crcB: number, lengthB: number): number {
  return (multModP(xToNModP(lengthB, 3), crcA) ^ crcB) >>> 0;
}
