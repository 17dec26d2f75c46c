// A stand-in for lib/export/export-worker-main.ts in tests/export/export-thread.test.ts:
// speaks the same protocol (roles, credits, chunks), and as FAKE_EXPORT_MODE says, writes
// three chunks and ends, or dies part-way: throws, exits, or fills its heap. `heap`
// writes its heap limit as the one chunk, so a test can see the limit it was given.
import v8 from 'node:v8';
import { parentPort, workerData } from 'node:worker_threads';

const mode = process.env.FAKE_EXPORT_MODE ?? 'ok';
let credits = 0;
let wake = null;
const controls = [];
parentPort.on('message', (m) => {
  if (typeof m === 'number') credits += m;
  else controls.push(m);
  wake?.();
  wake = null;
});
const control = async () => {
  while (controls.length === 0) await new Promise((r) => (wake = r));
  return controls.shift();
};
const send = async (text) => {
  while (credits === 0) await new Promise((r) => (wake = r));
  credits--;
  parentPort.postMessage(new TextEncoder().encode(text));
};

async function run() {
  if (workerData.role === 'second') {
    await control();
    parentPort.postMessage({ ready: true });
    await control();
    return;
  }
  if (workerData.role === 'lead') {
    parentPort.postMessage({ snapshot: true });
    parentPort.postMessage({ plan: [[0, 10]] });
    await control();
    parentPort.postMessage({ consistent: true });
    await control();
  }
  if (mode === 'heap') {
    await send(String(v8.getHeapStatistics().heap_size_limit));
    parentPort.postMessage({ done: true });
    return;
  }
  for (let i = 0; i < 3; i++) {
    await send(`chunk ${i}\n`);
    if (i === 1 && mode === 'throw') throw new Error('the fake export broke');
    if (i === 1 && mode === 'exit') process.exit(7);
    if (i === 1 && mode === 'oom') {
      const hoard = [];
      for (;;) hoard.push(new Array(100_000).fill(hoard.length));
    }
  }
  parentPort.postMessage({ done: true });
}

void run();
