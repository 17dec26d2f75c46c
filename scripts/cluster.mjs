// Several server processes on one port (scripts/serve-cluster.mjs is its command line).
// A Node server renders pages on one thread, so under many readers a single process uses
// one core however many the machine has. Node's cluster module lets `servers` processes
// listen on the same port (the primary hands each new connection to the next process).
// A process that dies is started again after a pause; SIGINT or SIGTERM to this process
// stops them all.
import cluster from 'node:cluster';
import { BROADCAST } from '../lib/web/broadcast.mjs';

/**
 * Runs `servers` copies of the script `exec` with `args` (and this process's Node flags),
 * each listening on the port it is given. `onRestart` hears of each death (for the log).
 */
export function serveCluster({ servers, exec, args, restartPauseMs = 1000, onRestart }) {
  cluster.setupPrimary({ exec, args, execArgv: process.execArgv });
  let stopping = false;
  const alive = () => Object.keys(cluster.workers ?? {}).length;
  cluster.on('exit', (_worker, code, signal) => {
    if (stopping) {
      if (alive() === 0) process.exit(0);
      return;
    }
    onRestart?.(code, signal, restartPauseMs);
    setTimeout(() => cluster.fork(), restartPauseMs);
  });
  // What one server tells the others (lib/web/login-throttle.ts: each wrong editor token),
  // passed on to every other live process.
  cluster.on('message', (from, message) => {
    if (message?.channel !== BROADCAST) return;
    for (const worker of Object.values(cluster.workers ?? {}))
      if (worker && worker !== from && worker.isConnected()) worker.send(message);
  });
  for (let i = 0; i < servers; i++) cluster.fork();
  for (const signal of ['SIGINT', 'SIGTERM'])
    process.on(signal, () => {
      stopping = true;
      for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill(signal);
      if (alive() === 0) process.exit(0);
    });
}
