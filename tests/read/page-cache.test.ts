// The page cache (lib/read/page-cache.ts): a page seen before is sent from memory with a
// fresh nonce, compressed or not as asked, until the data version moves; editors,
// client navigations and answers that are not plain pages are never kept.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import zlib from 'node:zlib';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import crypto from 'node:crypto';
import {
  crc32Combine,
  gzipBody,
  plainBody,
  splitAtNonce,
  storedBytes,
} from '../../lib/read/nonce-gzip';
import { pageKey, servePage, storablePage } from '../../lib/read/page-cache';

describe('a body split at its nonce', () => {
  const html = Buffer.from(
    `<html><script nonce="OLDNONCE0123456789abcd==">a()</script>${'<p>é text</p>'.repeat(500)}<script nonce="OLDNONCE0123456789abcd==">b()</script></html>`,
  );
  const body = splitAtNonce(html, 'OLDNONCE0123456789abcd==');

  it('comes back with the new nonce in every place, plain and gzipped', () => {
    const expected = html.toString().replaceAll('OLDNONCE0123456789abcd==', 'NEW+nonce/xyz');
    expect(body.lengths).toHaveLength(3);
    expect(plainBody(body, 'NEW+nonce/xyz').toString()).toBe(expected);
    const gz = gzipBody(body, 'NEW+nonce/xyz');
    expect(zlib.gunzipSync(gz).toString()).toBe(expected);
    // Compressed, not merely wrapped: the repeated text shrinks to a fraction.
    expect(gz.length).toBeLessThan(html.length / 10);
  });

  it('keeps the pieces compressed, not the text', () => {
    expect(storedBytes(body)).toBeLessThan(html.length / 10);
  });

  it('checks out as gzip whatever the nonce’s length and the pieces’ (CRC and size)', () => {
    // gunzip verifies the trailer's CRC-32 and length against what it inflated.
    const page = Buffer.from(`<a n="N">${'x'.repeat(70_000)}<b n="N">é</b><c n="N"></c>N`);
    const split = splitAtNonce(page, 'N');
    for (const nonce of ['', 'q', crypto.randomBytes(16).toString('base64'), 'z'.repeat(1000)]) {
      const expected = page.toString().replaceAll('N', nonce);
      expect(zlib.gunzipSync(gzipBody(split, nonce)).toString()).toBe(expected);
    }
  });

  it('without a nonce is one part', () => {
    const one = splitAtNonce(Buffer.from('plain'), 'absent');
    expect(zlib.gunzipSync(gzipBody(one, 'x')).toString()).toBe('plain');
  });
});

describe('crc32Combine', () => {
  it('gives the CRC-32 of two byte strings end to end from theirs', () => {
    for (const [a, b] of [
      [0, 0],
      [5, 0],
      [0, 7],
      [1, 1],
      [3, 4096],
      [100_000, 65_537],
      [17, 1_000_003],
    ] as const) {
      const x = crypto.randomBytes(a);
      const y = crypto.randomBytes(b);
      const whole = zlib.crc32(Buffer.concat([x, y]));
      expect(crc32Combine(zlib.crc32(x), zlib.crc32(y), b)).toBe(whole);
    }
  });
});

describe('which requests are kept', () => {
  const req = (url: string, headers: Record<string, string> = {}, method = 'GET') =>
    ({ method, url, headers: { host: 'example.org', ...headers } }) as never;
  const reader = () => false;

  it('keeps readers’ plain loads of the read pages, per host, day and URL', () => {
    const key = pageKey(req('/indicators/gdp?series=1'), reader, '2026-01-01');
    expect(key).not.toBeNull();
    expect(pageKey(req('/indicators/gdp?series=1'), reader, '2026-01-02')).not.toBe(key);
    expect(
      pageKey(req('/indicators/gdp?series=1', { host: 'other.org' }), reader, '2026-01-01'),
    ).not.toBe(key);
    expect(pageKey(req('/indicators/gdp?series=2'), reader, '2026-01-01')).not.toBe(key);
    for (const url of ['/', '/claims', '/sources/3', '/embed/indicators/gdp'])
      expect(pageKey(req(url), reader)).not.toBeNull();
  });

  it('never keeps an editor’s page, a navigation, a post, a form page or an API answer', () => {
    expect(pageKey(req('/indicators/gdp'), () => true)).toBeNull();
    expect(pageKey(req('/indicators/gdp', { rsc: '1' }), reader)).toBeNull();
    expect(pageKey(req('/indicators/gdp?_rsc=abc'), reader)).toBeNull();
    expect(pageKey(req('/indicators/gdp', {}, 'POST'), reader)).toBeNull();
    for (const url of ['/login', '/data/new', '/api/indicators', '/indicators/gdp/data.csv'])
      expect(pageKey(req(url), reader)).toBeNull();
  });

  it('keeps only a 200 HTML answer with a nonce and no cookie', () => {
    const headers = {
      'content-type': 'text/html; charset=utf-8',
      'content-security-policy': "script-src 'nonce-AAAAAAAAAAAAAAAAAAAAAA==' 'strict-dynamic'",
    };
    const body = Buffer.from('<script nonce="AAAAAAAAAAAAAAAAAAAAAA=="></script>');
    expect(storablePage(200, headers, body)).not.toBeNull();
    expect(storablePage(404, headers, body)).toBeNull();
    expect(storablePage(200, { ...headers, 'set-cookie': 'a=b' }, body)).toBeNull();
    expect(storablePage(200, { ...headers, 'content-type': 'application/json' }, body)).toBeNull();
    expect(storablePage(200, { 'content-type': 'text/html' }, body)).toBeNull();
  });
});

