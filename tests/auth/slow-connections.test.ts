// Finding 8 of issue #25: ~20,000 half-open anonymous connections from one machine kept
// every new client out until Node's 60–90 s header timeout, and an anonymous POST
// trickling its body held its connection 301 s. Headers and strangers' bodies are timed,
// and one address holds a bounded number of connections.
import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installRequestGate } from '@/lib/web/request-gate';

const ENV = {
  SOURCED_HEADER_SECONDS: '0.5',
  SOURCED_ANONYMOUS_BODY_SECONDS: '0.5',
  SOURCED_CONNECTIONS_PER_ADDRESS: '20',
};

let server: http.Server;
let port: number;
const saved: Record<string, string | undefined> = {};
beforeAll(async () => {
  for (const [k, v] of Object.entries(ENV)) [saved[k], process.env[k]] = [process.env[k], v];
  installRequestGate();
  server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => res.end('handled'));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  for (const k of Object.keys(ENV)) process.env[k] = saved[k];
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
});

/** Connects and resolves with how long the server kept the connection open. */
function held(write?: (s: net.Socket) => void): Promise<number> {
  const started = Date.now();
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1', () => write?.(socket));
    socket.on('error', () => {});
    socket.on('close', () => resolve(Date.now() - started));
  });
}

async function get(): Promise<number> {
  const res = await fetch(`http://127.0.0.1:${port}/`, { headers: { connection: 'close' } });
  await res.text();
  return res.status;
}

describe('slow and many connections', () => {
  it('closes a connection that sends no headers within the header time', async () => {
    const ms = await held();
    expect(ms).toBeGreaterThanOrEqual(400);
    expect(ms).toBeLessThan(3000);
  });

  it('closes a connection whose headers trickle in', async () => {
    const ms = await held((s) => {
      s.write('GET / HTTP/1.1\r\n');
      const t = setInterval(() => (s.writable ? s.write('X-A: b\r\n') : clearInterval(t)), 100);
      s.on('close', () => clearInterval(t));
    });
    expect(ms).toBeLessThan(3000);
  });

  it('cuts an anonymous body that trickles in', async () => {
    const ms = await held((s) => {
      s.write('POST /login HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n');
      const t = setInterval(() => (s.writable ? s.write('a') : clearInterval(t)), 100);
      s.on('close', () => clearInterval(t));
    });
    expect(ms).toBeLessThan(3000);
  });

  it('caps connections per address; the next client gets in once they are closed', async () => {
    const sockets = Array.from({ length: 20 }, () => {
      const s = net.connect(port, '127.0.0.1');
      s.on('error', () => {});
      return s;
    });
    await new Promise((r) => setTimeout(r, 100));
    // The 21st connection is closed at once, before the header time.
    expect(await held()).toBeLessThan(300);
    for (const s of sockets) s.destroy();
    await new Promise((r) => setTimeout(r, 100));
    expect(await get()).toBe(200);
  });
});
