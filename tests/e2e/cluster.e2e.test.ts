// `npm start` runs one server process per core (scripts/server-count.mjs): the processes
// of such a cluster keep one count of wrong editor tokens per address between them
// (lib/web/login-throttle.ts through scripts/cluster.mjs), so two processes give a
// guesser the tries one gives, not twice as many.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_THROTTLE } from '@/lib/web/login-throttle';
import { startServer } from './global-setup';

let dir: string;
let server: Awaited<ReturnType<typeof startServer>>;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sourced-cluster-'));
  const token = randomBytes(24).toString('base64url');
  server = await startServer(dir, 'cluster', { SOURCED_EDITOR_TOKEN: token }, undefined, 2);
}, 120_000);

afterAll(async () => {
  await server?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** A write with a wrong token, on a connection of its own (the cluster deals them round). */
function wrongToken(base: string): Promise<number> {
  const url = new URL('/api/series/1/archive', base);
  return new Promise((resolve, reject) => {
    http
      .request(
        {
          method: 'POST',
          host: url.hostname,
          port: url.port,
          path: url.pathname,
          agent: false,
          headers: { authorization: 'Bearer not-the-token-0123456789', origin: base },
        },
        (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode!));
        },
      )
      .on('error', reject)
      .end();
  });
}

describe('a cluster of two server processes', () => {
  it('throttles wrong tokens from one address as one process does', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < DEFAULT_THROTTLE.freeFailures + 4; i++) {
      statuses.push(await wrongToken(server.baseUrl));
      // Each process hears of the other's failure within a few milliseconds.
      await new Promise((r) => setTimeout(r, 50));
    }
    // The free tries and the one that starts the wait are refused as wrong; then every
    // process makes the address wait.
    expect(statuses).toEqual([
      ...Array(DEFAULT_THROTTLE.freeFailures + 1).fill(401),
      429,
      429,
      429,
    ]);
  });
});
