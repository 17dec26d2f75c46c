// The flags the server processes start with (scripts/server-flags.mjs). `next dev` hands
// its own to the server process it starts through NODE_OPTIONS, which refuses V8's flags:
// with the production set, `npm run dev` exited at once.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEV_SERVER_NODE_FLAGS, SERVER_NODE_FLAGS } from '../../scripts/server-flags.mjs';

const underNodeOptions = (flags: string[]) =>
  spawnSync(process.execPath, ['-e', '0'], {
    env: { ...process.env, NODE_OPTIONS: flags.map((f) => JSON.stringify(f)).join(' ') },
    encoding: 'utf8',
  });

describe('the server flags', () => {
  it('give the dev server only what NODE_OPTIONS takes, the preload among them', () => {
    const run = underNodeOptions(DEV_SERVER_NODE_FLAGS);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(DEV_SERVER_NODE_FLAGS.join(' ')).toMatch(/--import \S+listening-servers\.mjs/);
    // The production set would not do: this is why the two differ.
    expect(underNodeOptions(SERVER_NODE_FLAGS).stderr).toMatch(/not allowed in NODE_OPTIONS/);
  });

  it('give the main thread semi-spaces of 32 MB and worker threads V8’s default', () => {
    // Each thread allocates short-lived objects until its young generation has grown,
    // then says how large it is.
    const script = `
      const v8 = require('node:v8');
      const { Worker, isMainThread, parentPort } = require('node:worker_threads');
      const churn = () => { let keep = []; for (let i = 0; i < 3e6; i++) { keep.push({ i, a: [i] }); if (keep.length > 200000) keep = []; } };
      const young = () => v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_size;
      if (isMainThread) {
        churn();
        const main = young();
        new Worker(__filename).once('message', (worker) => console.log(JSON.stringify({ main, worker })));
      } else { churn(); parentPort.postMessage(young()); }`;
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'flags-')), 'young.cjs');
    fs.writeFileSync(file, script);
    const run = spawnSync(process.execPath, [...SERVER_NODE_FLAGS, file], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    const { main, worker } = JSON.parse(run.stdout) as { main: number; worker: number };
    const MB = 1024 * 1024;
    // The new space is two semi-spaces: some 67 MB at 32 MB each, 34 MB at V8's default.
    expect(main).toBeGreaterThan(48 * MB);
    expect(worker).toBeLessThan(40 * MB);
  });
});
