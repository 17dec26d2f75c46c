// The warm-up a production server runs as it starts (lib/web/warm-up.ts): which pages it
// asks for, in what order, and that it asks them of the process's own handlers through a
// loopback port it closes after, never through the port readers use.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

const LISTENING = Symbol.for('sourced.listening-servers');
const PRODUCTION = { NODE_ENV: 'production' } as NodeJS.ProcessEnv;

/** A stand-in for Next.js's server: answers the indicator list, records every path. */
function fakeNext(slugs: string[] | 'malformed') {
  const paths: string[] = [];
  const server = http.createServer((req, res) => {
    paths.push(req.url ?? '');
    if (req.url === '/api/indicators') {
      res.setHeader('content-type', 'application/json');
      res.end(
        slugs === 'malformed'
          ? '{"oops":'
          : JSON.stringify({ indicators: slugs.map((slug) => ({ slug })) }),
      );
    } else res.end('<html></html>');
  });
  let connections = 0;
  server.on('connection', () => (connections += 1));
  return { server, paths, connections: () => connections };
}

async function listen(server: http.Server): Promise<string> {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const listening = () => ((globalThis as Record<symbol, unknown[]>)[LISTENING] ??= []);
let opened: http.Server[] = [];

beforeEach(() => {
  vi.resetModules();
  vi.spyOn(console, 'log').mockImplementation(() => {});
  opened = [];
});
afterEach(async () => {
  vi.restoreAllMocks();
  listening().length = 0;
  await Promise.all(opened.map((s) => new Promise((r) => s.close(r))));
});

describe('warmUp', () => {
  it('asks for the overview, the claims, the list, then each indicator in the list’s order, at most 64', async () => {
    const { warmUp, WARM_UP_INDICATORS } = await import('../../lib/web/warm-up');
    const slugs = Array.from({ length: 70 }, (_, i) => `indicator-${i}`);
    const next = fakeNext([...slugs.slice(0, 1), 'a b/c', ...slugs.slice(1)]);
    opened.push(next.server);
    const result = await warmUp(await listen(next.server));
    expect(WARM_UP_INDICATORS).toBe(64);
    expect(next.paths.slice(0, 5)).toEqual([
      '/',
      '/claims',
      '/api/indicators',
      '/indicators/indicator-0',
      '/indicators/a%20b%2Fc',
    ]);
    expect(next.paths).toHaveLength(3 + 64);
    expect(next.paths.at(-1)).toBe('/indicators/indicator-62');
    expect(result.pages).toBe(67);
  });

  it('warms the entry pages alone when the indicator list is not what it expects', async () => {
    const { warmUp } = await import('../../lib/web/warm-up');
    const next = fakeNext('malformed');
    opened.push(next.server);
    expect((await warmUp(await listen(next.server))).pages).toBe(3);
    expect(next.paths).toEqual(['/', '/claims', '/api/indicators']);
  });
});

describe('warmUp within its time', () => {
  it('asks for no more indicator pages once its time is spent', async () => {
    const { warmUp } = await import('../../lib/web/warm-up');
    const paths: string[] = [];
    const slow = http.createServer((req, res) => {
      paths.push(req.url ?? '');
      if (req.url === '/api/indicators')
        res.end(JSON.stringify({ indicators: [1, 2, 3, 4, 5, 6].map((i) => ({ slug: `s${i}` })) }));
      else setTimeout(() => res.end('<html></html>'), 60);
    });
    opened.push(slow);
    const result = await warmUp(await listen(slow), 250);
    // '/' and '/claims' take 120 ms, then each indicator 60 ms: two or three fit in 250.
    expect(paths.length).toBeGreaterThan(3);
    expect(paths.length).toBeLessThan(3 + 6);
    expect(result.pages).toBe(paths.length);
  });
});

describe('startWarmUp', () => {
  it('sends the pages to the listening server’s handlers through a loopback port, then closes it', async () => {
    const { startWarmUp, isWarmUpServer } = await import('../../lib/web/warm-up');
    const next = fakeNext(['gdp', 'oil']);
    opened.push(next.server);
    await listen(next.server);
    listening().push(next.server);
    const loopbacks: http.Server[] = [];
    const listen0 = http.Server.prototype.listen;
    vi.spyOn(http.Server.prototype, 'listen').mockImplementation(function (
      this: http.Server,
      ...args: unknown[]
    ) {
      loopbacks.push(this);
      return listen0.apply(this, args as Parameters<typeof listen0>);
    });

    const result = await startWarmUp(PRODUCTION);

    expect(result?.pages).toBe(5);
    expect(next.paths).toEqual([
      '/',
      '/claims',
      '/api/indicators',
      '/indicators/gdp',
      '/indicators/oil',
    ]);
    // Not one connection on the readers' port: in a cluster it could reach another process.
    expect(next.connections()).toBe(0);
    expect(loopbacks).toHaveLength(1);
    expect(isWarmUpServer(loopbacks[0]!)).toBe(true);
    expect(isWarmUpServer(next.server)).toBe(false);
    expect(loopbacks[0]!.listening).toBe(false);
    // Once per process.
    expect(await startWarmUp(PRODUCTION)).toBeNull();
  });

  it('does nothing without a listening server, in development, or with SOURCED_WARM_UP=0', async () => {
    const { startWarmUp, warmUpEnabled } = await import('../../lib/web/warm-up');
    expect(await startWarmUp(PRODUCTION)).toBeNull();
    expect(warmUpEnabled(PRODUCTION)).toBe(true);
    expect(warmUpEnabled({ ...PRODUCTION, SOURCED_WARM_UP: '0' })).toBe(false);
    expect(warmUpEnabled({ NODE_ENV: 'development' } as NodeJS.ProcessEnv)).toBe(false);
    const next = fakeNext(['gdp']);
    opened.push(next.server);
    await listen(next.server);
    listening().push(next.server);
    expect(await startWarmUp({ ...PRODUCTION, SOURCED_WARM_UP: '0' })).toBeNull();
    expect(next.paths).toEqual([]);
  });
});
