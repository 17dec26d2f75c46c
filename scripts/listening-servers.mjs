// Loaded before Next.js (`--import`, scripts/server-flags.mjs): remembers each HTTP server
// this process starts to listen, so that code which runs later (the warm-up started from
// instrumentation.ts, lib/web/warm-up.ts) can reach Next.js's server. Next.js listens before
// it runs instrumentation and offers no other way to its server; in a cluster worker the
// listening socket belongs to the primary, so the process's handles do not show it either.
import http from 'node:http';

export const LISTENING_SERVERS = Symbol.for('sourced.listening-servers');

const servers = (globalThis[LISTENING_SERVERS] ??= []);
const listen = http.Server.prototype.listen;
http.Server.prototype.listen = function (...args) {
  servers.push(this);
  return listen.apply(this, args);
};
