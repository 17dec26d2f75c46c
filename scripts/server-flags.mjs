// Node flags for the production server: `npm start`, the benches and the browser tests
// all start it with these.
// - V8 lets the old generation grow to about twice the live heap before its next full
//   collection; with ten page renders in flight, a server whose live heap is about
//   80 MB reached 640 MB of RSS at 1M observations. Growing it by 20% keeps the peak
//   under 400 MB, without a cap that could stop a large import (workers take the same
//   flags).
// - A render's objects live as long as the render, which under ten concurrent requests
//   outlasts the default young generation (16 MB semi-spaces): they were promoted, and
//   collecting took about a fifth of each request (the 10M indicator page: 4 ms of
//   garbage collection a request). With 32 MB they die young: p50 199 → 165 ms there,
//   141 → 104 ms on the overview, for about 40 MB more peak RSS.
export const SERVER_NODE_FLAGS = ['--heap-growing-percent=20', '--max-semi-space-size=32'];
