// An app server whose PostgreSQL stops answering (the network to it cut, the server
// stopped) answers every read, pages, the read API and downloads alike, with 503 and
// Retry-After and a plain message, never a 500 or a stack trace; and serves again as
// soon as the database is back. The server reaches the test database through a TCP
// proxy that the test closes and opens. PostgreSQL only: a SQLite file cannot go away.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchBrowser } from './browser';
import { startServer, type Server } from './global-setup';

const databaseUrl = inject('databaseUrl');
const token = inject('editorToken');

/** A TCP proxy to `target` in a child process (tests/support/tcp-proxy.mjs). */
async function tcpProxy(target: { host: string; port: number }) {
  const child = spawn(
    process.execPath,
    [
      path.join(import.meta.dirname, '..', 'support', 'tcp-proxy.mjs'),
      target.host,
      String(target.port),
    ],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const lines = readline.createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  const next = async () => {
    const line = await lines.next();
    if (line.done) throw new Error('the proxy exited');
    return line.value;
  };
  const port = Number((await next()).replace('listening ', ''));
  const send = async (command: string) => {
    child.stdin!.write(`${command}\n`);
    expect(await next()).toBe(`ok ${command}`);
  };
  return {
    port,
    /** Drops every connection and refuses new ones. */
    cut: () => send('cut'),
    restore: () => send('restore'),
    close: async () => {
      child.stdin!.end();
      if (child.exitCode === null) await new Promise((r) => child.once('exit', r));
    },
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
    const ok = async (p: string) => {
      const res = await fetch(`${base}${p}`);
      await res.arrayBuffer();
      return res.status;
    };
    for (const p of [...PAGES, ...API, ...DOWNLOADS]) expect(await ok(p), `${p} before`).toBe(200);

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
      expect(await res.text(), p).not.toMatch(/ECONNREFUSED|\n\s+at |node_modules/);
    }
    // In a browser the error page says what happened (Next.js hands it the digest).
    const browser = await launchBrowser();
    try {
      const page = await browser.newPage();
      const res = await page.goto(`${base}/indicators/population-density`);
      expect(res?.status()).toBe(503);
      await expect
        .poll(() => page.locator('h1').textContent())
        .toBe('The database is not answering');
      expect(await page.locator('main').textContent()).toContain('Nothing was changed');
    } finally {
      await browser.close();
    }
    // The server noted the failures; it did not crash.
    expect(server.log()).not.toMatch(/uncaught|unhandled/i);

    await proxy.restore();
    for (const p of [...PAGES, ...API, ...DOWNLOADS]) expect(await ok(p), `${p} after`).toBe(200);
  });
});
