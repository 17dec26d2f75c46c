// Slow and many connections from strangers. Node's own header timeout is checked every
// 30 s and defaults to 60 s, and it has no body timeout short of 5 minutes, so 20,000
// half-open connections from one machine kept every new client out for 60–90 s, and an
// anonymous POST trickling its body held its connection for 301 s. Here:
//
// - a connection must finish its request's headers within SOURCED_HEADER_SECONDS (10);
// - an anonymous request must finish its body (at most 64 KB) within
//   SOURCED_ANONYMOUS_BODY_SECONDS (10); the editor's uploads are not timed;
// - one address may hold SOURCED_CONNECTIONS_PER_ADDRESS connections (256) at once; past
//   that a new one is closed at once. Off behind a trusted proxy (every connection comes
//   from the proxy) or when set to 0.
//
// Driven by the request gate (lib/web/request-gate.ts), which sees each connection and
// request first.
import type http from 'node:http';
import type { Socket } from 'node:net';
import { trustedProxies } from './forwarding';

export type GuardLimits = { headerMs: number; bodyMs: number; perAddress: number };

function seconds(value: string | undefined, fallback: number): number {
  const n = Number(value ?? fallback);
  return Number.isFinite(n) && n > 0 ? n * 1000 : fallback * 1000;
}

export function guardLimits(env: Record<string, string | undefined> = process.env): GuardLimits {
  const cap = Number(env.SOURCED_CONNECTIONS_PER_ADDRESS ?? 256);
  return {
    headerMs: seconds(env.SOURCED_HEADER_SECONDS, 10),
    bodyMs: seconds(env.SOURCED_ANONYMOUS_BODY_SECONDS, 10),
    perAddress: trustedProxies(env) > 0 || !Number.isFinite(cap) || cap < 0 ? 0 : cap,
  };
}

const open = new Map<string, number>();
const waitingForHeaders = new WeakMap<Socket, NodeJS.Timeout>();
const configured = new WeakSet<http.Server>();

/** A new connection: counted against its address, and timed until its headers are in. */
export function guardConnection(server: http.Server, socket: Socket, limits = guardLimits()) {
  if (!configured.has(server)) {
    configured.add(server);
    // Requests after the first on a kept-alive connection, at Node's own pace.
    server.headersTimeout = Math.min(server.headersTimeout, limits.headerMs);
  }
  const address = socket.remoteAddress ?? '';
  if (limits.perAddress > 0) {
    const count = (open.get(address) ?? 0) + 1;
    if (count > limits.perAddress) {
      socket.destroy();
      return;
    }
    open.set(address, count);
    socket.once('close', () => {
      const left = (open.get(address) ?? 1) - 1;
      if (left > 0) open.set(address, left);
      else open.delete(address);
    });
  }
  const timer = setTimeout(() => socket.destroy(), limits.headerMs);
  timer.unref();
  waitingForHeaders.set(socket, timer);
  socket.once('close', () => clearTimeout(timer));
}

/** A request's headers are in: its connection is no longer timed for them. */
export function headersArrived(req: http.IncomingMessage): void {
  const timer = waitingForHeaders.get(req.socket);
  if (timer) clearTimeout(timer);
  waitingForHeaders.delete(req.socket);
}

/** An anonymous request with a body: the connection is cut if the body is not in by then. */
export function timeAnonymousBody(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  limits = guardLimits(),
): void {
  const timer = setTimeout(() => req.socket.destroy(), limits.bodyMs);
  timer.unref();
  const done = () => clearTimeout(timer);
  req.once('end', done);
  req.once('close', done);
  res.once('finish', done);
}
