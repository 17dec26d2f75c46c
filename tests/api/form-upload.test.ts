// POST /api/imports/form: the Add data form's file, streamed as the import route's upload is,
// with the form's own fields, answered as the form's state (report and preview chart) or a
// failure from the one table. The write worker is stood in for by the same job run in this
// process (runUploadJob), fed the request's body as the worker is fed its chunks.
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createScratchDb, type ScratchDb } from '../support/scratch-db';
import { SESSION_COOKIE, sessionValue } from '@/lib/web/auth';
import { createEditorSession } from '@/lib/web/editor-sessions';
import type { Store } from '@/lib/store/types';

const state = vi.hoisted(() => ({
  store: null as unknown,
  revalidated: [] as string[],
  sizes: [] as number[],
}));

vi.mock('next/cache', () => ({ revalidatePath: (path: string) => state.revalidated.push(path) }));
vi.mock('@/lib/write/write-queue', async (importOriginal) => {
  const original = await importOriginal<typeof import('@/lib/write/write-queue')>();
  const { runUploadJob } = await import('@/lib/write/write-job');
  return {
    ...original,
    submitUpload: async (
      body: ReadableStream<Uint8Array> | null,
      contentType: string,
      dryRun: boolean,
      _limit: number,
      sizeHint: number,
      signal: AbortSignal | undefined,
      kind: 'api' | 'form',
    ) => {
      async function* chunks() {
        if (!body) return;
        const reader = body.getReader();
        for (;;) {
          const { done, value: chunk } = await reader.read();
          if (done) return;
          // Each chunk as the worker gets it: the main thread keeps none.
          state.sizes.push(chunk.byteLength);
          yield chunk;
        }
      }
      return runUploadJob(
        state.store as never,
        chunks(),
        contentType,
        dryRun,
        sizeHint,
        signal,
        kind,
      );
    },
  };
});

const TOKEN = 'form-upload-test-token-0123456789';
const SITE = 'http://localhost:3000';
let scratch: ScratchDb;
let sessionId = '';
const saved = { token: process.env.SOURCED_EDITOR_TOKEN, url: process.env.DATABASE_URL };
beforeAll(async () => {
  scratch = await createScratchDb({ seed: true });
  state.store = scratch.store;
  process.env.DATABASE_URL = scratch.url;
  process.env.SOURCED_EDITOR_TOKEN = TOKEN;
  sessionId = (await createEditorSession(scratch.store as Store)).id;
});
afterAll(async () => {
  for (const [key, value] of Object.entries({
    SOURCED_EDITOR_TOKEN: saved.token,
    DATABASE_URL: saved.url,
  })) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  await scratch.cleanup();
});
beforeEach(() => {
  state.revalidated = [];
  state.sizes = [];
});

/** The form's fields as the page sends them for an existing indicator. */
const fields: Record<string, string> = {
  indicatorMode: 'existing',
  indicator: 'oil-import-share',
  kind: 'observed',
  unit: '%',
  entities: 'FRA, DEU',
  sourceTitle: 'Form upload test',
  sourceProducer: 'Sourced tests',
  sourceUrl: 'https://example.org/form-upload',
  mode: 'file',
  mapping: '{}',
  intent: 'preview',
  createEntities: 'on',
};

const csv = [
  'entity,code,period,value',
  'France,FRA,2010,41.5',
  'France,FRA,2011,42.5',
  'Germany,DEU,2010,60',
  'Spain,ESP,2010,70',
].join('\n');

function form(extra: Record<string, string> = {}, file: Blob | null = new Blob([csv])) {
  const f = new FormData();
  for (const [k, v] of Object.entries({ ...fields, ...extra })) f.append(k, v);
  if (file) f.append('file', file, 'shares.csv');
  return f;
}

function post(
  body: FormData | string,
  { dryRun = true, headers = {} as Record<string, string>, session = true } = {},
) {
  return new Request(`${SITE}/api/imports/form${dryRun ? '?dryRun=1' : ''}`, {
    method: 'POST',
    body,
    headers: {
      host: 'localhost:3000',
      origin: SITE,
      ...(session ? { cookie: `${SESSION_COOKIE}=${sessionValue(TOKEN, sessionId)}` } : {}),
      ...headers,
    },
  });
}

type Line = {
  id: number;
  label: string;
  entityCode: string;
  points: { period: string; value: number }[];
};
type Answer = {
  report: { ok: boolean; counts: { added: number }; errors: unknown[] } & Record<string, unknown>;
  chart: Line[];
  error?: string;
  errors: { path: string; message: string }[];
};

async function send(request: Request) {
  const { POST } = await import('@/app/api/imports/form/route');
  const response = await POST(request, { params: Promise.resolve({}) });
  return { status: response.status, body: (await response.json()) as Answer };
}

const observations = async () =>
  (await scratch.query<{ n: number }>('SELECT COUNT(*) AS n FROM "Observation"'))[0]!.n;

