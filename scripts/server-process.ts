// Small helpers for tools that start a server of their own: the benches and the
// browser tests' global setup.
import fs from 'node:fs';
import net from 'node:net';

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

/** Peak RSS of a process from /proc (VmHWM), in MB; 0 where /proc is not there. */
export function peakRssOf(pid: number): number {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    return Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
  } catch {
    return 0;
  }
}

/**
 * Starts a new peak for peakRssOf (Linux: writing 5 to clear_refs resets VmHWM), so that
 * each phase of a bench reports its own; false where it cannot.
 */
export function resetPeakRss(pid: number): boolean {
  try {
    fs.writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}
