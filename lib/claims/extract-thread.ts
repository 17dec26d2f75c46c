// Runs the extractor on a thread of its own: reading a long document costs seconds of CPU
// (about 2.5 ms a sentence), which on the server's thread would stall every other
// reader. One thread per process, started on first use; a text that takes longer than
// the budget, or a thread that dies, fails that request with a clear message and the
// next request starts a new thread.
import 'server-only';
import { Worker } from 'node:worker_threads';
import type { ClaimOptions, Extraction } from '../extract';
import type { ExtractReply, ExtractRequest } from './extract-worker-main';

/** The longest one extraction may take (a million characters take about 20 s here). */
const BUDGET_MS = Number(process.env.SOURCED_EXTRACT_BUDGET_MS ?? 60_000);

export class ExtractionFailed extends Error {}

type Pending = { resolve: (r: Extraction) => void; reject: (e: Error) => void };
type Entry = { worker: Worker; pending: Map<number, Pending>; next: number };

const state = globalThis as unknown as { sourcedExtractThread?: Entry };

function thread(): Entry {
  if (state.sourcedExtractThread) return state.sourcedExtractThread;
  // Next's bundler builds the worker from this URL, with everything it imports.
  const worker = new Worker(new URL('./extract-worker-main.ts', import.meta.url), {
    resourceLimits: { maxOldGenerationSizeMb: 512 },
  });
  const entry: Entry = { worker, pending: new Map(), next: 1 };
  worker.on('message', (reply: ExtractReply) => {
    const p = entry.pending.get(reply.id);
    entry.pending.delete(reply.id);
    if (!p) return;
    if (reply.ok) p.resolve(reply.result);
    else p.reject(new ExtractionFailed(`The extractor failed on this text: ${reply.message}`));
  });
  const dead = (reason: string) => {
    if (state.sourcedExtractThread === entry) delete state.sourcedExtractThread;
    for (const p of entry.pending.values()) p.reject(new ExtractionFailed(reason));
    entry.pending.clear();
  };
  worker.on('error', (error) => dead(`The extractor stopped: ${error.message}`));
  worker.on('exit', () => dead('The extractor stopped before it finished; try again.'));
  worker.unref();
  state.sourcedExtractThread = entry;
  return entry;
}

/** The extractor's answer for `text`, computed on the extraction thread. */
export function extractOffThread(text: string, options: ClaimOptions): Promise<Extraction> {
  const entry = thread();
  const id = entry.next++;
  return new Promise<Extraction>((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(
        new ExtractionFailed(
          `Reading this text took longer than ${Math.round(BUDGET_MS / 1000)} s; try a shorter text.`,
        ),
      );
      // The thread is busy with it and cannot be interrupted: a new one takes the next text.
      entry.pending.delete(id);
      void entry.worker.terminate();
    }, BUDGET_MS);
    timer.unref();
    entry.pending.set(id, {
      resolve: (r) => (clearTimeout(timer), resolve(r)),
      reject: (e) => (clearTimeout(timer), reject(e)),
    });
    entry.worker.postMessage({ id, text, options } satisfies ExtractRequest);
  });
}
