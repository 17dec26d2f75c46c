// The full CSV of a SQLite database written on a worker thread of its own
// (export-worker-main.ts), as chunks for a response body.
import 'server-only';
import { Worker } from 'node:worker_threads';
import { BUSY_TIMEOUT_MS } from '../db';
import { databaseFile } from '../env';
import type { ExportOptions } from './full-export';
import type { ExportJob, ExportMessage } from './export-worker-main';

/** Exports written on threads at once; more run on the server's thread, as before. */
export const MAX_EXPORT_THREADS = 2;
/** Chunks (about 64 KB each) a thread may write ahead of the client. */
const AHEAD = 16;

const state = globalThis as unknown as { sourcedExportThreads?: number };

/** Whether another export may have a thread now. */
export function exportThreadFree(): boolean {
  return (state.sourcedExportThreads ?? 0) < MAX_EXPORT_THREADS;
}

export async function* fullExportOnThread(
  databaseUrl: string,
  slug: string | undefined,
  options: ExportOptions,
): AsyncGenerator<Uint8Array> {
  state.sourcedExportThreads = (state.sourcedExportThreads ?? 0) + 1;
  const job: ExportJob = {
    file: databaseFile(databaseUrl),
    busyTimeoutMs: BUSY_TIMEOUT_MS,
    slug,
    bom: options.bom !== false,
    asOf: options.asOf ? options.asOf.toISOString() : null,
  };
  const worker = new Worker(new URL('./export-worker-main.ts', import.meta.url), {
    workerData: job,
  });
  const inbox: ExportMessage[] = [];
  let notify: (() => void) | null = null;
  const deliver = (message: ExportMessage) => {
    inbox.push(message);
    notify?.();
    notify = null;
  };
  worker.on('message', deliver);
  worker.on('error', (error) => deliver({ error: error.message }));
  worker.on('exit', (code) => deliver({ error: `the export thread stopped (${code})` }));
  try {
    worker.postMessage(AHEAD);
    for (;;) {
      while (inbox.length === 0) await new Promise<void>((resolve) => (notify = resolve));
      const message = inbox.shift()!;
      if (message instanceof Uint8Array) {
        worker.postMessage(1);
        yield message;
      } else if ('error' in message) {
        throw new Error(`The export failed: ${message.error}`);
      } else return;
    }
  } finally {
    state.sourcedExportThreads! -= 1;
    worker.removeAllListeners();
    await worker.terminate();
  }
}
