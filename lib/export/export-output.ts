// What an export thread (export-worker-main.ts) sends of the chunks it writes: the
// chunks as they are, or deflated for a gzip response, each part fully flushed (so
// that parts from two threads can be joined, gzip-parts.ts) and followed by its
// CRC-32 and length.
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import zlib from 'node:zlib';
import type { ChunkPool } from './full-export';

/**
 * Compression level of the gzip stream. zlib's fastest: a million rows (225 MB of
 * CSV) make 8.1 MB, against 7.1 MB at its default of 6, for 40% less of its time.
 */
export const EXPORT_GZIP_LEVEL = 1;

/**
 * `chunks` as one gzip stream at EXPORT_GZIP_LEVEL, compressed on zlib's threads while the
 * next chunks are made: the full export where no export thread writes it (PostgreSQL, which
 * formats its own rows). Left to Next.js, it was compressed at zlib's default level, which
 * took longer than PostgreSQL took to write the rows. Stopping early stops `chunks` too.
 */
export async function* gzipChunks(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  const gzip = zlib.createGzip({
    level: EXPORT_GZIP_LEVEL,
    chunkSize: 64 * 1024,
    writableHighWaterMark: DEFLATE_BACKLOG,
  } as zlib.ZlibOptions);
  const fed = pipeline(Readable.from(chunks), gzip);
  // A failure of `chunks` ends the gzip stream with it, and is thrown below.
  fed.catch(() => {});
  // Stopping early ends this loop, which destroys the gzip stream, and the pipeline `chunks`.
  for await (const out of gzip) yield out as Buffer;
  await fed;
}

export type PartEnd = { partEnd: number; crc: number; length: number };

export type ExportOutput = {
  write(chunk: Uint8Array): Promise<void>;
  /** After the last chunk of part `index`. */
  endPart(index: number): Promise<void>;
  /** After the last part: resolves once everything is sent. */
  finish(): Promise<void>;
};

/**
 * Uncompressed bytes zlib may have waiting: enough that writing rows and compressing
 * them overlap (at zlib's own 16 KB, each chunk would wait for the one before it).
 */
const DEFLATE_BACKLOG = 4 * 1024 * 1024;

export function exportOutput(
  gzip: boolean,
  /** `owns`: the chunk is the caller's alone (the encoder's), and may be moved. */
  send: (chunk: Uint8Array, owns: boolean) => Promise<void>,
  post: (end: PartEnd) => void,
  /** Where the chunks written go back once compressed. */
  pool: ChunkPool | null = null,
): ExportOutput {
  if (!gzip) {
    return {
      write: (chunk) => send(chunk, true),
      endPart: async (index) => post({ partEnd: index, crc: 0, length: 0 }),
      finish: async () => {},
    };
  }
  // zlib works on the thread pool, behind the thread that goes on writing rows; what
  // it puts out, and each part's end once its flush is through, go out in order.
  // zlib passes stream options on to its Transform; Node's types leave them out.
  const deflate = zlib.createDeflateRaw({
    level: EXPORT_GZIP_LEVEL,
    chunkSize: 64 * 1024,
    writableHighWaterMark: DEFLATE_BACKLOG,
  } as zlib.ZlibOptions);
  const queue: (Buffer | PartEnd)[] = [];
  deflate.on('data', (chunk: Buffer) => queue.push(chunk));
  let flushed = Promise.resolve();
  let crc = 0;
  let length = 0;
  const pump = async () => {
    while (queue.length > 0) {
      const item = queue.shift()!;
      // zlib's output is a view of the buffer it writes the next output into: copied.
      if (Buffer.isBuffer(item)) await send(item, false);
      else post(item);
    }
  };
  return {
    async write(chunk) {
      crc = zlib.crc32(chunk, crc);
      length += chunk.length;
      const written = deflate.write(chunk, () => pool?.give(chunk));
      if (!written) await new Promise((resolve) => deflate.once('drain', resolve));
      await pump();
    },
    async endPart(index) {
      const end: PartEnd = { partEnd: index, crc, length };
      crc = 0;
      length = 0;
      // A full flush ends on a byte boundary and forgets the window: the next part
      // refers to nothing before it, wherever it ends up in the stream.
      flushed = new Promise((resolve) =>
        deflate.flush(zlib.constants.Z_FULL_FLUSH, () => {
          queue.push(end);
          resolve();
        }),
      );
      await pump();
    },
    async finish() {
      await flushed;
      await pump();
    },
  };
}
