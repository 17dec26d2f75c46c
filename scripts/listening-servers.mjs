// Loaded before Next.js (`--import`, scripts/server-flags.mjs), for two things Next.js
// offers no hook for.
//
// - Remembers each HTTP server this process starts to listen, so that code which runs
//   later (the warm-up started from instrumentation.ts, lib/web/warm-up.ts) can reach
//   Next.js's server. Next.js listens before it runs instrumentation; in a cluster worker
//   the listening socket belongs to the primary, so the process's handles do not show it.
// - Holds the requests that arrive before the request gate is installed (from
//   instrumentation.ts, lib/web/request-gate.ts), which hands them on through the gate:
//   without this they would reach Next.js unchecked and without their page's
//   Content-Security-Policy. Should no gate come within GATE_WAIT_MS, they go on as they are.
import http from 'node:http';

export const LISTENING_SERVERS = Symbol.for('sourced.listening-servers');
const GATE_INSTALLED = Symbol.for('sourced.requestGate');
const HELD_REQUESTS = Symbol.for('sourced.heldRequests');
const GATE_WAIT_MS = 60_000;

const servers = (globalThis[LISTENING_SERVERS] ??= []);
const listen = http.Server.prototype.listen;
http.Server.prototype.listen = function (...args) {
  servers.push(this);
  return listen.apply(this, args);
};

const proto = http.Server.prototype;
const emit = proto.emit;
/** [server, req, res] of each request held, taken by the gate when it is installed. */
const held = (globalThis[HELD_REQUESTS] ??= []);
let waited = false;
proto.emit = function (event, ...args) {
  if (event !== 'request' || proto[GATE_INSTALLED] || waited)
    return emit.call(this, event, ...args);
  if (held.length === 0) setTimeout(releaseHeld, GATE_WAIT_MS).unref();
  held.push([this, ...args]);
  return true;
};

function releaseHeld() {
  if (proto[GATE_INSTALLED]) return;
  waited = true;
  for (const [server, req, res] of held.splice(0)) emit.call(server, 'request', req, res);
}
