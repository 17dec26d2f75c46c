// `npm start`: prepare the embedded database (migrate, load the article's data),
// build the app when the sources changed since the last build, then serve it.
// `npm run dev` does the same preparation and runs the dev server instead.
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { buildIfNeeded } from './build.mjs';
import { keepServing } from './keep-serving.mjs';
import {
  DB_COMMAND,
  DEV_SERVER_NODE_FLAGS,
  SERVER_ENV,
  SERVER_NODE_FLAGS,
} from './server-flags.mjs';
import { serverCount } from './server-count.mjs';

const root = path.resolve(import.meta.dirname, '..');
const dev = process.argv.includes('--dev');
const port = process.env.PORT || '3000';
process.env.NEXT_TELEMETRY_DISABLED ??= '1';
const nextBin = path.join(root, 'node_modules', 'next', 'dist', 'bin', 'next');

// Checked first, so that a mistyped count stops before the database and the build.
// One server process per core, or SOURCED_SERVERS of them (scripts/server-count.mjs).
let servers;
try {
  servers = serverCount({ cores: os.availableParallelism(), dev });
} catch (error) {
  console.error(error.message);
  process.exit(2);
}

function run(args, what) {
  const result = spawnSync(process.execPath, args, {
    cwd: root,
    stdio: 'inherit',
    env: process.env,
  });
  if (result.status !== 0) {
    console.error(`\n${what} failed (exit ${result.status}).`);
    process.exit(result.status ?? 1);
  }
}

run([...DB_COMMAND, 'setup'], 'Preparing the database');

if (!dev) buildIfNeeded({ reason: 'the sources changed since the last build' });

// Last, so that the login URL is not scrolled away by the build's output.
run([...DB_COMMAND, 'token'], 'Preparing the editor token');

if (servers > 1)
  console.log(
    `\n    ${servers} server processes on port ${port}` +
      (process.env.SOURCED_SERVERS ? '.\n' : ', one per core (SOURCED_SERVERS=1 for one).\n'),
  );
const command =
  servers > 1
    ? [path.join(root, 'scripts', 'serve-cluster.mjs'), String(servers), 'start']
    : [nextBin, dev ? 'dev' : 'start'];

// The server runs under a keeper that starts it again if it dies (scripts/keep-serving.mjs).
const flags = dev ? DEV_SERVER_NODE_FLAGS : SERVER_NODE_FLAGS;
const server = keepServing(process.execPath, [...flags, ...command, '-p', port], {
  spawnOptions: { cwd: root, stdio: 'inherit', env: { ...SERVER_ENV, ...process.env } },
  onStop: (code) => process.exit(code ?? 0),
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.stop(signal));
