// A TCP proxy in a process of its own, for tests that take a database away from a
// server and give it back: `node tcp-proxy.mjs <host> <port>` prints "listening <port>",
// then reads commands from stdin, one a line, answering each with "ok <command>":
// `cut` drops every connection and refuses new ones (the port is closed), `restore`
// listens on the same port again. It runs apart from the test, whose event loop
// blocks while it prepares a server (spawnSync), which would stall the forwarding.
import net from 'node:net';
import readline from 'node:readline';

const [host, port] = process.argv.slice(2);
const sockets = new Set();
const server = net.createServer((client) => {
  const upstream = net.connect(Number(port), host);
  for (const s of [client, upstream]) {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => {});
  }
  client.pipe(upstream).pipe(client);
});
const listen = (at) =>
  new Promise((resolve) => server.listen(at, '127.0.0.1', () => resolve(server.address().port)));

const own = await listen(0);
console.log(`listening ${own}`);
for await (const line of readline.createInterface({ input: process.stdin })) {
  const command = line.trim();
  if (command === 'cut') {
    await new Promise((resolve) => {
      server.close(resolve);
      for (const s of sockets) s.destroy();
    });
  } else if (command === 'restore') {
    await listen(own);
  }
  console.log(`ok ${command}`);
}
for (const s of sockets) s.destroy();
server.close();
