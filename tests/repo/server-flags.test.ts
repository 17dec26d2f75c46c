// The flags the server processes start with (scripts/server-flags.mjs). `next dev` hands
// its own to the server process it starts through NODE_OPTIONS, which refuses V8's flags:
// with the production set, `npm run dev` exited at once.
import { spawnSync } from 'node:child_process';
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
});
