// An app server whose PostgreSQL stops answering (the network to it cut, the server
// stopped) answers every read, pages, the read API and downloads alike, with 503 and
// Retry-After and a plain message, never a 500 or a stack trace; and serves again as
// soon as the database is back. The server reaches the test database through a TCP
// proxy that the test closes and opens. PostgreSQL only: a SQLite file cannot go away.
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startServer, type Server } from './global-setup';

const databaseUrl = inject('databaseUrl');
const token = inject('editorToken');

/** A TCP proxy to `target` that can stop accepting (connections refused) and resume. */
async function tcpProxy(target: { host: string; port: number }) {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(target.port, target.host);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => {});
    }
    client.pipe(upstream).pipe(client);
  });
  const listen = (port = 0) =>
    new Promise<number>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve((server.address() as net.AddressInfo).port));
    });
  const port = await listen();
  return {
    port,
    /** Drops every connection and refuses new ones. */
    cut: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      }),
    restore: () => listen(port),
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        if (server.listening) server.close(() => resolve());
        else resolve();
      }),
  };
}

const PAGES = ['/', '/indicators/population-density', '/sources/1', '/claims'];
const API = [
  '/api/indicators',
  '/api/indicators/population-density',
  '/api/series/1/observations',
  '/api/claims',
];
const DOWNLOADS = [
  '/api/export.csv',
  '/indicators/population-density/data.csv',
  '/indicators/population-density/data-full.csv',
  '/indicators/population-density/data.zip',
  '/indicators/population-density/metadata.json',
];

describe.skipIf(databaseUrl.startsWith('file:'))('a database that stops answering', () => {
  let proxy: Awaited<ReturnType<typeof tcpProxy>>;
  let server: Server;
  let dir: string;
  beforeAll(async () => {
    const url = new URL(databaseUrl);
    proxy = await tcpProxy({ host: url.hostname, port: Number(url.port || 5432) });
    url.host = `127.0.0.1:${proxy.port}`;
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sourced-unavailable-'));
    server = await startServer(dir, 'unavailable', { SOURCED_EDITOR_TOKEN: token }, url.href);
  });
  afterAll(async () => {
    await server?.stop();
    await proxy?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('answers 503 with Retry-After to every read while it is away, and 200 once it is back', async () => {
    const base = server.baseUrl;
    for (const p of [...PAGES, ...API, ...DOWNLOADS])
      expect((await fetch(`${base}${p}`)).status, `${p} before`).toBe(200);

    await proxy.cut();
    for (const p of [...API, ...DOWNLOADS]) {
      const res = await fetch(`${base}${p}`);
      expect(res.status, p).toBe(503);
      expect(res.headers.get('retry-after'), p).toBe('2');
      expect(await res.json(), p).toEqual({
        error: 'The database server cannot be reached right now. Try again shortly.',
      });
    }
    for (const p of PAGES) {
      const res = await fetch(`${base}${p}`);
      expect(res.status, p).toBe(503);
      expect(res.headers.get('retry-after'), p).toBe('2');
      const html = await res.text();
      expect(html, p).toContain('The database is not answering');
      expect(html, p).not.toMatch(/ECONNREFUSED|\n\s+at |node_modules/);
    }
    // The server noted the failures; it did not crash.
    expect(server.log()).not.toMatch(/uncaught|unhandled/i);

    await proxy.restore();
    for (const p of [...PAGES, ...API, ...DOWNLOADS])
      expect((await fetch(`${base}${p}`)).status, `${p} after`).toBe(200);
  });
});
