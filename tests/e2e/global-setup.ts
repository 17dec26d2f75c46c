import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { SERVER_ENV, SERVER_NODE_FLAGS } from '../../scripts/server-flags.mjs';
import { freePort, setUpDatabase, warmedUp } from '../../scripts/server-process';

const root = path.resolve(import.meta.dirname, '..', '..');
const nextBin = path.join(root, 'node_modules', 'next', 'dist', 'bin', 'next');

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string;
    /** A second server on the same database as baseUrl: several app servers, one site. */
    secondUrl: string;
    databaseUrl: string;
    pristineUrl: string;
    editorToken: string;
  }
}

/** With TEST_DATABASE (a PostgreSQL server URL), every server runs on a fresh database there. */
const testServer = process.env.TEST_DATABASE?.trim() || null;

async function waitFor(url: string, server: ChildProcess, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`The server exited with code ${server.exitCode}`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`The server did not answer ${url} within ${timeoutMs} ms`);
}

export type Server = {
  baseUrl: string;
  databaseUrl: string;
  /** The server process, for tests that measure it. */
  pid: number;
  /** Everything the server printed so far. */
  log: () => string;
  stop: () => Promise<void>;
};

/** A fresh database for a server: a file in `dir`, or a database on the test server. */
async function freshDatabase(dir: string, name: string) {
  if (!testServer) return { url: `file:${path.join(dir, `${name}.db`)}`, drop: async () => {} };
  const { createScratchDatabase } = await import('../../lib/store/postgres-admin');
  return createScratchDatabase(testServer, `sourced_e2e_${name}`);
}

/**
 * A production server on a database (migrated, with the article loaded): a fresh one,
 * or `existing`, the database of another server.
 */
export async function startServer(
  dir: string,
  name: string,
  extraEnv: Record<string, string>,
  existing?: string,
  /** Server processes on the port, as `npm start` runs one per core (scripts/serve-cluster.mjs). */
  servers = 1,
): Promise<Server> {
  const fresh = existing ? null : await freshDatabase(dir, name);
  const databaseUrl = existing ?? fresh!.url;
  const env = {
    ...process.env,
    ...extraEnv,
    DATABASE_URL: databaseUrl,
    NEXT_TELEMETRY_DISABLED: '1',
  };
  const prepared = setUpDatabase(env);
  if (prepared !== null) throw new Error(`Preparing the ${name} database failed:\n${prepared}`);
  const port = await freePort();
  const server = spawn(
    process.execPath,
    [
      ...SERVER_NODE_FLAGS,
      ...(servers > 1
        ? [path.join(root, 'scripts', 'serve-cluster.mjs'), String(servers)]
        : [nextBin]),
      'start',
      '-p',
      String(port),
      '-H',
      '127.0.0.1',
    ],
    {
      cwd: root,
      env: { ...SERVER_ENV, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let log = '';
  server.stdout?.on('data', (d) => (log += d));
  server.stderr?.on('data', (d) => (log += d));
  // A server that dies mid-run fails every later test with ECONNREFUSED: say why once.
  let stopping = false;
  server.once('exit', (code, signal) => {
    if (!stopping)
      console.error(
        `\nThe ${name} server exited during the tests (code ${code}, signal ${signal}):\n${log}`,
      );
  });
  const baseUrl = `http://127.0.0.1:${port}`;
  try {
    await waitFor(`${baseUrl}/api/indicators`, server, 60_000);
    if ((env as NodeJS.ProcessEnv).SOURCED_WARM_UP !== '0') await warmedUp(() => log, servers);
  } catch (error) {
    stopping = true;
    server.kill();
    throw new Error(`${(error as Error).message}\n${log}`);
  }
  return {
    baseUrl,
    databaseUrl,
    pid: server.pid!,
    log: () => log,
    stop: async () => {
      stopping = true;
      if (server.exitCode === null && server.signalCode === null) {
        server.kill('SIGTERM');
        await new Promise((r) => server.once('exit', r));
        if (process.env.SOURCED_E2E_SERVER_LOG) console.log(`${name} server:\n${log}`);
      }
      await fresh?.drop();
    },
  };
}

/**
 * Three servers on one build: `pristineUrl` keeps just the article's data, for tests
 * that check exact figures; `baseUrl` is where tests write, and `secondUrl` another
 * app server on the same database, as behind a load balancer. On SQLite files, or on
 * PostgreSQL databases with TEST_DATABASE.
 */
export default async function setup(project: TestProject) {
  if (!fs.existsSync(path.join(root, '.next', 'BUILD_ID'))) {
    throw new Error(
      'No production build: run the browser tests with `npm run test:e2e`, which builds first.',
    );
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sourced-e2e-'));
  const editorToken = randomBytes(24).toString('base64url');
  // Small limits, so that the API tests can pass them with small files. The writes
  // server runs as if behind one reverse proxy (it believes X-Forwarded-*); the
  // pristine one as if reached directly (it ignores them).
  const limits = {
    SOURCED_EDITOR_TOKEN: editorToken,
    SOURCED_MAX_UPLOAD_MB: '2',
    SOURCED_MAX_ROWS: '5000',
    SOURCED_TRUST_PROXY: '1',
  };
  const [writes, pristine] = await Promise.all([
    startServer(dir, 'writes', limits),
    startServer(dir, 'pristine', { SOURCED_EDITOR_TOKEN: editorToken }),
  ]);
  const second = await startServer(dir, 'second', limits, writes.databaseUrl);
  project.provide('baseUrl', writes.baseUrl);
  project.provide('secondUrl', second.baseUrl);
  project.provide('databaseUrl', writes.databaseUrl);
  project.provide('pristineUrl', pristine.baseUrl);
  project.provide('editorToken', editorToken);

  return async () => {
    await second.stop();
    await Promise.all([writes.stop(), pristine.stop()]);
    fs.rmSync(dir, { recursive: true, force: true });
  };
}
