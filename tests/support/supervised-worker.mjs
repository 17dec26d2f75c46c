// A worker for tests/write/supervision.test.ts: answers pings like the write worker, and
// on command stalls, runs out of memory, throws or exits.
import { parentPort } from 'node:worker_threads';

parentPort.on('message', (m) => {
  if ('ping' in m) return parentPort.postMessage({ pong: m.ping });
  if (m.do === 'stall') for (;;);
  if (m.do === 'oom') {
    const hoard = [];
    for (;;) hoard.push(new Array(1_000_000).fill(hoard.length));
  }
  if (m.do === 'throw') throw new Error('boom');
  if (m.do === 'exit') process.exit(3);
  parentPort.postMessage({ echo: m.do });
});
