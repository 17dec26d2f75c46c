// Runs scripts/cluster.mjs's primary over the stand-in server, as serve-cluster.mjs runs it
// over `next start`: `node cluster-primary.mjs <servers> <port>`.
import path from 'node:path';
import { serveCluster } from '../../scripts/cluster.mjs';

const [servers, port] = process.argv.slice(2).map(Number);
serveCluster({
  servers,
  exec: path.join(import.meta.dirname, 'cluster-fixture.mjs'),
  args: ['-p', String(port)],
  restartPauseMs: 50,
  onRestart: () => console.log('restart'),
});
