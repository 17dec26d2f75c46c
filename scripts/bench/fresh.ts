// The fresh install under load (`npm run bench -- --only fresh`): the article and the
// shipped outcomes as `npm start` loads them, served by the production server, 10
// concurrent clients, each request a new pick of indicator, transform, axis and range.
// Issue #24 asks the fresh install's indicator page for p50 ≤ 100 ms under 10 clients.
// Three rows for it: each indicator's page as a link opens it (the page cache answers a
// page seen before at this data version), random picks of transform, axis and range
// (most of them new), and every URL new (each one rendered), beside the floor of the
// same run (a static script of the build).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  ARTICLE_INDICATORS,
  OPERAND_INDICATORS,
} from '../../lib/article/eurasia-daily-monitor-2004';
import { TRANSFORMS } from '../../lib/domain/transform';
import { freshInstall, mulberry32 } from './lib';
import {
  cpu,
  load,
  serverProcesses,
  sizes,
  staticScriptOf,
  startServer,
  type ScaleRow,
} from './scale';
import { nextPath, type PathSource } from './selections';
import { freePort } from '../server-process';

export const FRESH_TARGET_P50_MS = 100;

/** Every indicator a fresh install has a page for. */
const SLUGS = [...ARTICLE_INDICATORS, ...OPERAND_INDICATORS].map((i) => i.slug);

/** A row as the scale bench prints it. */
export type FreshRow = ScaleRow;

export type FreshResult = { floor: FreshRow | null; rows: FreshRow[] };

/** An indicator page with a random transform, axis and range; `unique` makes each URL new. */
function indicatorPicks(seed: number, unique: boolean): () => string {
  const random = mulberry32(seed);
  const one = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
  let visit = 0;
  return () => {
    const params = new URLSearchParams();
    const transform = one(TRANSFORMS);
    if (transform !== 'absolute') params.set('transform', transform);
    if (random() < 0.3) params.set('scale', 'log');
    if (random() < 0.5) {
      const from = 1990 + Math.floor(random() * 25);
      params.set('from', String(from));
      params.set('to', String(from + 5 + Math.floor(random() * 10)));
    }
    if (unique) params.set('visit', String(++visit));
    const query = params.toString();
    return `/indicators/${one(SLUGS)}${query ? `?${query}` : ''}`;
  };
}

/** An indicator's page as a link opens it, the indicator drawn at random. */
function defaultViews(seed: number): () => string {
  const random = mulberry32(seed);
  return () => `/indicators/${SLUGS[Math.floor(random() * SLUGS.length)]!}`;
}

export async function runFreshBench(options: {
  requests: number;
  log: (line: string) => void;
}): Promise<FreshResult> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sourced-fresh-'));
  try {
    const url = await freshInstall(`file:${path.join(dir, 'fresh.db')}`);
    const port = await freePort();
    const server = await startServer(url, port);
    const base = `http://127.0.0.1:${port}`;
    try {
      const measure = async (name: string, p: PathSource): Promise<FreshRow> => {
        const first = nextPath(p);
        const size = await sizes(base, first);
        const l = await load(base, p, options.requests, server.pid);
        options.log(
          `  ${name}: ${size.status}, p50 ${l.p50} ms, p99 ${l.p99} ms, CPU ${cpu(l.cpuMs)}`,
        );
        return { name, path: first, ...size, ...l };
      };
      const floorPath = await staticScriptOf(base);
      const floor = floorPath ? await measure('floor: a static script', floorPath) : null;
      const rows = [
        await measure('overview', '/'),
        await measure('claims', '/claims'),
        await measure('indicator (default view, random indicator)', defaultViews(6)),
        await measure('indicator (random picks)', indicatorPicks(7, false)),
        await measure('indicator (random picks, every URL new)', indicatorPicks(8, true)),
        await measure('API indicator (random picks)', () =>
          indicatorPicks(9, false)().replace('/indicators/', '/api/indicators/'),
        ),
      ];
      return { floor, rows };
    } finally {
      server.kill();
      await new Promise((r) => server.once('exit', r));
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export function freshMisses(r: FreshResult): string[] {
  return r.rows.flatMap((row) => {
    const misses: string[] = [];
    if (row.status !== 200 || row.errors > 0)
      misses.push(`fresh ${row.name}: status ${row.status}, ${row.errors} errors`);
    if (row.name.startsWith('indicator') && row.p50 > FRESH_TARGET_P50_MS)
      misses.push(`fresh ${row.name}: p50 ${row.p50} ms`);
    return misses;
  });
}

export function printFreshBench(r: FreshResult, print: (line: string) => void) {
  print('');
  print(
    `Fresh install (the article and its outcomes); production server (${serverProcesses()}), 10 concurrent clients`,
  );
  print('| request | status | p50 | p99 | server CPU per request | requests | gzip |');
  print('|---|---|---|---|---|---|---|');
  for (const row of r.floor ? [r.floor, ...r.rows] : r.rows)
    print(
      `| ${row.name} | ${row.status} | ${row.p50} ms | ${row.p99} ms | ${cpu(row.cpuMs)} | ${row.requests} | ${(row.gzipBytes / 1024).toFixed(0)} KB |`,
    );
  const misses = freshMisses(r);
  print(
    misses.length
      ? `Missed: ${misses.join('; ')}`
      : `Fresh install: every indicator row at p50 ≤ ${FRESH_TARGET_P50_MS} ms.`,
  );
}
