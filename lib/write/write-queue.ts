// Hands writes to the write worker and waits for their outcome. One worker per
// server process, started on the first write and supervised (lib/write/supervisor.ts):
// if it crashes, runs out of memory or stalls on one job, the writes it held are
// answered as failed with the reason (nothing half-written: each ran in one
// transaction) and the next write starts a new one. A request whose client goes away
// abandons its job: the worker stops it at its next chunk or step.
import 'server-only';
import { Worker } from 'node:worker_threads';
import { readEnv } from '../db/env';
import { failureOfOutcome, RequestFailure } from '../api/errors';
import type { WriteJob, WriteOutcome } from './write-job';
import type { UploadKind } from './upload';
import { PayloadTooLargeError } from './payload-too-large';
import { isPong, stallMs, supervise, type Ping, type Pong } from './supervisor';

type Pending = { resolve: (o: WriteOutcome) => void };

/**
 * What the server sends its worker: a job, or for an upload (`type: 'upload'`) the start,
 * then the request body's chunks, then its end (or abandonment).
 */
export type WorkerMessage =
  | {
      id: number;
      job:
        | WriteJob
        | {
            type: 'upload';
            contentType: string;
            dryRun: boolean;
            sizeHint: number;
            kind: UploadKind;
          };
    }
  | { id: number; chunk: Uint8Array }
  | { id: number; end: true }
  /** The client went away: the job stops at its next chunk or step. */
  | { id: number; abort: true }
  | Ping;

/** What the worker sends back: a job's outcome, that it took an upload's chunk, or a pong. */
export type WorkerReply =
  { id: number; outcome: WriteOutcome } | { id: number; taken: true } | Pong;

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

/**
 * The write thread's heap, in MB (SOURCED_WRITE_HEAP_MB): past it the thread, not the
 * server, runs out of memory; its job fails and a new thread takes the next one.
 */
function writeHeapMb(): number {
  const mb = Number(process.env.SOURCED_WRITE_HEAP_MB ?? 2048);
  return Number.isFinite(mb) && mb >= 64 ? mb : 2048;
}

function worker() {
  if (state.sourcedWriteWorker) return state.sourcedWriteWorker;
  // Next's bundler builds the worker from this URL, with everything it imports.
  const w = new Worker(new URL('./write-worker-main.ts', import.meta.url), {
    workerData: { databaseUrl: readEnv().DATABASE_URL },
    // An import's parse fills whatever young generation it is given (the server's own
    // grows to 48 MB), at no gain in speed.
    resourceLimits: {
      maxYoungGenerationSizeMb: WRITE_YOUNG_GENERATION_MB,
      maxOldGenerationSizeMb: writeHeapMb(),
    },
  });
  const entry: Entry = { worker: w, pending: new Map(), taken: new Map(), next: 1 };
  w.on('message', (reply: WorkerReply) => {
    if (isPong(reply)) return;
    if ('taken' in reply) {
      entry.taken.get(reply.id)?.();
      return;
    }
    entry.pending.get(reply.id)?.resolve(reply.outcome);
    entry.pending.delete(reply.id);
  });
  const fail = (reason: string) => {
    if (state.sourcedWriteWorker === entry) delete state.sourcedWriteWorker;
    const message = `The write failed: ${reason}.`;
    for (const p of entry.pending.values()) p.resolve({ ok: false, kind: 'failed', message });
    entry.pending.clear();
    // Uploads still streaming in stop waiting for a thread that is gone.
    for (const taken of entry.taken.values()) taken();
  };
  supervise(w, { name: 'the write worker', stallMs: stallMs(), onDead: fail });
  // The worker waits for work; it must not keep a finished process alive.
  w.unref();
  state.sourcedWriteWorker = entry;
  return entry;
}

/**
 * Runs a write on the write worker; a file's bytes are moved to it, not copied. When
 * `signal` aborts (the client went away), the worker abandons the job at its next step.
 */
export function submitWrite(job: WriteJob, signal?: AbortSignal): Promise<WriteOutcome> {
  const w = worker();
  const id = w.next++;
  const transfer =
    job.type === 'import' &&
    job.file &&
    job.file.byteOffset === 0 &&
    job.file.byteLength === job.file.buffer.byteLength
      ? [job.file.buffer as ArrayBuffer]
      : [];
  const abandon = () => w.worker.postMessage({ id, abort: true } satisfies WorkerMessage);
  signal?.addEventListener('abort', abandon, { once: true });
  return new Promise<WriteOutcome>((resolve) => {
    w.pending.set(id, { resolve });
    w.worker.postMessage({ id, job }, transfer);
  }).finally(() => signal?.removeEventListener('abort', abandon));
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
  /** Aborts when the client goes away: the worker abandons the upload's parse. */
  signal?: AbortSignal,
  /** The API's `meta` part, or the Add data form's fields (lib/write/upload.ts). */
  kind: UploadKind = 'api',
): Promise<WriteOutcome> {
  const w = worker();
  const id = w.next++;
  const outcome = new Promise<WriteOutcome>((resolve) => w.pending.set(id, { resolve }));
  const post = (message: WorkerMessage, transfer: ArrayBuffer[] = []) =>
    w.worker.postMessage(message, transfer);
  const abandon = () => post({ id, abort: true });
  signal?.addEventListener('abort', abandon, { once: true });
  void outcome.finally(() => signal?.removeEventListener('abort', abandon));
  post({ id, job: { type: 'upload', contentType, dryRun, sizeHint, kind } });
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

/** The outcome's value, or its failure thrown (lib/api/errors.ts answers it). */
export async function write<T extends WriteOutcome & { ok: true }>(
  job: WriteJob,
  signal?: AbortSignal,
): Promise<T> {
  return outcomeValue<T>(await submitWrite(job, signal));
}

export function outcomeValue<T extends WriteOutcome & { ok: true }>(outcome: WriteOutcome): T {
  if (outcome.ok) return outcome as T;
  throw new RequestFailure(failureOfOutcome(outcome));
}
