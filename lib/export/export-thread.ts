// The full CSV of a SQLite database written on worker threads (export-worker-main.ts),
// as chunks for a response body. With two threads free, an export takes both: each
// writes every other part, and the parts are sent in order. Reading rows out of SQLite
// is most of an export's cost, and two connections read in parallel. For a client that
// takes gzip, the threads compress too, and this thread only joins their parts.
import 'server-only';
import { Worker, type WorkerOptions } from 'node:worker_threads';
import { BUSY_TIMEOUT_MS } from '../db/client';
import { databaseFile } from '../db/env';
import type { ExportOptions, SeriesRange } from './full-export';
import { crc32Combine, GZIP_HEADER, gzipTrailer } from './gzip-parts';
import type { ExportControl, ExportJob, ExportMessage, ExportRole } from './export-worker-main';

/** Export threads at once; exports beyond them run on the server's thread, as before. */
export const MAX_EXPORT_THREADS = 2;
/**
 * Chunks (about 64 KB each) a thread may write ahead of the client: more than a part
 * (full-export.ts EXPORT_PART_ROWS), so that the thread whose part is next can write
 * all of it while the other's is sent.
 */
const AHEAD = 48;

/**
 * An export thread's young generation. Its garbage is each row's values, dead by the
 * next row: a small young generation collects it as well as the 48 MB one a thread
 * gets by default would.
 */
const EXPORT_YOUNG_GENERATION_MB = 8;

/**
 * An export thread's heap, in MB (SOURCED_EXPORT_HEAP_MB): past it the thread, not the
 * server, runs out of memory, and only its download fails. An export streams, so its
 * heap stays flat whatever the row count: measured on a million rows (214 MB of CSV, or
 * 7.8 MB gzipped, on two threads), each thread peaked at 16 to 19 MB of used heap, and
 * the export still completed with a 16 MB limit. 128 MB is eight times that: room for
 * rows of long notes and labels, and two runaway threads cannot take more than 256 MB.
 */
export const EXPORT_HEAP_MB = 128;

function exportHeapMb(): number {
  const mb = Number(process.env.SOURCED_EXPORT_HEAP_MB ?? EXPORT_HEAP_MB);
  return Number.isFinite(mb) && mb >= 16 ? mb : EXPORT_HEAP_MB;
}

/** How an export thread is started: its heap, and (tests) a stand-in for its script. */
export type ExportThreadOptions = {
  heapMb?: number;
  start?: (options: WorkerOptions) => Worker;
};

const state = globalThis as unknown as { sourcedExportThreads?: number };

function threadsFree(): number {
  return MAX_EXPORT_THREADS - (state.sourcedExportThreads ?? 0);
}

/** Whether another export may have a thread now. */
export function exportThreadFree(): boolean {
  return threadsFree() > 0;
}

/** One export thread and the messages it has sent that were not taken yet. */
class ExportThread {
  private readonly worker: Worker;
  private readonly inbox: ExportMessage[] = [];
  private notify: (() => void) | null = null;
  private stopped = false;

  constructor(job: ExportJob, options: ExportThreadOptions) {
    const heapMb = options.heapMb ?? exportHeapMb();
    const workerOptions: WorkerOptions = {
      workerData: job,
      resourceLimits: {
        maxYoungGenerationSizeMb: Math.min(EXPORT_YOUNG_GENERATION_MB, heapMb / 2),
        maxOldGenerationSizeMb: heapMb,
      },
    };
    // Next's bundler builds the worker from this literal URL, with everything it imports
    // (a URL in a variable would make it bundle every file it might name).
    this.worker = options.start
      ? options.start(workerOptions)
      : new Worker(new URL('./export-worker-main.ts', import.meta.url), workerOptions);
    state.sourcedExportThreads = (state.sourcedExportThreads ?? 0) + 1;
    const deliver = (message: ExportMessage) => {
      this.inbox.push(message);
      this.notify?.();
      this.notify = null;
    };
    this.worker.on('message', deliver);
    // A thread that dies (its heap full, a crash) fails its own download, and only that:
    // the message ends the body with an error and the slot is freed for the next export.
    this.worker.on('error', (error) => {
      const oom = (error as { code?: string }).code === 'ERR_WORKER_OUT_OF_MEMORY';
      const reason = oom ? `it ran out of memory (its limit is ${heapMb} MB)` : error.message;
      console.error(`An export thread died: ${reason}`);
      deliver({ error: reason });
    });
    this.worker.on('exit', (code) => deliver({ error: `the export thread stopped (${code})` }));
  }

