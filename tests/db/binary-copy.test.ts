// The binary COPY reader behind the PostgreSQL full export: every tuple handed over
// once, in order, with its exact bytes, wherever the chunk boundaries fall.
import { describe, expect, it } from 'vitest';
import { BinaryCopyFormatError, BinaryCopyReader } from '@/lib/export/binary-copy';

const SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');

function header(extension = Buffer.alloc(0)) {
  const fixed = Buffer.alloc(8);
  fixed.writeUInt32BE(0, 0);
  fixed.writeUInt32BE(extension.length, 4);
  return Buffer.concat([SIGNATURE, fixed, extension]);
}

/** A tuple of fields; null is SQL NULL. */
function tuple(fields: (Buffer | null)[]) {
  const parts: Buffer[] = [Buffer.from([fields.length >> 8, fields.length & 0xff])];
  for (const f of fields) {
    const length = Buffer.alloc(4);
    length.writeInt32BE(f === null ? -1 : f.length);
    parts.push(length);
    if (f) parts.push(f);
  }
  return Buffer.concat(parts);
}

const TRAILER = Buffer.from([0xff, 0xff]);

function int4(n: number) {
  const b = Buffer.alloc(4);
  b.writeInt32BE(n);
  return b;
}

/** What the reader hands over, as [id, text or null] per tuple. */
function read(chunks: Buffer[]) {
  const rows: [number, string | null, string][] = [];
  const reader = new BinaryCopyReader(3, (buf) => {
    const { start, length } = reader;
    rows.push([
      buf.readInt32BE(start[0]!),
      length[1]! < 0 ? null : buf.toString('utf8', start[1]!, start[1]! + length[1]!),
      buf.toString('utf8', start[2]!, start[2]! + length[2]!),
    ]);
  });
  for (const c of chunks) reader.push(c);
  reader.finish();
  return rows;
}

const expected: [number, string | null, string][] = [
  [1, 'CHN,2020', 'a "quoted"\r\nline\\ with\ttab'],
  [-7, null, ''],
  [2 ** 31 - 1, '中国', 'x'.repeat(3000)],
  [42, '', 'end'],
];
const stream = Buffer.concat([
  header(Buffer.from('ext')),
  ...expected.map(([id, a, b]) =>
    tuple([int4(id), a === null ? null : Buffer.from(a), Buffer.from(b)]),
  ),
  TRAILER,
]);

describe('the binary COPY reader', () => {
  it('reads a stream in one chunk', () => {
    expect(read([stream])).toEqual(expected);
  });

  it('reads the same tuples wherever the stream is cut in two', () => {
    for (let cut = 0; cut <= stream.length; cut++) {
      expect(read([stream.subarray(0, cut), stream.subarray(cut)]), `cut at ${cut}`).toEqual(
        expected,
      );
    }
  });

  it('reads the same tuples from chunks of any small size, even one byte', () => {
    for (const size of [1, 2, 3, 5, 7, 64, 1000]) {
      const chunks = [];
      for (let i = 0; i < stream.length; i += size) chunks.push(stream.subarray(i, i + size));
      expect(read(chunks), `chunks of ${size}`).toEqual(expected);
    }
  });

  it('refuses a stream that is not binary COPY', () => {
    const text = Buffer.from('1\tCHN\t2020\n'.repeat(3));
    expect(() => read([text])).toThrow(BinaryCopyFormatError);
  });

  it('refuses a stream that ends early, inside a tuple or before the trailer', () => {
    expect(() => read([stream.subarray(0, stream.length - 10)])).toThrow(/ended in the middle/);
    expect(() => read([stream.subarray(0, stream.length - 2)])).toThrow(/ended in the middle/);
  });

  it('refuses tuples of another width and data after the trailer', () => {
    const wide = Buffer.concat([header(), tuple([int4(1), null, null, null]), TRAILER]);
    expect(() => read([wide])).toThrow(/4 fields, not 3/);
    expect(() => read([stream, tuple([int4(1), null, Buffer.from('')])])).toThrow(/after the end/);
  });
});
