// The write worker: one thread with the process's write store. Imports parse and
// write here, so a long import never stalls the server's event loop, and waiting on
// another process's lock blocks only this thread. On SQLite the store runs one job at
// a time on its one connection; on PostgreSQL jobs run side by side on its pool, each
// taking the locks of what it writes.
import { parentPort, workerData } from 'node:worker_threads';
import { openStore } from '../store';
import { ChunkQueue } from './upload';
import { runUploadJob, runWriteJob, type WriteJob } from './write-job';
import type { WorkerMessage, WorkerReply } from './write-queue';

const store = openStore((workerData as { databaseUrl: string }).databaseUrl);
/** Uploads still streaming in, by job id. */
const uploads = new Map<number, ChunkQueue>();
/** Each running job's signal: the server aborts it when the client goes away. */
const running = new Map<number, AbortController>();

function post(reply: WorkerReply) {
  parentPort!.postMessage(reply);
}

async function run(id: number, job: WriteJob | UploadStart) {
  const control = new AbortController();
  running.set(id, control);
  try {
    if (job.type !== 'upload') {
      post({ id, outcome: await runWriteJob(store, job, control.signal) });
      return;
    }
    const body = new ChunkQueue(() => post({ id, taken: true }));
    uploads.set(id, body);
    const { contentType, dryRun, sizeHint, kind } = job;
    const outcome = await runUploadJob(
      store,
      body,
      contentType,
      dryRun,
      sizeHint,
      control.signal,
      kind,
    );
    post({ id, outcome });
  } finally {
    uploads.delete(id);
    running.delete(id);
  }
}

type UploadStart = Extract<WorkerMessage, { job: unknown }>['job'] & { type: 'upload' };

parentPort!.on('message', (message: WorkerMessage) => {
  if ('ping' in message) return post({ pong: message.ping });
  if ('abort' in message) running.get(message.id)?.abort();
  if ('job' in message) {
    void run(message.id, message.job);
    return;
  }
  const body = uploads.get(message.id);
  if (!body) return;
  if ('chunk' in message) body.push(message.chunk);
  else if ('end' in message) body.end();
  else body.fail(new Error('The upload was abandoned'));
});
