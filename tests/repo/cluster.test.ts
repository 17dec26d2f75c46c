// SOURCED_SERVERS=n npm start: n server processes share the port, a process that dies is
// replaced, and stopping the primary stops them all (scripts/cluster.mjs).
import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort } from '../../scripts/server-process';

const primaryScript = path.join(import.meta.dirname, '..', 'support', 'cluster-primary.mjs');
let primary: ChildProcess | null = null;

afterEach(() => {
  primary?.kill('SIGKILL');
  primary = null;
});

/** The body a process answered with, on a connection of its own; null for none. */
function ask(port: number, path: string): Promise<string | null> {
  return new Promise((resolve) => {
    const request = http
      .get({ host: '127.0.0.1', port, path, agent: false }, (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c));
        res.on('end', () => resolve(body));
      })
      .on('error', () => resolve(null));
    // A connection handed to the process just killed is never answered.
    request.setTimeout(500, () => request.destroy());
  });
}

/** The process id that answered, on a connection of its own; null for none. */
async function whoAnswers(port: number): Promise<number | null> {
  const body = await ask(port, '/');
  return body === null ? null : Number(body);
}

async function answering(port: number, count: number, timeoutMs = 10_000): Promise<Set<number>> {
  const deadline = Date.now() + timeoutMs;
  const pids = new Set<number>();
  while (Date.now() < deadline) {
    const pid = await whoAnswers(port);
    if (pid !== null) pids.add(pid);
    if (pids.size >= count) return pids;
    await new Promise((r) => setTimeout(r, 20));
  }
  return pids;
}

/** The first process id to answer that is not in `known`, or null within the time. */
async function newAnswer(port: number, known: Set<number>, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const pid = await whoAnswers(port);
    if (pid !== null && !known.has(pid)) return pid;
    await new Promise((r) => setTimeout(r, 20));
  }
  return null;
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('the server cluster', () => {
  it('answers from every process on one port, replaces one that dies, and stops them all', async () => {
    const port = await freePort();
    primary = spawn(process.execPath, [primaryScript, '2', String(port)], { stdio: 'ignore' });
    const first = await answering(port, 2);
    expect(first.size).toBe(2);

    const [killed] = [...first];
    process.kill(killed!, 'SIGKILL');
    // A new process takes its place on the same port.
    const replacement = await newAnswer(port, first);
    expect(replacement).not.toBeNull();
    expect(alive(killed!)).toBe(false);
    const replaced = [replacement!];

    const workers = [...new Set([...first, ...replaced])].filter(alive);
    const exited = new Promise((r) => primary!.once('exit', r));
    primary.kill('SIGTERM');
    await exited;
    await new Promise((r) => setTimeout(r, 200));
    expect(workers.filter(alive)).toEqual([]);
  });

  it('passes a message from one process to every other, not back to its sender', async () => {
    const port = await freePort();
    primary = spawn(process.execPath, [primaryScript, '3', String(port)], { stdio: 'ignore' });
    const pids = await answering(port, 3);
    expect(pids.size).toBe(3);
    const sender = Number(await ask(port, '/send'));
    const heard = new Map<number, number[]>();
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline) {
      const body = await ask(port, '/seen');
      if (body !== null) {
        const { pid, seen } = JSON.parse(body) as { pid: number; seen: number[] };
        heard.set(pid, seen);
      }
      if (heard.size === 3 && [...heard].every(([pid, seen]) => pid === sender || seen.length))
        break;
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(heard.get(sender)).toEqual([]);
    for (const pid of pids) if (pid !== sender) expect(heard.get(pid)).toEqual([sender]);
  });
});
