// Issue #25, supervision: a worker that crashes, runs out of memory or stalls on one job
// is reported once, with a reason its jobs can be failed with, and the process lives on.
// And a job whose client went away stops at its next step, writing nothing.
import { Worker } from 'node:worker_threads';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { supervise } from '@/lib/write/supervisor';
import { ChunkQueue } from '@/lib/write/upload';
import { runUploadJob, runWriteJob } from '@/lib/write/write-job';
import { importMetaSchema } from '@/lib/schemas';
import { createScratchDb, type ScratchDb } from '../support/scratch-db';

const WORKER = new URL('../support/supervised-worker.mjs', import.meta.url);

function watched(command: string, stallMs = 400) {
  const worker = new Worker(WORKER, { resourceLimits: { maxOldGenerationSizeMb: 32 } });
  const started = Date.now();
  const dead = new Promise<{ reason: string; after: number }>((resolve) =>
    supervise(worker, {
      name: 'the test worker',
      stallMs,
      onDead: (reason) => resolve({ reason, after: Date.now() - started }),
    }),
  );
  worker.postMessage({ do: command });
  return dead;
}

describe('a supervised worker', () => {
  it('that stalls is ended after its budget, with the reason', async () => {
    const { reason, after } = await watched('stall');
    expect(reason).toBe(
      'the test worker spent more than 0 s on one request (a file too costly to read) and was restarted; nothing was saved',
    );
    expect(after).toBeGreaterThanOrEqual(400);
    expect(after).toBeLessThan(5000);
  });

  it('that runs out of memory is reported as such; this process carries on', async () => {
    const { reason } = await watched('oom', 60_000);
    expect(reason).toBe(
      'the test worker ran out of memory on this request and was restarted; nothing was saved',
    );
  });

  it('that throws or exits is reported once', async () => {
    expect((await watched('throw', 60_000)).reason).toMatch(/^the test worker failed/);
    expect((await watched('exit', 60_000)).reason).toMatch(/^the test worker stopped/);
  });

  it('that answers its pings lives on while idle', async () => {
    const worker = new Worker(WORKER);
    let died = false;
    const watch = supervise(worker, { name: 'w', stallMs: 200, onDead: () => (died = true) });
    await new Promise((r) => setTimeout(r, 600));
    expect(died).toBe(false);
    watch.stop();
  });
});

describe('a job whose client went away', () => {
  let scratch: ScratchDb;
  beforeEach(async () => {
    scratch = await createScratchDb({ seed: true });
  });
  afterEach(() => scratch.cleanup());
  const observations = async () =>
    (await scratch.query<{ n: number }>('SELECT COUNT(*) AS n FROM "Observation"'))[0]!.n;

  const meta = {
    indicator: { slug: 'gone', title: 'Gone', unitLong: 'percent', unitShort: '%' },
    kind: 'observed',
    unit: '%',
    createEntities: true,
    source: { title: 'Gone', producer: 'Sourced tests', url: 'https://example.org/g' },
  };

  it('stops an upload mid-stream: the parse ends, nothing is written', async () => {
    const before = await observations();
    const form = new FormData();
    form.append('meta', JSON.stringify(meta));
    const rows = Array.from({ length: 5000 }, (_, i) => `France,FRA,${1000 + (i % 1000)},${i}`);
    form.append('file', new Blob([`entity,code,period,value\n${rows.join('\n')}`]));
    const response = new Response(form);
    const bytes = new Uint8Array(await response.arrayBuffer());
    const body = new ChunkQueue();
    body.push(bytes.slice(0, bytes.length / 2));
    // The rest never comes: without the abort, the job would wait for it for ever.
    const control = new AbortController();
    const job = runUploadJob(
      scratch.store,
      body,
      response.headers.get('content-type')!,
      false,
      0,
      control.signal,
    );
    setTimeout(() => control.abort(), 50);
    const outcome = await job;
    expect(outcome.ok).toBe(false);
    expect(await observations()).toBe(before);
  });

  it('is not written when the client left before its turn', async () => {
    const before = await observations();
    const control = new AbortController();
    control.abort();
    const outcome = await runWriteJob(
      scratch.store,
      {
        type: 'import',
        meta: importMetaSchema.parse(meta),
        values: { values: [{ entityCode: 'FRA', period: '2010', value: 1 }] },
        dryRun: false,
      } as never,
      control.signal,
    );
    expect(outcome).toEqual({
      ok: false,
      kind: 'failed',
      message: 'The request was abandoned by its client; nothing was saved.',
    });
    expect(await observations()).toBe(before);
  });
});
