// Hands writes to the write worker and waits for their outcome. One worker per
// server process, started on the first write; if it dies, the writes it held are
// answered as failed (nothing half-written: each ran in one transaction) and the next
// write starts a new one.
import 'server-only';
import { Worker } from 'node:worker_threads';
import { readEnv } from '../db/env';
import { DatabaseBusyError, DiskFullError } from '../db/errors';
import { WriteRefused } from '../documents/writes';
import type { WriteJob, WriteOutcome } from './write-job';
import { PayloadTooLargeError } from './payload-too-large';

type Pending = { resolve: (o: WriteOutcome) => void };

/**
 * What the server sends its worker: a job, or for an upload (`type: 'upload'`) the start,
 * then the request body's chunks, then its end (or abandonment).
 */
export type WorkerMessage =
  | {
      id: number;
      job: WriteJob | { type: 'upload'; contentType: string; dryRun: boolean; sizeHint: number };
    }
  | { id: number; chunk: Uint8Array }
  | { id: number; end: true }
  | { id: number; abort: true };

/** What the worker sends back: a job's outcome, or that it took an upload's chunk. */
export type WorkerReply = { id: number; outcome: WriteOutcome } | { id: number; taken: true };

type Entry = {
  worker: Worker;
  pending: Map<number, Pending>;
  /** For each upload streaming in, what to call when the worker takes a chunk. */
  taken: Map<number, () => void>;
  next: number;
};

const state = globalThis as unknown as { sourcedWriteWorker?: Entry };

/**
 * Chunks of an upload (up to 64 KB each) sent ahead of what the worker has taken: a
 * client sending faster than the import parses waits on TCP, not in the worker's memory.
 */
const UPLOAD_AHEAD = 16;

/** The write thread's young generation, in MB. */
const WRITE_YOUNG_GENERATION_MB = 16;

function worker() {
  if (state.sourcedWriteWorker) return state.sourcedWriteWorker;
  // Next's bundler builds the worker from this URL, with everything it imports.
  const w = new Worker(new URL('./write-worker-main.ts', import.meta.url), {
    workerData: { databaseUrl: readEnv().DATABASE_URL },
    // An import's parse fills whatever young generation it is given (the server's own
    // grows to 48 MB), at no gain in speed.
    resourceLimits: { maxYoungGenerationSizeMb: WRITE_YOUNG_GENERATION_MB },
  });
  const entry: Entry = { worker: w, pending: new Map(), taken: new Map(), next: 1 };
  w.on('message', (reply: WorkerReply) => {
    if ('taken' in reply) {
      entry.taken.get(reply.id)?.();
      return;
    }
    entry.pending.get(reply.id)?.resolve(reply.outcome);
    entry.pending.delete(reply.id);
  });
  const fail = (reason: string) => {
    if (state.sourcedWriteWorker === entry) delete state.sourcedWriteWorker;
    for (const p of entry.pending.values())
      p.resolve({ ok: false, kind: 'failed', message: reason });
    entry.pending.clear();
  };
  w.on('error', (error) => {
    console.error('The write worker failed:', error);
    fail('The write failed; nothing was saved.');
  });
  w.on('exit', () => fail('The write failed; nothing was saved.'));
  // The worker waits for work; it must not keep a finished process alive.
  w.unref();
  state.sourcedWriteWorker = entry;
  return entry;
}

/** Runs a write on the write worker; a file's bytes are moved to it, not copied. */
export function submitWrite(job: WriteJob): Promise<WriteOutcome> {
  const w = worker();
  const id = w.next++;
  const transfer =
    job.type === 'import' &&
    job.file &&
    job.file.byteOffset === 0 &&
    job.file.byteLength === job.file.buffer.byteLength
      ? [job.file.buffer as ArrayBuffer]
      : [];
  return new Promise((resolve) => {
    w.pending.set(id, { resolve });
    w.worker.postMessage({ id, job }, transfer);
  });
}

/**
 * Streams an import's multipart upload to the worker as it arrives, each chunk moved
 * (transferred), not copied, so the main thread never holds the upload: the worker reads the
 * form and the file as they come (lib/write/upload.ts). A body larger than `limit` is
 * refused (413) as soon as it passes it.
 */
export async function submitUpload(
  body: ReadableStream<Uint8Array> | null,
  contentType: string,
  dryRun: boolean,
  limit: number,
  /** The body's declared length: the file's values are sized for it at once. */
  sizeHint = 0,
): Promise<WriteOutcome> {
  const w = worker();
  const id = w.next++;
  const outcome = new Promise<WriteOutcome>((resolve) => w.pending.set(id, { resolve }));
  const post = (message: WorkerMessage, transfer: ArrayBuffer[] = []) =>
    w.worker.postMessage(message, transfer);
  post({ id, job: { type: 'upload', contentType, dryRun, sizeHint } });
  let size = 0;
  // Chunks sent and not yet taken; the worker answering ends the wait as well (it may
  // refuse the upload before it has read all of it).
  let ahead = 0;
  let answered = false;
  let wake: (() => void) | null = null;
  const resume = () => {
    wake?.();
    wake = null;
  };
  w.taken.set(id, () => {
    ahead--;
    resume();
  });
  void outcome.then(() => {
    answered = true;
    resume();
  });
  try {
    const reader = body?.getReader();
    for (;;) {
      if (!reader) break;
      while (ahead >= UPLOAD_AHEAD && !answered) await new Promise<void>((r) => (wake = r));
      const { done, value } = await reader.read();
      if (done) break;
      // Once answered, the rest of the body is read and dropped, as the client sends it.
      if (answered) continue;
      size += value.byteLength;
      if (size > limit) {
        await reader.cancel();
        throw new PayloadTooLargeError(limit);
      }
      // A chunk that is a view into a larger buffer is copied first: moving the buffer
      // would take the rest of it from whoever else holds it.
      const own =
        value.byteOffset === 0 && value.byteLength === value.buffer.byteLength
          ? value
          : value.slice();
      post({ id, chunk: own }, [own.buffer as ArrayBuffer]);
      ahead++;
    }
  } catch (error) {
    post({ id, abort: true });
    throw error;
  } finally {
    w.taken.delete(id);
  }
  post({ id, end: true });
  return outcome;
}

/** The outcome's value, or the error the route handlers already map to a status. */
export async function write<T extends WriteOutcome & { ok: true }>(job: WriteJob): Promise<T> {
  return outcomeValue<T>(await submitWrite(job));
}

export function outcomeValue<T extends WriteOutcome & { ok: true }>(outcome: WriteOutcome): T {
  if (outcome.ok) return outcome as T;
  if (outcome.kind === 'busy') {
    const busy = new DatabaseBusyError();
    busy.message = outcome.message;
    throw busy;
  }
  if (outcome.kind === 'disk-full') throw new DiskFullError();
  if (outcome.kind === 'refused') throw new WriteRefused(outcome.status, outcome.errors);
  if (outcome.kind === 'invalid') throw new Error(outcome.error);
  throw new Error(outcome.message);
}
