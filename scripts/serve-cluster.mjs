// `node scripts/serve-cluster.mjs <servers> start -p <port>`: `servers` production servers
// (`next start`) on one port, as `SOURCED_SERVERS=<servers> npm start` runs them. Each is a
// whole server with its own caches and write thread; they share the database as several
// servers do: SQLite in WAL mode reads in parallel and writes one at a time (a writer
// waits for another's lock, lib/store/sqlite.ts), and each process sees another's commit
// at its next request (lib/read/cache.ts).
import path from 'node:path';
import { serveCluster } from './cluster.mjs';

const root = path.resolve(import.meta.dirname, '..');
const nextBin = path.join(root, 'node_modules', 'next', 'dist', 'bin', 'next');

const [count, ...args] = process.argv.slice(2);
const servers = Number(count);
if (!Number.isInteger(servers) || servers < 1) {
  console.error('usage: node scripts/serve-cluster.mjs <servers> start -p <port>');
  process.exit(2);
}
serveCluster({
  servers,
  exec: nextBin,
  args,
  onRestart: (code, signal, pause) =>
    console.error(
      `\nA server process stopped (${signal ?? `exit ${code}`}); starting another in ${pause / 1000} s.`,
    ),
});
