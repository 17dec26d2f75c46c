import { fileURLToPath } from 'node:url';

// Node flags for the production server: `npm start`, the benches and the browser tests
// all start it with these. The preload remembers the server Next.js listens on, for the
// warm-up (lib/web/warm-up.ts). V8 lets the old generation grow to about twice the live heap
// before its next full collection; with ten page renders in flight, a server whose live
// heap is about 80 MB reached 640 MB of RSS at 1M observations. Growing it by 35% keeps
// the peak under 500 MB without a cap that could stop a large import (workers take the
// same flag). It was 20% while finished requests stayed alive in the read cache (a
// 200 MB live heap, lib/read/cache.ts); with them gone, 35% saves 10% of a new page's
// CPU (1M observations, side by side: 19.6 → 17.7 ms every URL new, 21.2 → 19.1 ms three
// random series) for 16 MB of peak RSS; 50% saved 15% but reached 514 MB with an upload.
// Semi-spaces of 32 MB for the main thread save 8–10% of a new page's CPU (10M
// observations, two servers side by side: 19.3 → 17.7 ms every URL new, 26.3 → 24.5 ms
// three random series) for 28 MB more of peak RSS; worker-heap.mjs gives the worker
// threads V8's default again (given to every thread, they added 68 MB with an upload
// under way).
const preload = (file) => ['--import', fileURLToPath(new URL(file, import.meta.url))];
const PRELOAD = preload('./listening-servers.mjs');
export const SERVER_NODE_FLAGS = [
  ...PRELOAD,
  '--heap-growing-percent=35',
  '--max-semi-space-size=32',
  ...preload('./worker-heap.mjs'),
];

// `next dev` hands its flags to the server process it starts through NODE_OPTIONS, which
// refuses V8's own (the dev server exited at once): it gets the preload alone.
export const DEV_SERVER_NODE_FLAGS = PRELOAD;

// The server's environment, under what the user sets. glibc gives threads that allocate at
// the same time malloc arenas of their own, up to eight per core, and memory freed in one
// is rarely given back: the export's two threads, the write worker and SQLite's page caches
// left the 1M scale bench at 451 MB of RSS; with two arenas (two cores), 415 MB.
export const SERVER_ENV = { MALLOC_ARENA_MAX: '2' };

// `node <DB_COMMAND> setup|token|…`: the database commands (scripts/db.ts) as `npm start`
// and the tools that start a server of their own run them.
export const DB_COMMAND = [
  '--experimental-wasm-modules',
  '--disable-warning=ExperimentalWarning',
  '--import',
  'tsx',
  'scripts/db.ts',
];
