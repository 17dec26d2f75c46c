import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkBody, dropUntrustedForwarding, installRequestGate } from '@/lib/web/request-gate';
import { SESSION_COOKIE, newSessionId, sessionValue } from '@/lib/web/session';

const TOKEN = 'gate-test-editor-token-0123456789';
const post = (url: string, length: number | null, headers: Record<string, string> = {}) => ({
  method: 'POST',
  url,
  headers: {
    ...(length === null
      ? { 'transfer-encoding': 'chunked' }
      : { 'content-length': String(length) }),
    ...headers,
  },
});
// The limits as the README promises them, written out rather than read from the
// module, so that a changed limit fails here.
const ANONYMOUS_BODY_LIMIT = 65_536; // 64 KB
const EDITOR_ACTION_BODY_LIMIT = 1_048_576; // 1 MB
const DRAIN_LIMIT = 1_048_576; // 1 MB
const stranger = () => false;
const editor = () => true;

describe('checkBody', () => {
  it('holds strangers to a small body everywhere', () => {
    expect(checkBody(post('/login', 2000), stranger)).toBeNull();
    expect(checkBody(post('/login', ANONYMOUS_BODY_LIMIT), stranger)).toBeNull();
    for (const url of ['/login', '/data/new', '/indicators/x', '/api/imports', '/api/../login'])
      expect(checkBody(post(url, ANONYMOUS_BODY_LIMIT + 1), stranger)).toMatchObject({
        status: 413,
        error:
          'The request body is larger than 64 KB. Uploading data needs the editor token: log in first.',
      });
    // Without a length the size is unknown until it has been read.
    expect(checkBody(post('/login', null), stranger)).toMatchObject({ status: 411 });
  });

  it('gives the upload limit only to the API; the Add data form’s action gets an editor’s action limit', () => {
    const big = 40 * 1024 * 1024;
    expect(checkBody(post('/api/imports', big), editor)).toBeNull();
    expect(checkBody(post('/api/imports/form', big), editor)).toBeNull();
    expect(checkBody(post('/data/new', EDITOR_ACTION_BODY_LIMIT), editor)).toBeNull();
    // A browser without JavaScript posting a file to the form's action: told what to do.
    expect(checkBody(post('/data/new?indicator=x', big), editor)).toMatchObject({
      status: 413,
      error:
        'The request body is larger than 1 MB: the Add data page sends files with its script. Turn JavaScript on, or send the file to POST /api/imports.',
    });
    expect(checkBody(post('/indicators/oil', EDITOR_ACTION_BODY_LIMIT), editor)).toBeNull();
    expect(checkBody(post('/indicators/oil', EDITOR_ACTION_BODY_LIMIT + 1), editor)).toMatchObject({
      status: 413,
      error:
        'The request body is larger than 1 MB; files are uploaded on the Add data page or through the API.',
    });
    expect(checkBody(post('/login', big), editor)).toMatchObject({ status: 413 });
  });

  it('lets the editor’s document form carry a 20 MB file, and no more', () => {
    const twentyMb = 20 * 1024 * 1024;
    expect(checkBody(post('/sources/new', twentyMb + 64 * 1024), editor)).toBeNull();
    expect(checkBody(post('/sources/new', 21 * 1024 * 1024 + 1), editor)).toMatchObject({
      status: 413,
      error:
        'The request body is larger than 21 MB; files are uploaded on the Add data page or through the API.',
    });
    expect(checkBody(post('/sources/new', twentyMb), stranger)).toMatchObject({ status: 413 });
  });

  it('never looks at requests without a body', () => {
    expect(checkBody({ method: 'GET', url: '/', headers: {} }, stranger)).toBeNull();
    expect(checkBody(post('/login', 0), stranger)).toBeNull();
    expect(checkBody({ method: 'POST', url: '/login', headers: {} }, stranger)).toBeNull();
  });

  it('knows the editor by the session cookie or the Bearer token, and nothing else', () => {
    const saved = process.env.SOURCED_EDITOR_TOKEN;
    process.env.SOURCED_EDITOR_TOKEN = TOKEN;
    try {
      const big = 10 * 1024 * 1024;
      expect(checkBody(post('/api/imports', big))).toMatchObject({ status: 413 });
      const cookie = { cookie: `${SESSION_COOKIE}=${sessionValue(TOKEN, newSessionId())}` };
      expect(checkBody(post('/api/imports', big, cookie))).toBeNull();
      expect(checkBody(post('/api/imports', big, { cookie: `${SESSION_COOKIE}=x` }))).toMatchObject(
        { status: 413 },
      );
      // The old cookie (an HMAC without a session id) is a stranger's now.
      const old = { cookie: `${SESSION_COOKIE}=${cookie.cookie.split('.')[1]}` };
      expect(checkBody(post('/api/imports', big, old))).toMatchObject({ status: 413 });
      expect(checkBody(post('/api/series', big, { authorization: `Bearer ${TOKEN}` }))).toBeNull();
      expect(
        checkBody(post('/api/series', big, { authorization: 'Bearer wrong-token' })),
      ).toMatchObject({ status: 413 });
    } finally {
      if (saved === undefined) delete process.env.SOURCED_EDITOR_TOKEN;
      else process.env.SOURCED_EDITOR_TOKEN = saved;
    }
  });
});

