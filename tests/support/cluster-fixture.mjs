// The stand-in for `next start` in tests/repo/cluster.test.ts: a server on the port it is
// given (`-p <port>`) that answers with its process id. `/send` broadcasts a message to
// the other processes (through the primary, as lib/web/login-throttle.ts does); `/seen`
// lists what this process has heard.
import http from 'node:http';
import { BROADCAST } from '../../lib/web/broadcast.mjs';

const port = Number(process.argv[process.argv.indexOf('-p') + 1]);
const seen = [];
process.on('message', (message) => {
  if (message?.channel === BROADCAST) seen.push(message.from);
});
http
  .createServer((req, res) => {
    if (req.url === '/send') process.send({ channel: BROADCAST, kind: 'test', from: process.pid });
    if (req.url === '/seen') return res.end(JSON.stringify({ pid: process.pid, seen }));
    res.end(String(process.pid));
  })
  .listen(port, '127.0.0.1');
