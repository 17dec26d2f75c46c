// The write worker: one thread with the process's write store. Imports parse and
// write here, so a long import never stalls the server's event loop, and waiting on
// another process's lock blocks only this thread. On SQLite the store runs one job at
// a time on its one connection; on PostgreSQL jobs run side by side on its pool, each
// taking the locks of what it writes.
import { parentPort, workerData } from 'node:worker_threads';
import { openStore } from '../store';
import { runWriteJob, type WriteJob } from './write-job';

const store = openStore((workerData as { databaseUrl: string }).databaseUrl);

parentPort!.on('message', async ({ id, job }: { id: number; job: WriteJob }) => {
  parentPort!.postMessage({ id, outcome: await runWriteJob(store, job) });
});
