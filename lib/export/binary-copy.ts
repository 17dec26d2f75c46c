// PostgreSQL's binary COPY format, read as it streams: a 19-byte header (signature,
// flags, extension length) and its extension, then per tuple an int16 field count and
// per field an int32 length (-1 for NULL) and that many bytes, then an int16 -1.
// Text fields arrive as their exact UTF-8 bytes, so whatever the server wrote can be
// copied on without decoding or unescaping (COPY's text format escapes backslashes,
// tabs and line breaks, and every byte would have to be looked at to undo that).
// Pure: no connection, only the bytes pg-copy-streams hands over, whose chunk
// boundaries fall anywhere; only a tuple that straddles two chunks is copied.

const SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');
const HEADER = 19;

export class BinaryCopyFormatError extends Error {}

export class BinaryCopyReader {
  /** Where each field of the tuple being handed over starts in the buffer `onTuple` gets. */
  readonly start: Int32Array;
  /** Each field's length in bytes, or -1 for NULL. */
  readonly length: Int32Array;
  private headerRead = false;
  private ended = false;
  private carry: Buffer | null = null;

  /**
   * `onTuple(buf)` is called once per tuple, in order, with the tuple's fields at
   * `start`/`length` in `buf`; `buf` is only valid during the call.
   */
  constructor(
    private readonly fields: number,
    private readonly onTuple: (buf: Buffer) => void,
  ) {
    this.start = new Int32Array(fields);
    this.length = new Int32Array(fields);
  }

  /** Reads the next piece of the stream. */
  push(chunk: Buffer): void {
    let from = 0;
    if (this.carry) {
      // Complete the straddling tuple from as little of the new chunk as it needs.
      const carry = this.carry;
      for (let take = Math.min(chunk.length, 1024); ; take = Math.min(chunk.length, take * 4)) {
        const joined = Buffer.concat([carry, chunk.subarray(0, take)]);
        const used = this.consume(joined, 0);
        if (used > carry.length) {
          from = used - carry.length;
          this.carry = null;
          break;
        }
        if (take === chunk.length) {
          this.carry = joined;
          return;
        }
      }
    }
    const used = this.consume(chunk, from);
    if (used < chunk.length) this.carry = Buffer.from(chunk.subarray(used));
  }

  /** Throws unless the stream ended with its trailer and nothing after it. */
  finish(): void {
    if (!this.ended || this.carry) {
      throw new BinaryCopyFormatError('The COPY stream ended in the middle of a row');
    }
  }

  /** Hands over every whole tuple from `at` on; returns where the first partial one starts. */
  private consume(buf: Buffer, at: number): number {
    let i = at;
    if (!this.headerRead) {
      if (buf.length - i < HEADER) return i;
      if (!buf.subarray(i, i + SIGNATURE.length).equals(SIGNATURE)) {
        throw new BinaryCopyFormatError('Not a binary COPY stream');
      }
      const extension = buf.readUInt32BE(i + 15);
      if (buf.length - i < HEADER + extension) return i;
      i += HEADER + extension;
      this.headerRead = true;
    }
    const { start, length, fields } = this;
    while (i < buf.length) {
      if (this.ended) throw new BinaryCopyFormatError('Data after the end of the COPY stream');
      if (buf.length - i < 2) return i;
      const count = ((buf[i]! << 24) >> 16) | buf[i + 1]!;
      if (count === -1) {
        this.ended = true;
        i += 2;
        continue;
      }
      if (count !== fields) {
        throw new BinaryCopyFormatError(`A row of ${count} fields, not ${fields}`);
      }
      let p = i + 2;
      for (let f = 0; f < fields; f++) {
        if (buf.length - p < 4) return i;
        // readInt32BE, without its checks: this runs for every field of every row.
        const n = (buf[p]! << 24) | (buf[p + 1]! << 16) | (buf[p + 2]! << 8) | buf[p + 3]!;
        p += 4;
        start[f] = p;
        length[f] = n;
        if (n > 0) {
          p += n;
          if (p > buf.length) return i;
        }
      }
      this.onTuple(buf);
      i = p;
    }
    return i;
  }
}
