// Hands writes to the write worker and waits for their outcome. One worker per
// server process, started on the first write; if it dies, the writes it held are
// answered as failed (nothing half-written: each ran in one transaction) and the next
// write starts a new one.
import 'server-only';
import { Worker } from 'node:worker_threads';
import { readEnv } from '../env';
import { DatabaseBusyError, DiskFullError } from '../writer';
import { WriteRefused } from '../document-writes';
import type { WriteJob, WriteOutcome } from './write-job';

type Pending = { resolve: (o: WriteOutcome) => void };

const state = globalThis as unknown as {
  sourcedWriteWorker?: { worker: Worker; pending: Map<number, Pending>; next: number };
};

function worker() {
  if (state.sourcedWriteWorker) return state.sourcedWriteWorker;
  // Next's bundler builds the worker from this URL, with everything it imports.
  const w = new Worker(new URL('./write-worker-main.ts', import.meta.url), {
    workerData: { databaseUrl: readEnv().DATABASE_URL },
  });
  const entry = { worker: w, pending: new Map<number, Pending>(), next: 1 };
  w.on('message', ({ id, outcome }: { id: number; outcome: WriteOutcome }) => {
    entry.pending.get(id)?.resolve(outcome);
    entry.pending.delete(id);
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

/** The outcome's value, or the error the route handlers already map to a status. */
export async function write<T extends WriteOutcome & { ok: true }>(job: WriteJob): Promise<T> {
  const outcome = await submitWrite(job);
  if (outcome.ok) return outcome as T;
  if (outcome.kind === 'busy') {
    const busy = new DatabaseBusyError();
    busy.message = outcome.message;
    throw busy;
  }
  if (outcome.kind === 'disk-full') throw new DiskFullError();
  if (outcome.kind === 'refused') throw new WriteRefused(outcome.status, outcome.errors);
  throw new Error(outcome.message);
}
