// The write worker: one thread, one writer connection, one job at a time. Imports
// parse and write here, so a long import never stalls the server's event loop, and
// waiting on another process's lock blocks only this thread.
import { parentPort, workerData } from 'node:worker_threads';
import { openWriterConnection } from '../db';
import { runWriteJob, type WriteJob } from './write-job';

const db = openWriterConnection((workerData as { databaseUrl: string }).databaseUrl);

parentPort!.on('message', ({ id, job }: { id: number; job: WriteJob }) => {
  parentPort!.postMessage({ id, outcome: runWriteJob(db, job) });
});
