// Each server process renders its readers' entry pages once, as soon as it listens.
//
// A process's first render of a route costs about a second of CPU (Next.js and React
// compile and initialise what the route needs), and the first view of each indicator
// reads what every view of it shares (its series list, scorecard and derived lines: the
// CATALOG shelf of lib/read/cache.ts). Without a warm-up the first readers after every
// start pay for that: 1.8 and 2.9 s for the first page of each of two processes on the
// 10M bench database, against 10–30 ms for the same page once warm.
//
// The pages are asked of the process itself, through a loopback port of its own: in a
// cluster (scripts/cluster.mjs) the shared port hands a connection to any process, so a
// request sent there could warm another one. They go straight to Next.js, past the
// request gate's checks and page cache (only their CSP nonce is set, as a reader's is),
// so the page cache keeps no page for a host no reader uses. One page at a
// time: readers who come meanwhile wait behind one render at most, not a burst.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';

/** Indicator pages warmed, in the API's order (the overview's): the rest warm as read. */
export const WARM_UP_INDICATORS = 64;
/** A warm-up asks for no page past this: on a very large database the rest warm as read. */
export const WARM_UP_BUDGET_MS = 120_000;
/** A page unanswered after this fails the warm-up (logged): something is wrong. */
const PAGE_TIMEOUT_MS = 30_000;

const loopbacks = new WeakSet<http.Server>();
let started = false;

/** Whether `server` is a warm-up's own loopback server, whose requests the gate only gives a nonce. */
export function isWarmUpServer(server: http.Server): boolean {
  return loopbacks.has(server);
}

/**
 * Whether this process warms up at start: yes unless SOURCED_WARM_UP=0, or it is a
 * development server (`next dev` compiles each route when first asked, which a warm-up
 * would only slow). Not "production only": `next start` keeps a NODE_ENV it is given.
 */
export function warmUpEnabled(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.NODE_ENV !== 'development' && env.SOURCED_WARM_UP !== '0';
}

/**
 * The server Next.js listens on, as scripts/listening-servers.mjs remembered it: the first
 * with a TCP address. Null when the process was started without that preload (`next start`
 * by hand): it then warms as readers come.
 */
function nextServer(): http.Server | null {
  const servers = (globalThis as Record<symbol, http.Server[] | undefined>)[
    Symbol.for('sourced.listening-servers')
  ];
  return (
    servers?.find((s) => !loopbacks.has(s) && typeof s.address() === 'object' && s.address()) ??
    null
  );
}

export type WarmUpResult = { pages: number; ms: number };

/**
 * Starts this process's warm-up, once, when it was started with the preload; resolves when
 * it has finished and its loopback port is closed (null when there is none to run). It logs
 * one line, "Warmed up N pages in X s", which the benches and browser tests wait for.
 */
export function startWarmUp(env: NodeJS.ProcessEnv = process.env): Promise<WarmUpResult | null> {
  const server = started || !warmUpEnabled(env) ? null : nextServer();
  if (!server) return Promise.resolve(null);
  started = true;
  return new Promise((resolve) => {
    const loopback = openLoopback(server);
    loopback.listen({ port: 0, host: '127.0.0.1', exclusive: true }, () => {
      const base = `http://127.0.0.1:${(loopback.address() as AddressInfo).port}`;
      warmUp(base)
        .then((result) => {
          console.log(`Warmed up ${result.pages} pages in ${(result.ms / 1000).toFixed(1)} s`);
          return result;
        })
        .catch((error: unknown) => {
          console.error('warm-up:', (error as Error).message);
          return null;
        })
        .then((result) => {
          loopback.closeAllConnections();
          loopback.close(() => resolve(result));
        });
    });
  });
}

/**
 * A server of this process alone that hands each request to Next.js's own handlers: past
 * the request gate, which wraps the listening server's emit, not its listeners. `exclusive`:
 * in a cluster worker, a port of its own, not one the primary shares among the workers.
 */
function openLoopback(server: http.Server): http.Server {
  const loopback = http.createServer((req, res) => {
    for (const listener of server.listeners('request')) listener.call(server, req, res);
  });
  loopbacks.add(loopback);
  loopback.on('error', (error) => console.error('warm-up:', error.message));
  return loopback;
}

const indicatorList = z.object({ indicators: z.array(z.object({ slug: z.string() })) });

/**
 * The pages a reader lands on: the overview, the claims, then each indicator's default view,
 * until `budgetMs` is spent.
 */
export async function warmUp(base: string, budgetMs = WARM_UP_BUDGET_MS): Promise<WarmUpResult> {
  const t0 = performance.now();
  const left = () => budgetMs - (performance.now() - t0);
  let pages = 0;
  const get = async (path: string) => {
    const response = await fetch(base + path, {
      signal: AbortSignal.timeout(PAGE_TIMEOUT_MS),
    });
    pages += 1;
    return response;
  };
  for (const path of ['/', '/claims']) await (await get(path)).arrayBuffer();
  const list = indicatorList.safeParse(
    await (await get('/api/indicators')).json().catch(() => null),
  );
  const slugs = list.success ? list.data.indicators.map((i) => i.slug) : [];
  for (const slug of slugs.slice(0, WARM_UP_INDICATORS)) {
    if (left() <= 0) break;
    await (await get(`/indicators/${encodeURIComponent(slug)}`)).arrayBuffer();
  }
  return { pages, ms: performance.now() - t0 };
}
