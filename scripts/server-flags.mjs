// Node flags for the production server: `npm start`, the benches and the browser tests
// all start it with these. V8 lets the old generation grow to about twice the live heap
// before its next full collection; with ten page renders in flight, a server whose live
// heap is about 80 MB reached 640 MB of RSS at 1M observations. Growing it by 20% keeps
// the peak under 400 MB for a few milliseconds more of collection, without a cap that
// could stop a large import (workers take the same flags).
export const SERVER_NODE_FLAGS = ['--heap-growing-percent=20'];
