// Watches a worker thread for the three ways it can stop serving: it throws or exits
// (a crash), it runs out of the heap its resource limits give it (a file too large to
// hold), or it stops answering because one job computes without end (a file too costly
// to read). Each is reported once, with a reason a client can be shown; the owner fails
// the worker's jobs with it and starts a new worker for the next one, and the server
// keeps serving. Liveness is a ping the worker's event loop answers with a pong.
import type { Worker } from 'node:worker_threads';

/** What the owner sends and hears for liveness; every other message is the owner's own. */
export type Ping = { ping: number };
export type Pong = { pong: number };

export const isPong = (m: unknown): m is Pong =>
  typeof m === 'object' && m !== null && 'pong' in m && typeof m.pong === 'number';

export type Supervision = {
  /** Stops watching, ending the worker too; no death is reported. */
  stop(): void;
};

export type SuperviseOptions = {
  /** What the worker does, for the reasons given ("the write worker"). */
  name: string;
  /** How long the worker may go without answering a ping before it is ended. */
  stallMs: number;
  /** Called once, with why the worker is gone. */
  onDead: (reason: string) => void;
};

/** The budget for any one thread to leave its event loop: SOURCED_STALL_SECONDS, 120 s by default. */
export function stallMs(env: Record<string, string | undefined> = process.env): number {
  const s = Number(env.SOURCED_STALL_SECONDS ?? 120);
  return Number.isFinite(s) && s > 0 ? s * 1000 : 120_000;
}

function deathReason(name: string, error: unknown): string {
  const code = (error as { code?: string } | null)?.code;
  if (code === 'ERR_WORKER_OUT_OF_MEMORY')
    return `${name} ran out of memory on this request and was restarted; nothing was saved`;
  return `${name} failed on this request and was restarted; nothing was saved`;
}

export function supervise(worker: Worker, options: SuperviseOptions): Supervision {
  const { name, stallMs: budget, onDead } = options;
  let heard = Date.now();
  let done = false;
  let sent = 0;
  const die = (reason: string) => {
    if (done) return;
    done = true;
    clearInterval(timer);
    onDead(reason);
  };
  // A thread still starting (loading its modules) is not stalled.
  let online = false;
  worker.on('online', () => {
    online = true;
    heard = Date.now();
  });
  worker.on('message', () => (heard = Date.now()));
  worker.on('error', (error) => {
    console.error(`${name} failed:`, error);
    die(deathReason(name, error));
  });
  worker.on('exit', () => die(`${name} stopped and was restarted; nothing was saved`));
  const timer = setInterval(
    () => {
      if (!online) return;
      if (Date.now() - heard > budget) {
        die(
          `${name} spent more than ${Math.round(budget / 1000)} s on one request (a file too costly to read) and was restarted; nothing was saved`,
        );
        void worker.terminate();
        return;
      }
      worker.postMessage({ ping: ++sent } satisfies Ping);
    },
    Math.max(10, Math.floor(budget / 4)),
  );
  timer.unref();
  return {
    stop() {
      done = true;
      clearInterval(timer);
      void worker.terminate();
    },
  };
}
