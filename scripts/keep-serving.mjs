// `npm start` keeps its server up: a server process that dies (a crash, an abort, the
// kernel's OOM killer) is started again, after a pause that grows while it keeps dying
// young (1 s, 2 s, … up to 30 s) and resets once it has run a minute. Stopping
// `npm start` (SIGINT, SIGTERM) stops the server and restarts nothing.
import { spawn } from 'node:child_process';

/**
 * Runs `command` with `args` until stopped. Returns `stop(signal)`; `onRestart` hears of
 * each death and restart (for the log and for tests).
 */
export function keepServing(command, args, options = {}) {
  const {
    spawnOptions = {},
    onRestart = (code, signal, pause) =>
      console.error(
        `\nThe server stopped (${signal ?? `exit ${code}`}); starting it again in ${pause / 1000} s.`,
      ),
    onStop = () => {},
    firstPauseMs = 1000,
    maxPauseMs = 30_000,
    healthyMs = 60_000,
  } = options;
  let stopping = false;
  let child = null;
  let pause = firstPauseMs;
  let timer = null;
  const start = () => {
    timer = null;
    const started = Date.now();
    child = spawn(command, args, spawnOptions);
    child.on('exit', (code, signal) => {
      child = null;
      if (stopping) return onStop(code, signal);
      if (Date.now() - started >= healthyMs) pause = firstPauseMs;
      onRestart(code, signal, pause);
      timer = setTimeout(start, pause);
      pause = Math.min(maxPauseMs, pause * 2);
    });
  };
  start();
  return {
    stop(signal = 'SIGTERM') {
      stopping = true;
      if (timer) clearTimeout(timer);
      if (child) child.kill(signal);
      else onStop(0, null);
    },
    get pid() {
      return child?.pid ?? null;
    },
  };
}
