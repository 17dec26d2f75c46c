// Preloaded into a server (NODE_OPTIONS=--require) by form-preview-memory.ts: samples the
// main thread's memory every 20 ms and keeps the peaks in MAIN_THREAD_MEMORY_FILE. Worker
// threads load it too and do nothing: their heaps are their own, and only RSS is shared.
const { isMainThread } = require('node:worker_threads');
const fs = require('node:fs');

const file = process.env.MAIN_THREAD_MEMORY_FILE;
if (isMainThread && file) {
  const peak = { rss: 0, heapUsed: 0, external: 0, arrayBuffers: 0 };
  const sample = () => {
    const m = process.memoryUsage();
    for (const k of Object.keys(peak)) peak[k] = Math.max(peak[k], m[k]);
    return m;
  };
  setInterval(sample, 20).unref();
  // SIGUSR2: write the peaks so far, and start again from what is held now.
  process.on('SIGUSR2', () => {
    fs.writeFileSync(file, JSON.stringify({ peak, now: sample() }));
    Object.assign(peak, { rss: 0, heapUsed: 0, external: 0, arrayBuffers: 0 });
  });
}
