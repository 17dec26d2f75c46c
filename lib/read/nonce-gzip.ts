// A page stored once and sent many times, each time with a fresh nonce, without
// compressing it again: the text between the nonces is deflated once, each piece as
// an independent raw deflate stream flushed to a byte boundary (Z_SYNC_FLUSH, no
// final block), so that pieces and a freshly deflated nonce can be laid end to end
// as one deflate stream. A request then costs the nonce's few bytes of deflate and a
// CRC-32 of the page, not a compression of it.
import zlib from 'node:zlib';

export type NoncedBody = {
  /** The body's text between the nonces, as bytes. */
  parts: Buffer[];
  /** Each part deflated on its own, flushed, not final. */
  deflated: Buffer[];
  /** The body's length without its nonces. */
  bytes: number;
};

const FLUSHED = { level: 6, finishFlush: zlib.constants.Z_SYNC_FLUSH };
/** An empty final block (fixed Huffman codes): ends the stream. */
const FINAL_BLOCK = Buffer.from([0x03, 0x00]);
/** A gzip header: deflate, no name, no time, unknown OS. */
const GZIP_HEADER = Buffer.from([0x1f, 0x8b, 0x08, 0, 0, 0, 0, 0, 0, 0xff]);

/** Splits `body` at every `nonce` and deflates the pieces. */
export function splitAtNonce(body: Buffer, nonce: string): NoncedBody {
  const parts = body
    .toString('utf8')
    .split(nonce)
    .map((p) => Buffer.from(p, 'utf8'));
  return {
    parts,
    deflated: parts.map((p) => zlib.deflateRawSync(p, FLUSHED)),
    bytes: parts.reduce((n, p) => n + p.length, 0),
  };
}

/** The body with `nonce` where the old one was. */
export function plainBody(body: NoncedBody, nonce: string): Buffer {
  const glue = Buffer.from(nonce, 'utf8');
  const list: Buffer[] = [];
  body.parts.forEach((p, i) => list.push(...(i === 0 ? [p] : [glue, p])));
  return Buffer.concat(list);
}

/** The body with `nonce` where the old one was, as one gzip member. */
export function gzipBody(body: NoncedBody, nonce: string): Buffer {
  const glue = Buffer.from(nonce, 'utf8');
  const glueDeflated = zlib.deflateRawSync(glue, FLUSHED);
  const list: Buffer[] = [GZIP_HEADER];
  let crc = 0;
  body.parts.forEach((p, i) => {
    if (i > 0) {
      list.push(glueDeflated);
      crc = zlib.crc32(glue, crc);
    }
    list.push(body.deflated[i]!);
    crc = zlib.crc32(p, crc);
  });
  const trailer = Buffer.alloc(8);
  trailer.writeUInt32LE(crc >>> 0, 0);
  trailer.writeUInt32LE((body.bytes + glue.length * (body.parts.length - 1)) >>> 0, 4);
  list.push(FINAL_BLOCK, trailer);
  return Buffer.concat(list);
}