describe('a server in front of the page cache', () => {
  let server: http.Server;
  let base = '';
  let version = 1;
  let renders = 0;
  let status = 200;
  const state = globalThis as { sourcedReadStore?: unknown };

  beforeAll(async () => {
    state.sourcedReadStore = { dataVersion: async () => version };
    server = http.createServer((req, res) => {
      const render = () => {
        renders++;
        const nonce = `N${String(renders).padStart(23, '0')}`;
        res.setHeader('Content-Type', 'text/html; charset=utf-8');
        res.setHeader('Content-Security-Policy', `script-src 'nonce-${nonce}'`);
        // Streamed in pieces, as React writes a page.
        setTimeout(() => {
          res.writeHead(status);
          res.write(
            `<script nonce="${nonce}">render(${renders}, ${JSON.stringify(req.url)})</script>`,
          );
          res.end('<p>done</p>');
        }, 20);
      };
      if (!servePage(req, res, () => req.headers.authorization === 'editor', render)) render();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    delete state.sourcedReadStore;
    await new Promise((r) => server.close(r));
  });
  beforeEach(() => {
    version++;
    renders = 0;
    status = 200;
  });

  const get = async (path: string, headers: Record<string, string> = {}) => {
    const res = await fetch(base + path, { headers });
    const text = await res.text();
    const policy = res.headers.get('content-security-policy') ?? '';
    const nonce = /'nonce-([^']+)'/.exec(policy)?.[1];
    return { res, text, nonce };
  };

  it('renders a page once and sends it again with a fresh nonce in header and body', async () => {
    const a = await get('/indicators/gdp?series=1');
    const b = await get('/indicators/gdp?series=1');
    expect(renders).toBe(1);
    expect(a.text).toContain('render(1, "/indicators/gdp?series=1")');
    expect(b.text).toBe(a.text.replaceAll(a.nonce!, b.nonce!));
    expect(a.nonce).not.toBe(b.nonce);
    expect(b.text).toContain(`nonce="${b.nonce}"`);
    expect(b.res.headers.get('content-encoding')).toBe('gzip');
  });

  it('renders ten concurrent requests for one page once', async () => {
    const all = await Promise.all(Array.from({ length: 10 }, () => get('/claims')));
    expect(renders).toBe(1);
    expect(new Set(all.map((r) => r.nonce)).size).toBe(10);
  });

  it('renders again once the data version moves', async () => {
    await get('/claims');
    version++;
    const after = await get('/claims');
    expect(renders).toBe(2);
    expect(after.text).toContain('render(2');
  });

  it('sends an editor, and an answer that is not a page, straight from the server', async () => {
    await get('/claims', { authorization: 'editor' });
    await get('/claims', { authorization: 'editor' });
    expect(renders).toBe(2);
    status = 404;
    const missing = await get('/indicators/none');
    await get('/indicators/none');
    expect(missing.res.status).toBe(404);
    expect(missing.text).toContain('render(3');
    expect(renders).toBe(4);
  });

  it('sends the plain page to a client that does not take gzip', async () => {
    await get('/');
    const plain = await new Promise<{ encoding?: string; text: string }>((resolve, reject) =>
      http
        .get(base + '/', { headers: { 'accept-encoding': 'identity' } }, (res) => {
          let text = '';
          res.on('data', (c: Buffer) => (text += c.toString()));
          res.on('end', () => resolve({ encoding: res.headers['content-encoding'], text }));
        })
        .on('error', reject),
    );
    expect(plain.encoding).toBeUndefined();
    expect(plain.text).toContain('render(1, "/")');
    expect(renders).toBe(1);
  });
});