  send(message: ExportControl) {
    this.worker.postMessage(message);
  }

  /** The next message; an error message throws. */
  async next(): Promise<ExportMessage> {
    while (this.inbox.length === 0) await new Promise<void>((resolve) => (this.notify = resolve));
    const message = this.inbox.shift()!;
    if (!(message instanceof Uint8Array) && 'error' in message) {
      throw new Error(`The export failed: ${message.error}`);
    }
    return message;
  }

  /** The next message, which must be `key`'s. */
  async expect<K extends string>(key: K): Promise<Extract<ExportMessage, Record<K, unknown>>> {
    const message = await this.next();
    if (message instanceof Uint8Array || !(key in message)) {
      throw new Error(`The export thread sent something other than "${key}"`);
    }
    return message as Extract<ExportMessage, Record<K, unknown>>;
  }

  /**
   * Chunks until the thread ends part `index` (or, with null, the whole export); each
   * part's end is passed to `onPartEnd`.
   */
  async *chunks(
    index: number | null,
    onPartEnd: (end: { crc: number; length: number }) => void,
  ): AsyncGenerator<Uint8Array> {
    for (;;) {
      const message = await this.next();
      if (message instanceof Uint8Array) {
        this.send(1);
        yield message;
      } else if ('partEnd' in message) {
        onPartEnd(message);
        if (message.partEnd === index) return;
      } else if ('done' in message) {
        if (index === null) return;
        throw new Error(`The export thread ended before part ${index}`);
      }
    }
  }

  async stop() {
    if (this.stopped) return;
    this.stopped = true;
    state.sourcedExportThreads! -= 1;
    this.worker.removeAllListeners();
    await this.worker.terminate();
  }
}

/**
 * The full CSV, or with `gzip` its gzip stream (to be sent with Content-Encoding:
 * gzip, lib/web/precompressed.ts).
 */
export async function* fullExportOnThread(
  databaseUrl: string,
  slug: string | undefined,
  options: ExportOptions,
  gzip: boolean,
  threads: ExportThreadOptions = {},
): AsyncGenerator<Uint8Array> {
  const job = (role: ExportRole): ExportJob => ({
    file: databaseFile(databaseUrl),
    busyTimeoutMs: BUSY_TIMEOUT_MS,
    slug,
    bom: options.bom !== false,
    asOf: options.asOf ? options.asOf.toISOString() : null,
    role,
    gzip,
  });
  const shared = threadsFree() >= 2;
  const lead = new ExportThread(job(shared ? 'lead' : 'alone'), threads);
  let second: ExportThread | null = null;
  let crc = 0;
  let length = 0;
  const onPartEnd = (end: { crc: number; length: number }) => {
    crc = crc32Combine(crc, end.crc, end.length);
    length += end.length;
  };
  try {
    // Started inside the try, so that the lead is stopped if the second cannot start.
    second = shared ? new ExportThread(job('second'), threads) : null;
    let parts: SeriesRange[] | null = null;
    if (second) {
      await lead.expect('snapshot');
      second.send({ begin: true });
      const { plan } = await lead.expect('plan');
      await second.expect('ready');
      lead.send({ verify: true });
      const { consistent } = await lead.expect('consistent');
      if (consistent && plan.length > 1) {
        parts = plan;
        lead.send({ take: 'even' });
        second.send({ take: 'odd', parts });
        second.send(AHEAD);
      } else {
        lead.send({ take: 'all' });
        await second.stop();
        second = null;
      }
    }
    lead.send(AHEAD);
    async function* body() {
      if (parts === null) yield* lead.chunks(null, onPartEnd);
      else
        for (let index = 0; index < parts.length; index++)
          yield* (index % 2 === 0 ? lead : second!).chunks(index, onPartEnd);
    }
    // The gzip header goes out with the first bytes a thread wrote, not before: a
    // database that fails the export fails it while its status can still say so.
    let header = gzip;
    for await (const chunk of body()) {
      if (header) yield GZIP_HEADER;
      header = false;
      yield chunk;
    }
    if (header) yield GZIP_HEADER;
    if (gzip) yield gzipTrailer(crc, length);
  } finally {
    await Promise.all([lead.stop(), second?.stop()]);
  }
}
