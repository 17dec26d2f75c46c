// One gzip stream (RFC 1952) from raw deflate parts compressed on different threads,
// as pigz builds one: each part ends with a full flush (byte-aligned, and nothing after
// it refers back into it), so the parts can be sent one after another; then an empty
// final block, and the trailer's CRC-32 of the whole, combined from each part's own.

/** Magic, deflate, no flags, no time, no extra flags, OS unknown. */
export const GZIP_HEADER = Uint8Array.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff]);

/** An empty deflate block with BFINAL set (fixed Huffman codes, end of block). */
const FINAL_BLOCK = [0x03, 0x00];

/** The last bytes: the final block, then the CRC-32 and the length (mod 2³²), little-endian. */
export function gzipTrailer(crc: number, length: number): Uint8Array {
  const out = new Uint8Array(10);
  out.set(FINAL_BLOCK, 0);
  const view = new DataView(out.buffer);
  view.setUint32(2, crc >>> 0, true);
  view.setUint32(6, length % 2 ** 32, true);
  return out;
}

const GF2_DIM = 32;

function gf2MatrixTimes(mat: Uint32Array, vec: number): number {
  let sum = 0;
  for (let i = 0; vec !== 0; i++, vec >>>= 1) if (vec & 1) sum ^= mat[i]!;
  return sum >>> 0;
}

function gf2MatrixSquare(square: Uint32Array, mat: Uint32Array) {
  for (let n = 0; n < GF2_DIM; n++) square[n] = gf2MatrixTimes(mat, mat[n]!);
}

/**
 * The CRC-32 of A followed by B, from A's and B's own CRC-32 and B's length (zlib's
 * crc32_combine): B's length in zeros is run through A's CRC by squaring the matrix
 * of one zero bit, in O(log length).
 */
export function crc32Combine(crcA: number, crcB: number, lengthB: number): number {
  if (lengthB <= 0) return crcA >>> 0;
  const even = new Uint32Array(GF2_DIM);
  const odd = new Uint32Array(GF2_DIM);
  odd[0] = 0xedb88320; // the CRC-32 polynomial, reflected
  for (let n = 1, row = 1; n < GF2_DIM; n++, row <<= 1) odd[n] = row >>> 0;
  gf2MatrixSquare(even, odd); // two zero bits
  gf2MatrixSquare(odd, even); // four
  let crc = crcA >>> 0;
  let length = lengthB;
  // Each round squares for the next bit of the length (a byte is eight zero bits).
  do {
    gf2MatrixSquare(even, odd);
    if (length % 2 === 1) crc = gf2MatrixTimes(even, crc);
    length = Math.floor(length / 2);
    if (length === 0) break;
    gf2MatrixSquare(odd, even);
    if (length % 2 === 1) crc = gf2MatrixTimes(odd, crc);
    length = Math.floor(length / 2);
  } while (length !== 0);
  return (crc ^ crcB) >>> 0;
}

/**
 * Whether an Accept-Encoding header takes gzip (q=0 refuses it). Without the header the
 * body is sent as it is, as Next.js's own compression does.
 */
export function acceptsGzip(header: string | null): boolean {
  if (header === null) return false;
  let star: boolean | null = null;
  for (const part of header.split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const accepted = q === undefined || Number(q.slice(2)) > 0;
    if (name === 'gzip' || name === 'x-gzip') return accepted;
    if (name === '*') star = accepted;
  }
  return star ?? false;
}
