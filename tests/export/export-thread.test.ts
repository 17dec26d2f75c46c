// Export threads' own limits (issue #25): each thread has a heap limit of its own, and a
// thread that dies (its heap full, a throw, an exit) fails its own download with an
// error, never a body that hangs, frees its slot, and the next export gets a new thread.
// The threads here run a stand-in (tests/support/export-worker-fake.mjs) that speaks the
// export protocol; the real worker's heap at a million rows is measured in the README.
import { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import {
  EXPORT_HEAP_MB,
  exportThreadFree,
  fullExportOnThread,
  type ExportThreadOptions,
} from '@/lib/export/export-thread';

const script = new URL('../support/export-worker-fake.mjs', import.meta.url);
const MB = 1024 * 1024;
const FULL = 'chunk 0\nchunk 1\nchunk 2\n';

function exportOf(mode: string, threads: ExportThreadOptions = {}, gzip = false) {
  process.env.FAKE_EXPORT_MODE = mode;
  const start = (options: ConstructorParameters<typeof Worker>[1]) => new Worker(script, options);
  return fullExportOnThread('file:/nowhere/test.db', undefined, {}, gzip, { start, ...threads });
}

/** The body as a response would send it: every chunk, or the error that ended it. */
async function body(chunks: AsyncGenerator<Uint8Array>) {
  const seen: string[] = [];
  try {
    for await (const chunk of chunks) seen.push(new TextDecoder().decode(chunk));
    return { text: seen.join(''), error: null };
  } catch (error) {
    return { text: seen.join(''), error: (error as Error).message };
  }
}

const busyThreads = () =>
  (globalThis as unknown as { sourcedExportThreads?: number }).sourcedExportThreads ?? 0;

afterEach(() => {
  delete process.env.FAKE_EXPORT_MODE;
  delete process.env.SOURCED_EXPORT_HEAP_MB;
});

describe('an export thread', () => {
  it('writes the export and gives its slot back', async () => {
    expect(await body(exportOf('ok'))).toEqual({
      text: 'chunk 0\nchunk 1\nchunk 2\n',
      error: null,
    });
    expect(busyThreads()).toBe(0);
    expect(exportThreadFree()).toBe(true);
  });

  it('runs with a heap limit of its own, which SOURCED_EXPORT_HEAP_MB changes', async () => {
    const limit = async (threads: ExportThreadOptions = {}) =>
      Number((await body(exportOf('heap', threads))).text) / MB;
    const standard = await limit();
    // V8's limit is the old generation plus the young one's spaces.
    expect(standard).toBeGreaterThanOrEqual(EXPORT_HEAP_MB);
    expect(standard).toBeLessThan(EXPORT_HEAP_MB + 64);
    expect(await limit({ heapMb: 48 })).toBeLessThan(48 + 64);
    process.env.SOURCED_EXPORT_HEAP_MB = '64';
    expect(await limit()).toBeLessThan(64 + 64);
    // Nonsense is not a limit: the standard one stays.
    process.env.SOURCED_EXPORT_HEAP_MB = '1';
    expect(await limit()).toBeGreaterThanOrEqual(EXPORT_HEAP_MB);
  });

  it.each([
    ['throw', /The export failed: the fake export broke/],
    ['exit', /The export failed: the export thread stopped \(7\)/],
    ['oom', /The export failed: it ran out of memory \(its limit is 32 MB\)/],
  ])(
    'that dies (%s) ends its download with an error; the next export gets a new thread',
    async (mode, reason) => {
      const died = await body(exportOf(mode, { heapMb: 32 }));
      // What was written before may be sent (a dying thread's last messages may not
      // arrive); then the body errors, so the client sees a cut download, not a complete
      // file and not a hang.
      expect(FULL.startsWith(died.text) && died.text !== FULL).toBe(true);
      expect(died.error).toMatch(reason);
      expect(busyThreads()).toBe(0);
      expect(await body(exportOf('ok'))).toEqual({
        text: 'chunk 0\nchunk 1\nchunk 2\n',
        error: null,
      });
    },
    30_000,
  );

  it('errors the response body it streams into, on gzip too', async () => {
    const chunks = exportOf('throw', {}, true);
    // As lib/export/responses.ts streams a download: a failed chunk errors the stream.
    const stream = new ReadableStream<Uint8Array>({
      async pull(controller) {
        try {
          const next = await chunks.next();
          if (next.done) controller.close();
          else controller.enqueue(next.value);
        } catch (error) {
          controller.error(error);
        }
      },
    });
    await expect(new Response(stream).arrayBuffer()).rejects.toThrow(/fake export broke/);
    expect(busyThreads()).toBe(0);
  });
});
