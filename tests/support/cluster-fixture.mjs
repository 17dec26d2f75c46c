// The stand-in for `next start` in tests/repo/cluster.test.ts: a server on the port it is
// given (`-p <port>`) that answers with its process id.
import http from 'node:http';

const port = Number(process.argv[process.argv.indexOf('-p') + 1]);
http.createServer((_req, res) => res.end(String(process.pid))).listen(port, '127.0.0.1');
