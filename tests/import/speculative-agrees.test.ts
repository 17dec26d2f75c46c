// The speculative import commits what it wrote early only when the plan of the whole file
// would write exactly that (lib/import/speculative/import.ts, `agrees`). Here the plan's
// writes are made wrong in one field at a time, between the plan and the comparison: each
// must roll back, leaving nothing written, and the ordinary import then runs as always.
import { MessageChannel } from 'node:worker_threads';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { commitFileImport } from '@/lib/import/file-import';
import { importsFromStream } from '@/lib/import/sources';
import { SpeculativeImport } from '@/lib/import/speculative/import';
import { serveSpeculativeWrites } from '@/lib/import/speculative/writer';
import { importMetaSchema } from '@/lib/schemas';
import type { ImportWrites } from '@/lib/store/types';
import { createScratchDb, testServer, type ScratchDb } from '../support/scratch-db';

// Which field of the plan's writes to get wrong, if any (read by the mocked writesOf).
const wrong = vi.hoisted(() => ({ field: null as string | null }));

// Each field made wrong in a way the writer could have guessed: typed by ImportWrites'
// keys, so a field added there fails to compile here until it has a case.
const WRONG: { [K in keyof ImportWrites]-?: (w: ImportWrites) => ImportWrites[K] } = {
  meta: (w) => ({ ...w.meta, unit: 'thousand index points' }),
  sourceId: (w) => (w.sourceId ?? 0) + 1000,
  indicator: (w) => ({ ...w.indicator, title: 'Another title' }),
  newEntities: (w) => w.newEntities.map((e, i) => (i === 0 ? { ...e, name: 'Renamed' } : e)),
  entityIds: (w) => new Map([...w.series.map((s) => [s.code, 424_242] as const)]),
  unitToStore: (w) => (w.unitToStore === null ? 'thousand index points' : null),
  values: (w) => w.values.pick(Array.from({ length: w.values.length - 1 }, (_, i) => i)),
  series: (w) => w.series.map((s, i) => (i === 0 ? { ...s, label: `${s.label} (2)` } : s)),
};

vi.mock('@/lib/import/plan', async (importOriginal) => {
  const plan = await importOriginal<typeof import('@/lib/import/plan')>();
  return {
    ...plan,
    writesOf: (...args: Parameters<typeof plan.writesOf>) => {
      const writes = plan.writesOf(...args);
      const field = wrong.field as keyof ImportWrites | null;
      return field ? { ...writes, [field]: WRONG[field](writes) } : writes;
    },
  };
});

const NOW = new Date('2026-11-30T12:00:00.000Z');
const meta = importMetaSchema.parse({
  indicator: { slug: 'guessed', title: 'Guessed', unitLong: 'index points', unitShort: 'pts' },
  kind: 'observed',
  unit: 'index points',
  createEntities: true,
  source: { title: 'Guess test', producer: 'Sourced tests', url: 'https://example.org/guess' },
});

/** Two entities, one stored (CHN) and one new (ATL), a year of days each. */
function file(): Uint8Array {
  const lines = ['entity,code,period,value'];
  for (const [name, code] of [
    ['China', 'CHN'],
    ['Atlantis', 'ATL'],
  ] as const)
    for (let d = 0; d < 365; d++) {
      const day = new Date(Date.UTC(2001, 0, 1) + d * 86_400_000).toISOString().slice(0, 10);
      lines.push(`${name},${code},${day},${d + code.charCodeAt(0)}`);
    }
  return new TextEncoder().encode(lines.join('\n') + '\n');
}

async function speculate(scratch: ScratchDb, bytes: Uint8Array) {
  let served: Promise<void> = Promise.resolve();
  const early = await SpeculativeImport.start(scratch.store, scratch.url, meta, NOW, () => {
    const { port1, port2 } = new MessageChannel();
    served = serveSpeculativeWrites(port2);
    port1.unref();
    return {
      postMessage: (message, transfer) => port1.postMessage(message, transfer),
      on: (event, listener) => port1.on(event, listener),
    };
  });
  expect(early).not.toBeNull();
  const imports = await importsFromStream([bytes], meta, bytes.length, (v) => early!.feed(v));
  const report = await early!.finish(imports);
  await served;
  // As the command line does: values released as they were written are read again.
  const again =
    report === null && early!.released
      ? await importsFromStream([bytes], meta, bytes.length)
      : imports;
  return { report, imports: again };
}

async function observations(scratch: ScratchDb): Promise<number> {
  const [row] = await scratch.query<{ n: number }>('SELECT COUNT(*) AS n FROM "Observation"');
  return row!.n;
}

// SQLite always; PostgreSQL too when TEST_DATABASE names a server.
const PROVIDERS = ['sqlite', ...(testServer ? ['postgresql' as const] : [])] as const;

describe.each(PROVIDERS)(
  'a speculative import on %s whose plan disagrees with what was written',
  (provider) => {
    let scratch: ScratchDb;
    beforeEach(async () => {
      scratch = await createScratchDb({ seed: true, provider });
    });
    afterEach(async () => {
      wrong.field = null;
      await scratch.cleanup();
    });

    it('commits when every field agrees', async () => {
      const before = await observations(scratch);
      const { report } = await speculate(scratch, file());
      expect(report?.committed).toBe(true);
      expect(report!.counts.added).toBe(730);
      expect(await observations(scratch)).toBe(before + 730);
    });

    for (const field of Object.keys(WRONG)) {
      it(`rolls back when the plan's ${field} differs, and the ordinary import runs`, async () => {
        const before = await observations(scratch);
        const entities = await scratch.query('SELECT code FROM "Entity" ORDER BY id');
        wrong.field = field;
        const { report, imports } = await speculate(scratch, file());
        wrong.field = null;
        expect(report).toBeNull();
        expect(await observations(scratch)).toBe(before);
        expect(await scratch.query('SELECT code FROM "Entity" ORDER BY id')).toEqual(entities);
        const ordinary = await commitFileImport(scratch.store, imports, NOW);
        expect(ordinary.committed).toBe(true);
        expect(await observations(scratch)).toBe(before + 730);
      });
    }
  },
);
