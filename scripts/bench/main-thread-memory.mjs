// Preloaded into a server (node --import) by form-preview-memory.ts: samples the main thread's
// memory, and how late each sample is, every 20 ms and keeps the peaks in
// MAIN_THREAD_MEMORY_FILE. Worker threads load it too and do nothing: their heaps are their own.
// RSS is the process's; and an ArrayBuffer moved to a worker stays counted in the main thread's
// `arrayBuffers` until the worker frees it, so the main thread's own share is its heap.
import fs from 'node:fs';
import { isMainThread } from 'node:worker_threads';

const file = process.env.MAIN_THREAD_MEMORY_FILE;
if (isMainThread && file) {
  const zero = { rss: 0, heapUsed: 0, external: 0, arrayBuffers: 0, lagMs: 0 };
  const peak = { ...zero };
  let last = performance.now();
  const sample = () => {
    const m = process.memoryUsage();
    // How late this sample is: the longest the event loop was held (a parse on this thread).
    const now = performance.now();
    m.lagMs = Math.max(0, now - last - 20);
    last = now;
    for (const k of Object.keys(peak)) peak[k] = Math.max(peak[k], m[k]);
    return m;
  };
  setInterval(sample, 20).unref();
  // SIGUSR2: write the peaks so far, and start again from what is held now.
  process.on('SIGUSR2', () => {
    fs.writeFileSync(file, JSON.stringify({ peak, now: sample() }));
    Object.assign(peak, zero);
  });
}
