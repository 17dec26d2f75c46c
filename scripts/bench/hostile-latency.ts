// Another client's latency while the server is under issue #25's two loads, before and
// after: eight ZIP downloads at once (deflated on the event loop, as before, or on zlib's
// thread pool, as now), and thousands of slow connections (Node's defaults, as before,
// or the request gate's timeouts and per-address cap, as now). This process is the
// server; a child process is the other client, pinging every 20 ms, and the load.
//
//   node --import tsx scripts/bench/hostile-latency.ts zip  [--mb 60] [--downloads 8]
//   node --import tsx scripts/bench/hostile-latency.ts slow [--connections 10000]
import { spawn } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { strToU8, Zip, ZipDeflate } from 'fflate';
import { ThreadedZipDeflate } from '../../lib/export/zip-deflate';
import { installRequestGate } from '../../lib/web/request-gate';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};

/** 16 distinct 64 KB chunks of CSV: the deflate work of a full export, without its reads. */
const CHUNKS = Array.from({ length: 16 }, (_, c) => {
  let text = '';
  for (let i = 0; text.length < 65_536; i++)
    text += `China,CHN,${1900 + ((i * 7 + c) % 120)},${((i * 7919 + c * 104729) % 1e6) / 1e3},\n`;
  return strToU8(text);
});

async function zipTo(res: http.ServerResponse, mb: number, pool: boolean) {
  res.writeHead(200, { 'Content-Type': 'application/zip' });
  const zip = new Zip((error, data) => {
    if (error) throw error;
    res.write(data);
  });
  const file = pool ? new ThreadedZipDeflate('data.csv') : new ZipDeflate('data.csv', { level: 6 });
  zip.add(file);
  for (let i = 0; i < mb * 16; i++) {
    const chunk = CHUNKS[i % 16]!;
    if (file instanceof ThreadedZipDeflate) await file.write(chunk);
    else file.push(chunk);
    // As a ReadableStream pulls: a microtask, never a turn of the event loop.
    await Promise.resolve();
  }
  if (file instanceof ThreadedZipDeflate) await file.end();
  else file.push(new Uint8Array(0), true);
  zip.end();
  res.end();
}

function serve(gate: boolean, mb: number): Promise<http.Server> {
  if (gate) installRequestGate();
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname === '/zip') return void zipTo(res, mb, url.searchParams.get('pool') === '1');
    req.resume();
    req.on('end', () => res.end('ok'));
  });
  return new Promise((r) => server.listen(0, '0.0.0.0', () => r(server)));
}

/** The other client (and the load), in a child process so its timing is its own. */
const CLIENT = `
const http = require('node:http');
const net = require('node:net');
const [port, mode, n, pool] = process.argv.slice(1);
const times = []; let failed = 0;
function ping(localAddress) {
  const t = performance.now();
  return new Promise((resolve) => {
    const req = http.get({ host: '127.0.0.1', port, path: '/ping', localAddress, agent: false, timeout: 10000 }, (res) => {
      res.resume(); res.on('end', () => { times.push(performance.now() - t); resolve(); });
    });
    req.on('error', () => { failed++; resolve(); });
    req.on('timeout', () => { req.destroy(); });
  });
}
(async () => {
  const loads = [];
  if (mode === 'zip') for (let i = 0; i < Number(n); i++)
    loads.push(new Promise((r) => http.get({ host: '127.0.0.1', port, path: '/zip?pool=' + pool, agent: false }, (res) => { res.resume(); res.on('end', r); }).on('error', r)));
  const sockets = [];
  if (mode === 'slow') for (let i = 0; i < Number(n); i++) {
    const s = net.connect({ host: '127.0.0.1', port, localAddress: '127.0.0.1' });
    s.on('error', () => {}); s.on('connect', () => s.write('GET / HTTP/1.1\\r\\n')); sockets.push(s);
    if (i % 500 === 0) await new Promise((r) => setTimeout(r, 10));
  }
  const until = Date.now() + (mode === 'zip' ? 0 : 8000);
  let done = mode === 'slow';
  Promise.all(loads).then(() => (done = true));
  while (!done || Date.now() < until) { await ping('127.0.0.2'); await new Promise((r) => setTimeout(r, 20)); if (mode === 'zip' && done) break; }
  for (const s of sockets) s.destroy();
  times.sort((a, b) => a - b);
  const q = (p) => times.length ? Math.round(times[Math.min(times.length - 1, Math.floor(p * times.length))]) : null;
  console.log(JSON.stringify({ pings: times.length, failed, p50: q(0.5), p99: q(0.99), max: q(1) }));
})();
`;

function client(port: number, mode: string, n: number, pool: boolean): Promise<string> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [
      '-e',
      CLIENT,
      String(port),
      mode,
      String(n),
      pool ? '1' : '0',
    ]);
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.pipe(process.stderr);
    child.on('exit', () => resolve(out.trim()));
  });
}

async function main() {
  const mode = process.argv[2] === 'slow' ? 'slow' : 'zip';
  if (mode === 'zip') {
    const mb = arg('mb', 60);
    const n = arg('downloads', 8);
    const server = await serve(false, mb);
    const port = (server.address() as AddressInfo).port;
    console.log(
      `${n} ZIPs of ${mb} MB, deflated on the event loop:`,
      await client(port, 'zip', n, false),
    );
    console.log(
      `${n} ZIPs of ${mb} MB, deflated on the thread pool:`,
      await client(port, 'zip', n, true),
    );
    server.close();
    return;
  }
  const n = arg('connections', 10_000);
  // Before and after need servers of their own: the gate, once installed, stays.
  const gated = process.argv.includes('--gate');
  const server = await serve(gated, 0);
  const port = (server.address() as AddressInfo).port;
  const what = gated ? 'with the gate' : "with Node's defaults";
  console.log(`${n} slow connections, ${what}:`, await client(port, 'slow', n, false));
  server.closeAllConnections();
  server.close();
}

void main();
