// Loaded before Next.js (`--import`, scripts/server-flags.mjs). The server starts with
// V8 semi-spaces of 32 MB (--max-semi-space-size=32), for its main thread: a page render
// allocates some 10 MB that die young, and with V8's default (16 MB) the young generation
// is collected twice as often and more of a render's objects are copied out of it. The
// flag is read when an isolate is made, so from here on, the worker threads (the write
// worker, the export and extraction threads) get V8's default (0): each would otherwise
// hold up to 33 MB more of young generation for work that allocates far less often.
import v8 from 'node:v8';

v8.setFlagsFromString('--max-semi-space-size=0');