describe('POST /api/imports/form', () => {
  it('previews: the report and the indicator’s chart with the preview’s lines; nothing written', async () => {
    const before = await observations();
    const { status, body } = await send(post(form()));
    expect(status).toBe(200);
    expect(body.report).toMatchObject({ ok: true, dryRun: true, committed: false });
    expect(body.report.counts.added).toBe(3);
    // Spain is not among the chosen entities: skipped, and not drawn.
    const previews = body.chart.filter((s) => s.id < 0);
    expect(previews.map((s) => s.entityCode)).toEqual(['FRA', 'DEU']);
    expect(previews[0]!.label).toMatch(/^Preview: /);
    expect(previews[0]!.points.map((p) => [p.period, p.value])).toEqual([
      ['2010', 41.5],
      ['2011', 42.5],
    ]);
    // The indicator's own series come first.
    expect(body.chart.length).toBeGreaterThan(previews.length);
    expect(body.chart[0]!.id).toBeGreaterThan(0);
    expect(await observations()).toBe(before);
    expect(state.sizes.length).toBeGreaterThan(0);
  });

  it('saves everything at once (201), with no chart, and revalidates the indicator', async () => {
    const before = await observations();
    const { status, body } = await send(post(form({ intent: 'save' }), { dryRun: false }));
    expect(status).toBe(201);
    expect(body.report).toMatchObject({ ok: true, committed: true, counts: { added: 3 } });
    expect(body.chart).toEqual([]);
    expect(await observations()).toBe(before + 3);
    expect(state.revalidated).toContain('/indicators/oil-import-share');
  });

  it('answers a file with a bad row with the report naming it (400), its chart drawn, nothing saved', async () => {
    const before = await observations();
    const bad = new Blob([`${csv}\nGermany,DEU,2011,lots`]);
    const { status, body } = await send(post(form({ intent: 'save' }, bad), { dryRun: false }));
    expect(status).toBe(400);
    expect(body.report.ok).toBe(false);
    expect(body.report.errors).toEqual([
      expect.objectContaining({ row: 6, column: 'value', reason: expect.stringContaining('lots') }),
    ]);
    expect(body.chart.some((s) => s.id < 0)).toBe(true);
    expect(await observations()).toBe(before);
  });

  it('names the fields to fix, as the server action did: the form’s first, then the file', async () => {
    const before = await observations();
    const missing = await send(post(form({ sourceTitle: '', sourceUrl: '' })));
    expect(missing.status).toBe(400);
    expect(missing.body.errors.map((e) => e.path).sort()).toEqual(['source.title', 'source.url']);
    // No file chosen: the browser sends an empty part with no file name.
    const noFile = form({}, null);
    noFile.append('file', new File([], ''));
    const chosen = await send(post(noFile));
    expect(chosen).toEqual({
      status: 400,
      body: {
        error: 'The request is not valid',
        errors: [{ path: 'file', message: 'choose a file (CSV or Excel)' }],
      },
    });
    const mapping = await send(post(form({ mapping: '{"decimal":";"}' })));
    expect(mapping.status).toBe(400);
    expect(mapping.body.errors.map((e) => e.path)).toEqual(['mapping.decimal']);
    expect(await observations()).toBe(before);
  });

  it('refuses a field sent after the file, naming it, rather than read the file without it', async () => {
    const late = form();
    late.append('format', 'tidy');
    expect(await send(post(late))).toEqual({
      status: 400,
      body: { error: 'The "format" field came after the file; send the file last' },
    });
  });

  it('refuses a file over the limit (413) on the file field', async () => {
    const previous = process.env.SOURCED_MAX_UPLOAD_MB;
    process.env.SOURCED_MAX_UPLOAD_MB = '0.00005'; // 52 bytes
    try {
      const { status, body } = await send(post(form()));
      expect(status).toBe(413);
      expect(body.errors).toEqual([
        { path: 'file', message: 'is larger than the limit of 0.00005 MB' },
      ]);
    } finally {
      if (previous === undefined) delete process.env.SOURCED_MAX_UPLOAD_MB;
      else process.env.SOURCED_MAX_UPLOAD_MB = previous;
    }
  });

  it('needs the editor’s session, from this site, in the words of the form’s actions', async () => {
    const before = await observations();
    const anonymous = await send(post(form(), { session: false }));
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.error).toMatch(/^You are not logged in as editor/);
    const foreign = await send(post(form(), { headers: { origin: 'https://evil.example' } }));
    expect(foreign.status).toBe(403);
    expect(foreign.body.error).toMatch(/sent from another site/);
    const json = await send(
      post(JSON.stringify(fields), { headers: { 'content-type': 'application/json' } }),
    );
    expect(json.status).toBe(415);
    expect(state.sizes).toEqual([]);
    expect(await observations()).toBe(before);
  });
});