describe('dropUntrustedForwarding', () => {
  it('removes the forwarding headers a client wrote, unless a proxy is trusted', () => {
    const headers = () => ({
      host: 'localhost:3000',
      'x-forwarded-for': '1.2.3.4',
      'x-forwarded-host': 'evil.example',
      'x-forwarded-proto': 'https',
      forwarded: 'for=1.2.3.4',
      'x-real-ip': '1.2.3.4',
    });
    const untrusted: Record<string, string> = headers();
    dropUntrustedForwarding(untrusted, 0);
    expect(untrusted).toEqual({ host: 'localhost:3000' });
    const trusted: Record<string, string> = headers();
    dropUntrustedForwarding(trusted, 1);
    expect(trusted).toEqual(headers());
  });
});

describe('the gate in front of an HTTP server', () => {
  let server: http.Server;
  let port: number;
  const seen: { url?: string; xff?: string | string[] }[] = [];
  beforeAll(async () => {
    installRequestGate();
    server = http.createServer((req, res) => {
      seen.push({ url: req.url, xff: req.headers['x-forwarded-for'] });
      req.resume();
      req.on('end', () => res.end('handled'));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('answers 413 from the headers alone, before any of the 50 MB body is sent', async () => {
    const socket = net.connect(port, '127.0.0.1');
    let answer = '';
    // Headers only: if the server waited for the body, no answer would ever come.
    const answered = new Promise<void>((resolve) =>
      socket.on('data', (d) => {
        answer += d;
        if (answer.includes('}')) resolve();
      }),
    );
    socket.write(
      `POST /login HTTP/1.1\r\nHost: localhost\r\nContent-Type: multipart/form-data; boundary=x\r\nContent-Length: ${50 * 1024 * 1024}\r\n\r\n`,
    );
    await answered;
    socket.destroy();
    expect(answer).toMatch(/^HTTP\/1\.1 413 /);
    expect(answer).toContain('"error":"The request body is larger than 64 KB.');
    expect(seen.filter((s) => s.url === '/login')).toEqual([]);
  });

  it('reads at most about 1 MB of a refused body, then cuts the connection', async () => {
    const socket = net.connect(port, '127.0.0.1');
    let answer = '';
    let sent = 0;
    socket.on('data', (d) => (answer += d));
    socket.on('error', () => {});
    const size = 64 * 1024 * 1024;
    socket.write(`POST /login HTTP/1.1\r\nHost: localhost\r\nContent-Length: ${size}\r\n\r\n`);
    const chunk = Buffer.alloc(64 * 1024);
    await new Promise<void>((resolve) => {
      socket.on('close', () => resolve());
      const pump = () => {
        while (sent < size && !socket.destroyed) {
          sent += chunk.length;
          if (!socket.write(chunk)) return void socket.once('drain', pump);
        }
      };
      pump();
    });
    expect(answer).toMatch(/^HTTP\/1\.1 413 /);
    // DRAIN_LIMIT read by the server, plus what the two sockets' buffers hold.
    expect(sent).toBeLessThan(DRAIN_LIMIT + 16 * 1024 * 1024);
  });

  it('passes other requests on, without the client’s own X-Forwarded-For', async () => {
    const res = await fetch(`http://127.0.0.1:${port}/ok`, {
      method: 'POST',
      body: 'small',
      headers: { 'x-forwarded-for': '6.6.6.6' },
    });
    expect(await res.text()).toBe('handled');
    expect(seen.at(-1)).toEqual({ url: '/ok', xff: undefined });
  });
});
