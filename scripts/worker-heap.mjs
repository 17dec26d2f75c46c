// Loaded before Next.js (`--import`, scripts/server-flags.mjs). The server starts with
// V8 semi-spaces of 32 MB (--max-semi-space-size=32) for its main thread, where page
// renders make most of their objects and drop them young; with V8's default the young
// generation fills and is collected twice as often (the figures: server-flags.mjs). The
// flag is read when an isolate is made and overrides the young generation a worker is
// given (resourceLimits), so from here on it is V8's default again (0): the write worker
// and the export and extraction threads keep the limits they are started with, where
// each would otherwise grow to 67 MB of young generation.
import v8 from 'node:v8';

v8.setFlagsFromString('--max-semi-space-size=0');
