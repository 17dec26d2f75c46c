// A worker thread that writes one full CSV export of a SQLite database and hands it
// to the server in chunks. Writing a million rows takes seconds of CPU; on the
// server's thread it would also delay every other request, and compression (on zlib's
// threads, fed from the server's thread) could not overlap with it. The server grants
// chunks as it sends them, so a slow client holds back the reading, not memory.
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { fullExportCsv } from './full-export';

export type ExportJob = {
  file: string;
  busyTimeoutMs: number;
  slug: string | undefined;
  bom: boolean;
  /** ISO 8601, or null for now. */
  asOf: string | null;
};

export type ExportMessage = Uint8Array | { done: true } | { error: string };

const job = workerData as ExportJob;
let credits = 0;
let wake: (() => void) | null = null;
parentPort!.on('message', (granted: number) => {
  credits += granted;
  wake?.();
  wake = null;
});

async function run() {
  const db = new Database(job.file, { readonly: true, timeout: job.busyTimeoutMs });
  try {
    // One read transaction: the whole export is one snapshot.
    db.exec('BEGIN');
    const asOf = job.asOf === null ? null : new Date(job.asOf);
    for (const chunk of fullExportCsv(db, job.slug, { bom: job.bom, asOf })) {
      while (credits === 0) await new Promise<void>((resolve) => (wake = resolve));
      credits--;
      // The encoder's chunks own their memory (and it starts a new one after each), so
      // they move to the server's thread; small pooled buffers are copied instead.
      const own = chunk.byteOffset === 0 && chunk.buffer.byteLength >= 4096;
      parentPort!.postMessage(chunk, own ? [chunk.buffer as ArrayBuffer] : []);
    }
    parentPort!.postMessage({ done: true } satisfies ExportMessage);
  } catch (error) {
    parentPort!.postMessage({ error: (error as Error).message } satisfies ExportMessage);
  } finally {
    db.close();
  }
}

void run();
