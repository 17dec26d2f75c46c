// A worker thread that writes a full CSV export of a SQLite database, or every other
// part of it, and hands it to the server in chunks. Writing a million rows takes
// seconds of CPU; on the server's thread it would also delay every other request, and
// compression (on zlib's threads, fed from the server's thread) could not overlap with
// it. The server grants chunks as it sends them, so a slow client holds back the
// reading, not memory.
//
// Two threads can share one export (lib/export/export-thread.ts): the lead cuts it into
// parts of whole series and writes the even ones, the second writes the odd ones. Each
// reads through a connection of its own, so both must read the same snapshot: the lead
// notes the database's data_version on a third connection before its snapshot starts,
// the second starts its own after that, and the lead reads data_version again once
// both have started. Equal, nothing was committed in between and the snapshots are
// one; otherwise the lead writes the whole export alone.
//
// For a client that takes gzip, each thread also compresses what it writes, a raw
// deflate stream fully flushed at the end of each part, with the part's CRC-32: the
// server only joins the parts into one gzip stream (gzip-parts.ts), and 225 MB of CSV
// never cross to its thread, only the 8 MB they compress to.
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import {
  ChunkPool,
  fullExportCounts,
  fullExportPartsCsv,
  planExportParts,
  type SeriesRange,
} from './full-export';
import { exportOutput, type PartEnd } from './export-output';

export type ExportRole = 'alone' | 'lead' | 'second';

export type ExportJob = {
  file: string;
  busyTimeoutMs: number;
  slug: string | undefined;
  bom: boolean;
  /** ISO 8601, or null for now. */
  asOf: string | null;
  role: ExportRole;
  /** Compress (raw deflate, parts fully flushed) for a gzip response. */
  gzip: boolean;
};

/** From the server: chunk credits, or the next step of sharing an export. */
export type ExportControl =
  | number
  | { begin: true }
  | { verify: true }
  | { take: 'all' | 'even' }
  | { take: 'odd'; parts: SeriesRange[] };

/** To the server. */
export type ExportMessage =
  | Uint8Array
  /** The part's end; compressed, with the CRC-32 and length of its uncompressed bytes. */
  | PartEnd
  | { snapshot: true }
  | { plan: SeriesRange[] }
  | { ready: true }
  | { consistent: boolean }
  | { done: true }
  | { error: string };

const job = workerData as ExportJob;
let credits = 0;
let wake: (() => void) | null = null;
const controls: Exclude<ExportControl, number>[] = [];
parentPort!.on('message', (message: ExportControl) => {
  if (typeof message === 'number') credits += message;
  else controls.push(message);
  wake?.();
  wake = null;
});

function post(message: ExportMessage) {
  parentPort!.postMessage(message);
}

async function nextControl<T extends Exclude<ExportControl, number>>(): Promise<T> {
  while (controls.length === 0) await new Promise<void>((resolve) => (wake = resolve));
  return controls.shift() as T;
}

function open(): Database.Database {
  const db = new Database(job.file, { readonly: true, timeout: job.busyTimeoutMs });
  // One pass in index order reads each page once: better-sqlite3's 16 MB page cache
  // would only hold pages already sent, in each of two threads.
  db.pragma('cache_size = -2000');
  return db;
}

const dataVersion = (db: Database.Database) => db.pragma('data_version', { simple: true });

/**
 * Posts a chunk once the server has granted one. A chunk the thread `owns` (the
 * encoder starts a new buffer after each) moves to the server's thread; any other is
 * copied: zlib's output, for one, is a view of the buffer it goes on writing into.
 */
async function send(chunk: Uint8Array, owns: boolean) {
  while (credits === 0) await new Promise<void>((resolve) => (wake = resolve));
  credits--;
  const move = owns && chunk.byteOffset === 0 && chunk.buffer.byteLength >= 4096;
  parentPort!.postMessage(chunk, move ? [chunk.buffer as ArrayBuffer] : []);
}

async function run() {
  const db = open();
  const probe = job.role === 'lead' ? open() : null;
  try {
    if (job.role === 'second') await nextControl();
    const before = probe ? dataVersion(probe) : null;
    // One read transaction: the thread's part is one snapshot, which starts with the
    // first read.
    db.exec('BEGIN');
    db.prepare('SELECT 1 FROM "Observation" LIMIT 1').get();
    let parts: SeriesRange[] = [[0, Number.MAX_SAFE_INTEGER]];
    let take: (index: number) => boolean = () => true;
    if (job.role === 'lead') {
      post({ snapshot: true });
      parts = planExportParts(fullExportCounts(db, job.slug));
      post({ plan: parts });
      await nextControl<{ verify: true }>();
      post({ consistent: dataVersion(probe!) === before });
      const { take: which } = await nextControl<{ take: 'all' | 'even' }>();
      if (which === 'even') take = (index) => index % 2 === 0;
    } else if (job.role === 'second') {
      post({ ready: true });
      const given = await nextControl<{ take: 'odd'; parts: SeriesRange[] }>();
      parts = given.parts;
      take = (index) => index % 2 === 1;
    }
    probe?.close();
    const asOf = job.asOf === null ? null : new Date(job.asOf);
    const options = { bom: job.bom, asOf };
    const header = job.role !== 'second';
    // Compressed chunks are used up on this thread, and their buffers serve again.
    const pool = job.gzip ? new ChunkPool() : null;
    const output = exportOutput(job.gzip, send, post, pool);
    const items = fullExportPartsCsv(db, job.slug, options, parts, take, header, pool);
    for (const item of items) {
      if (typeof item === 'number') await output.endPart(item);
      else await output.write(item);
    }
    await output.finish();
    post({ done: true });
  } catch (error) {
    post({ error: (error as Error).message });
  } finally {
    if (probe?.open) probe.close();
    db.close();
  }
}

void run();
