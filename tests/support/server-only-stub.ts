// Stands in for the `server-only` package under vitest, which does not build with
// Next's react-server condition; see vitest.config.ts.
export {};
