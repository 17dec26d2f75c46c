// Issue #25: "npm start does not restart the server". The keeper starts a server process
// that dies again, backs off while it keeps dying, and stops for good when told to.
import { describe, expect, it } from 'vitest';
import { keepServing } from '../../scripts/keep-serving.mjs';

describe('npm start’s keeper', () => {
  it('restarts a server that crashes or is killed, with growing pauses', async () => {
    const deaths: [number | null, string | null, number][] = [];
    // Dies at once, each time.
    const script = 'process.exit(3)';
    let n = 0;
    const keeper = keepServing(process.execPath, ['-e', script], {
      spawnOptions: { stdio: 'ignore' },
      firstPauseMs: 20,
      onRestart(code: number | null, signal: string | null, pause: number) {
        deaths.push([code, signal, pause]);
        n++;
      },
    });
    while (n < 3) await new Promise((r) => setTimeout(r, 20));
    const stopped = new Promise((r) => {
      keeper.stop();
      setTimeout(r, 50);
    });
    await stopped;
    expect(deaths.slice(0, 3)).toEqual([
      [3, null, 20],
      [3, null, 40],
      [3, null, 80],
    ]);
  });

  it('restarts after a SIGKILL and stops the server when stopped', async () => {
    const deaths: (string | null)[] = [];
    const keeper = keepServing(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], {
      spawnOptions: { stdio: 'ignore' },
      firstPauseMs: 10,
      onRestart: (_c: number | null, signal: string | null) => deaths.push(signal),
    });
    await new Promise((r) => setTimeout(r, 300));
    const first = keeper.pid as number;
    process.kill(first, 'SIGKILL');
    while (keeper.pid === null || keeper.pid === first) await new Promise((r) => setTimeout(r, 20));
    expect(deaths).toEqual(['SIGKILL']);
    const second = keeper.pid as number;
    const done = new Promise((r) => keepServingStop(keeper, r));
    await done;
    expect(() => process.kill(second, 0)).toThrow();
  });
});

function keepServingStop(keeper: { stop(): void; pid: number | null }, done: (v: unknown) => void) {
  keeper.stop();
  const wait = () => (keeper.pid === null ? done(null) : setTimeout(wait, 20));
  wait();
}
