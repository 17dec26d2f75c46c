// `npm run bench -- --only extract`: the claim extractor through `POST /api/extract` of the
// production server, one sentence per request and whole documents, from several clients at
// once, beside the raw baseline of the same sentences through `extract()` in this process.
// Target: at most 10 ms per sentence through the API (the budget).
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createPrismaClient } from '../../lib/db/client';
import { applyMigrations } from '../../lib/db/migrate';
import { seedArticle } from '../../lib/article/seed';
import { extract } from '../../lib/extract';
import { SERVER_ENV, SERVER_NODE_FLAGS } from '../server-flags.mjs';
import { freePort, peakRssOf } from '../server-process';

const root = path.resolve(import.meta.dirname, '..', '..');
const nextBin = path.join(root, 'node_modules', 'next', 'dist', 'bin', 'next');
const SETS = ['sentences.jsonl', 'real-sentences.jsonl'];
const TARGET_MS_PER_SENTENCE = 10;

export type ExtractBenchResult = {
  sentences: number;
  rawMsPerSentence: number;
  apiMsPerSentence: number;
  apiP50Ms: number;
  apiP99Ms: number;
  documentMsPerSentence: number;
  clients: number;
  serverPeakRssMB: number;
  pass: boolean;
};

function sentences(): string[] {
  const dir = path.join(root, 'tests', 'fixtures', 'extract');
  return SETS.flatMap((f) =>
    fs
      .readFileSync(path.join(dir, f), 'utf8')
      .split('\n')
      .filter((l) => l.trim())
      .map((l) => (JSON.parse(l) as { text: string }).text),
  );
}

const quantile = (sorted: number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;

async function startServer(url: string, token: string) {
  const port = await freePort();
  const child = spawn(
    process.execPath,
    [...SERVER_NODE_FLAGS, nextBin, 'start', '-p', String(port), '-H', '127.0.0.1'],
    {
      cwd: root,
      env: {
        ...SERVER_ENV,
        ...process.env,
        DATABASE_URL: url,
        SOURCED_EDITOR_TOKEN: token,
        NEXT_TELEMETRY_DISABLED: '1',
        // Its own requests from the start: a warm-up (lib/web/warm-up.ts) would race them.
        SOURCED_WARM_UP: '0',
      },
      stdio: 'ignore',
    },
  );
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`${base}/api/indicators`)).ok) break;
    } catch {
      // not listening yet
    }
    if (i > 240) throw new Error('the server did not start');
    await new Promise((r) => setTimeout(r, 250));
  }
  return { child, base };
}

async function post(base: string, token: string, body: unknown): Promise<number> {
  const t0 = performance.now();
  const res = await fetch(`${base}/api/extract`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
  });
  await res.arrayBuffer();
  if (res.status !== 200) throw new Error(`POST /api/extract answered ${res.status}`);
  return performance.now() - t0;
}

/** Every sentence once, `clients` requests at a time; the wall time per sentence. */
async function perSentence(base: string, token: string, texts: string[], clients: number) {
  const times: number[] = [];
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (next < texts.length) {
        const text = texts[next++]!;
        times.push(await post(base, token, { text, documentDate: '2020-01-01' }));
      }
    }),
  );
  const wall = performance.now() - t0;
  times.sort((a, b) => a - b);
  return {
    msPerSentence: wall / texts.length,
    p50: quantile(times, 0.5),
    p99: quantile(times, 0.99),
  };
}

export async function runExtractBench(
  options: { clients?: number; log?: (line: string) => void } = {},
): Promise<ExtractBenchResult> {
  const log = options.log ?? (() => {});
  const clients = options.clients ?? 4;
  if (!fs.existsSync(path.join(root, '.next', 'BUILD_ID')))
    throw new Error('No production build: run `npx next build` first.');
  const texts = sentences();
  // The raw baseline: the same sentences through the pure extractor in this process,
  // after one call that loads its models.
  extract(texts[0]!);
  const r0 = performance.now();
  for (const t of texts) extract(t, { documentDate: '2020-01-01' });
  const rawMsPerSentence = (performance.now() - r0) / texts.length;

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sourced-bench-extract-'));
  const url = `file:${path.join(dir, 'bench.db')}`;
  const token = crypto.randomBytes(24).toString('base64url');
  let server: Awaited<ReturnType<typeof startServer>> | null = null;
  try {
    await applyMigrations(url);
    const prisma = createPrismaClient(url);
    await seedArticle(prisma).finally(() => prisma.$disconnect());
    server = await startServer(url, token);
    await post(server.base, token, { text: texts[0] }); // loads the extraction thread
    const api = await perSentence(server.base, token, texts, clients);
    const whole = texts.join(' ');
    const documentMs = await post(server.base, token, { text: whole, documentDate: '2020-01-01' });
    const result: ExtractBenchResult = {
      sentences: texts.length,
      rawMsPerSentence: Math.round(rawMsPerSentence * 100) / 100,
      apiMsPerSentence: Math.round(api.msPerSentence * 100) / 100,
      apiP50Ms: Math.round(api.p50 * 10) / 10,
      apiP99Ms: Math.round(api.p99 * 10) / 10,
      documentMsPerSentence: Math.round((documentMs / texts.length) * 100) / 100,
      clients,
      serverPeakRssMB: Math.round(peakRssOf(server.child.pid!)),
      pass: api.msPerSentence <= TARGET_MS_PER_SENTENCE,
    };
    log(
      `Extraction, ${texts.length} sentences: raw extract() ${result.rawMsPerSentence} ms/sentence; ` +
        `POST /api/extract one sentence per request, ${clients} clients: ${result.apiMsPerSentence} ms/sentence ` +
        `(p50 ${result.apiP50Ms} ms, p99 ${result.apiP99Ms} ms); all as one document: ` +
        `${result.documentMsPerSentence} ms/sentence; server peak RSS ${result.serverPeakRssMB} MB; ` +
        `target ≤ ${TARGET_MS_PER_SENTENCE} ms/sentence: ${result.pass ? 'met' : 'MISSED'}`,
    );
    return result;
  } finally {
    server?.child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 300));
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === import.meta.filename) {
  const json = process.argv.includes('--json');
  const result = await runExtractBench({ log: json ? undefined : console.log });
  if (json) console.log(JSON.stringify(result));
  if (!result.pass) process.exitCode = 1;
}
