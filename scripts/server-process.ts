// Small helpers for tools that start a server of their own: the benches and the
// browser tests' global setup.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import net from 'node:net';
import { DB_COMMAND } from './server-flags.mjs';

/** A TCP port nothing listens on now, on the loopback interface. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

function peakRssOfOne(pid: number): number {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    return Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
  } catch {
    return 0;
  }
}

/**
 * Peak RSS (VmHWM from /proc) of a process and every process it started, in MB, summed:
 * for a cluster of servers (scripts/serve-cluster.mjs) the most they could hold at once.
 * 0 where /proc is not there.
 */
export function peakRssOf(pid: number): number {
  return peakRssOfOne(pid) + childrenOf(pid).reduce((sum, child) => sum + peakRssOf(child), 0);
}

/** Peak RSS of each process in the tree of `pid`, in MB: a cluster's primary and each server. */
export function peakRssEach(pid: number): number[] {
  return [peakRssOfOne(pid), ...childrenOf(pid).flatMap(peakRssEach)];
}

/**
 * Starts a new peak for peakRssOf (Linux: writing 5 to clear_refs resets VmHWM), so that
 * each phase of a bench reports its own; false where it cannot.
 */
export function resetPeakRss(pid: number): boolean {
  try {
    fs.writeFileSync(`/proc/${pid}/clear_refs`, '5');
    for (const child of childrenOf(pid)) resetPeakRss(child);
    return true;
  } catch {
    return false;
  }
}

/** The process's own threads' CPU time (user + system) from /proc, in ms; 0 without /proc. */
function cpuMsOfOne(pid: number): number {
  try {
    // The fields after the command name: state is the first, utime the 12th, stime the 13th.
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    const ticksPerMs = 100 / 1000; // USER_HZ is 100 on Linux
    return (Number(fields[11]) + Number(fields[12])) / ticksPerMs;
  } catch {
    return 0;
  }
}

/** Processes whose parent is `pid` (a scan of /proc: not every kernel lists children). */
function childrenOf(pid: number): number[] {
  const children: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const fields = fs.readFileSync(`/proc/${entry}/stat`, 'utf8').split(') ')[1]!.split(' ');
      if (Number(fields[1]) === pid) children.push(Number(entry));
    } catch {
      // gone since the listing
    }
  }
  return children;
}

/**
 * CPU time a server and every process it started have used, in ms: a bench's measure that
 * other work on the machine does not inflate the way it inflates latency.
 */
export function cpuMsOf(pid: number): number {
  if (!fs.existsSync('/proc')) return 0;
  return cpuMsOfOne(pid) + childrenOf(pid).reduce((sum, child) => sum + cpuMsOf(child), 0);
}

/**
 * Prepares the database `env.DATABASE_URL` names as `npm start` does (migrate, load the
 * article's data), in a child process; the error output when it fails, else null.
 */
export function setUpDatabase(env: NodeJS.ProcessEnv): string | null {
  const result = spawnSync(process.execPath, [...DB_COMMAND, 'setup'], {
    cwd: path.resolve(import.meta.dirname, '..'),
    env,
    encoding: 'utf8',
  });
  return result.status === 0 ? null : result.stderr;
}

/**
 * Waits until each of a server's `processes` has logged its warm-up (lib/web/warm-up.ts),
 * as a load balancer's readiness check would before it sends readers: the benches measure
 * readers, not a start, and the browser tests do not race it. `log` is what the server
 * printed so far. Throws when a warm-up failed or did not end in time.
 */
export async function warmedUp(
  log: () => string,
  processes: number,
  timeoutMs = 150_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const text = log();
    const failed = /^warm-up: .*$/m.exec(text);
    if (failed) throw new Error(`The server's warm-up failed: ${failed[0]}`);
    if ((text.match(/^Warmed up \d+ pages in /gm) ?? []).length >= processes) return;
    if (Date.now() > deadline)
      throw new Error(`The server did not finish its warm-up within ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
