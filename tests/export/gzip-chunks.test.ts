// The full export gzipped as it streams where no export thread writes it (PostgreSQL):
// lib/export/export-output.ts gzipChunks.
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { gzipChunks } from '@/lib/export/export-output';

const text = (n: number) => Buffer.from(`row ${n},${'x'.repeat(n % 97)}\r\n`.repeat(2000));

async function collect(chunks: AsyncIterable<Uint8Array>) {
  const out: Buffer[] = [];
  for await (const chunk of chunks) out.push(Buffer.from(chunk));
  return Buffer.concat(out);
}

describe('gzipChunks', () => {
  it('makes one gzip stream of every chunk, in order', async () => {
    async function* source() {
      for (let n = 0; n < 200; n++) yield text(n);
    }
    const gzipped = await collect(gzipChunks(source()));
    const expected = Buffer.concat(Array.from({ length: 200 }, (_, n) => text(n)));
    expect(zlib.gunzipSync(gzipped).equals(expected)).toBe(true);
    expect(gzipped.length).toBeLessThan(expected.length / 5);
  });

  it('fails with the failure of its source', async () => {
    async function* source() {
      yield text(1);
      throw new Error('the connection was lost');
    }
    await expect(collect(gzipChunks(source()))).rejects.toThrow('the connection was lost');
  });

  it('stops its source when the client stops reading', async () => {
    let made = 0;
    let closed = false;
    async function* source() {
      try {
        for (;;) {
          made++;
          yield text(made);
        }
      } finally {
        closed = true;
      }
    }
    const gzip = gzipChunks(source());
    await gzip.next();
    await gzip.return(undefined);
    // The source is closed once the gzip stream's pipeline winds down.
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(closed).toBe(true);
    const madeThen = made;
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(made).toBe(madeThen);
  });
});
