// A ZIP entry deflated by node:zlib, whose work runs on libuv's thread pool, instead of
// fflate's ZipDeflate, which deflates on the calling thread: a ZIP of 2M observations
// held the server's event loop for 8.4 s, eight at once for a minute. fflate's Zip still
// lays out the archive (headers, data descriptors, central directory); this entry only
// compresses, and computes the CRC with zlib's native crc32.
import { once } from 'node:events';
import { createDeflateRaw, crc32, type DeflateRaw } from 'node:zlib';
import { ZipPassThrough } from 'fflate';

export class ThreadedZipDeflate extends ZipPassThrough {
  private readonly deflate: DeflateRaw;
  private checksum = 0;
  private readonly ended: Promise<unknown>;

  constructor(filename: string, level = 6) {
    super(filename);
    this.compression = 8;
    this.deflate = createDeflateRaw({ level });
    this.deflate.on('data', (data: Buffer) => this.ondata(null, new Uint8Array(data), false));
    this.ended = once(this.deflate, 'end').then(() => this.ondata(null, new Uint8Array(0), true));
  }

  /** fflate's synchronous entry point: refused, use `write` and `end` (they wait for zlib). */
  override push(): void {
    throw new Error('ThreadedZipDeflate takes write() and end()');
  }

  /** Adds raw bytes; resolves when zlib can take more. */
  async write(chunk: Uint8Array): Promise<void> {
    if (chunk.length === 0) return;
    this.checksum = crc32(chunk, this.checksum);
    this.size += chunk.length;
    if (!this.deflate.write(chunk)) await once(this.deflate, 'drain');
  }

  /** Ends the entry; resolves once its last compressed byte is handed to the archive. */
  async end(): Promise<void> {
    this.crc = this.checksum;
    this.deflate.end();
    await this.ended;
  }
}
