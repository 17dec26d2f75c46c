// The speculative import (lib/import/speculative/import.ts): a file written while it is read
// ends exactly as the ordinary import of it does, and whenever the plan of the whole file
// differs from what was written early, nothing written early is kept.
import { MessageChannel } from 'node:worker_threads';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { commitFileImport } from '@/lib/import/file-import';
import { importsFromFile, importsFromStream } from '@/lib/import/sources';
import { SpeculativeImport } from '@/lib/import/speculative/import';
import { serveSpeculativeWrites, type FromWriter } from '@/lib/import/speculative/writer';
import { ValueTable } from '@/lib/formats/value-table';
import { importMetaSchema, type ImportMeta, type ImportMetaInput } from '@/lib/schemas';
import { DAILY_ENTITIES } from '../support/fixtures';
import { createScratchDb, testServer, type ScratchDb } from '../support/scratch-db';

const NOW = new Date('2026-11-30T12:00:00.000Z');

const base: ImportMetaInput = {
  indicator: {
    slug: 'early-daily',
    title: 'Early daily',
    unitLong: 'index points',
    unitShort: 'pts',
  },
  kind: 'observed',
  unit: 'index points',
  createEntities: true,
  source: { title: 'Early test', producer: 'Sourced tests', url: 'https://example.org/early' },
};
const metaOf = (extra: Partial<ImportMetaInput> = {}): ImportMeta =>
  importMetaSchema.parse({ ...base, ...extra });

const ENTITIES = DAILY_ENTITIES;
const DAYS = 6000;
const day = (d: number) =>
  new Date(Date.UTC(2000, 0, 1) + d * 86_400_000).toISOString().slice(0, 10);

/** A tidy file of 48,000 rows (1.7 MB); some rows carry a range or a note. */
function tidyFile(change: (lines: string[]) => void = () => {}): Uint8Array {
  const lines = ['entity,code,period,value,low,high,note'];
  for (const [name, code] of ENTITIES)
    for (let d = 0; d < DAYS; d++) {
      const v = (d * 0.25 + code.charCodeAt(0)).toFixed(2);
      const extra = d % 997 === 5 ? `${Number(v) - 1},${Number(v) + 1},estimate` : ',,';
      lines.push(`${name},${code},${day(d)},${v},${extra}`);
    }
  change(lines);
  return new TextEncoder().encode(lines.join('\n') + '\n');
}

function* chunksOf(bytes: Uint8Array, size: number): Generator<Uint8Array> {
  for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size);
}

/**
 * Reads `bytes` as the command-line import does, the writer served on a MessageChannel in
 * this thread. `beforeWriter` runs before the writer takes the lock; `beforeBatch` before the
 * writer is handed batch `n` (from 1), the messages kept in order.
 */
async function speculate(
  scratch: ScratchDb,
  meta: ImportMeta,
  bytes: Uint8Array,
  beforeWriter: () => Promise<void> = async () => {},
  beforeBatch: (n: number) => Promise<void> = async () => {},
) {
  let served: Promise<void> = Promise.resolve();
  let batches = 0;
  const replies: FromWriter[] = [];
  const early = await SpeculativeImport.start(scratch.store, scratch.url, meta, NOW, () => {
    const { port1, port2 } = new MessageChannel();
    served = beforeWriter().then(() => serveSpeculativeWrites(port2));
    port1.unref();
    let handed = Promise.resolve();
    return {
      postMessage: (message, transfer) => {
        const n = message.type === 'batch' ? ++batches : 0;
        handed = handed.then(async () => {
          if (n > 0) await beforeBatch(n);
          port1.postMessage(message, transfer);
        });
      },
      on: (event, listener) => {
        port1.on(event, listener);
        port1.on(event, (reply: FromWriter) => replies.push(reply));
      },
    };
  });
  expect(early).not.toBeNull();
  const imports = await importsFromStream(chunksOf(bytes, 64 * 1024), meta, bytes.length, (v) =>
    early!.feed(v),
  );
  const report = await early!.finish(imports);
  await served;
  // As the command line does: values released as they were written are read again.
  const again =
    report === null && early!.released
      ? await importsFromStream(chunksOf(bytes, 64 * 1024), meta, bytes.length)
      : imports;
  return { report, imports: again, batches, released: early!.released, replies };
}

/** Everything an import writes, without row ids. */
async function dump(scratch: ScratchDb) {
  return {
    observations: await scratch.query(
      `SELECT e.code, s.label, s.kind, s.unit, s."recordedAt" AS sr, o.period, o.precision,
              o.value, o.low, o.high, o.note, o.revision, o."recordedAt", o."supersededAt"
         FROM "Observation" o JOIN "Series" s ON s.id = o."seriesId"
         JOIN "Entity" e ON e.id = s."entityId" JOIN "Indicator" i ON i.id = s."indicatorId"
        WHERE i.slug = 'early-daily' ORDER BY e.code, o.period, o.revision`,
    ),
    entities: await scratch.query('SELECT id, code, name FROM "Entity" ORDER BY id'),
    series: await scratch.query(
      'SELECT id, "indicatorId", "entityId", kind, label, unit, "sourceId" FROM "Series" ORDER BY id',
    ),
    sources: await scratch.query('SELECT id, title, publisher, url FROM "Source" ORDER BY id'),
    indicators: await scratch.query(
      'SELECT id, slug, title, "unitLong" FROM "Indicator" ORDER BY id',
    ),
  };
}

/**
 * `x` with every id (`id`, `seriesId`, `entityId`, …) replaced by its rank among the ids found
 * at the same place (a table's column, a report's field). On PostgreSQL a rolled-back writer
 * has used sequence numbers that no one gets back, so the ordinary import after it creates
 * rows with later ids than on a database never written to.
 */
function idsRenumbered<T>(x: T): T {
  type Visit = (o: Record<string, unknown>, at: string, k: string) => void;
  const walk = (v: unknown, at: string, visit: Visit): void => {
    if (Array.isArray(v)) v.forEach((e) => walk(e, at, visit));
    else if (v && typeof v === 'object')
      for (const [k, e] of Object.entries(v)) {
        if (/^(id|seriesId|entityId|indicatorId|sourceId)$/.test(k) && typeof e === 'number')
          visit(v as Record<string, unknown>, `${at}.${k}`, k);
        else walk(e, `${at}.${k}`, visit);
      }
  };
  const copy = structuredClone(x);
  const seen = new Map<string, Set<number>>();
  walk(copy, '', (o, at, k) => seen.set(at, (seen.get(at) ?? new Set()).add(o[k] as number)));
  const rank = new Map([...seen].map(([at, ids]) => [at, [...ids].sort((p, q) => p - q)]));
  walk(copy, '', (o, at, k) => (o[k] = rank.get(at)!.indexOf(o[k] as number)));
  return copy;
}

async function count(scratch: ScratchDb): Promise<number> {
  const [row] = await scratch.query<{ n: number }>(
    `SELECT COUNT(*) AS n FROM "Observation" o JOIN "Series" s ON s.id = o."seriesId"
       JOIN "Indicator" i ON i.id = s."indicatorId" WHERE i.slug = 'early-daily'`,
  );
  return row!.n;
}

// SQLite always; PostgreSQL too when TEST_DATABASE names a server.
const PROVIDERS = ['sqlite', ...(testServer ? ['postgresql' as const] : [])] as const;

describe.each(PROVIDERS)('a speculative import on %s', (provider) => {
  let a: ScratchDb;
  let b: ScratchDb;
  beforeEach(async () => {
    a = await createScratchDb({ seed: true, provider });
    b = await createScratchDb({ seed: true, provider });
  });
  afterEach(async () => {
    await a.cleanup();
    await b.cleanup();
  });

  it('writes a new file while reading it, exactly as the ordinary import does', async () => {
    const meta = metaOf();
    const bytes = tidyFile();
    const { report, batches, released, imports } = await speculate(a, meta, bytes);
    const ordinary = await commitFileImport(b.store, importsFromFile(bytes, meta), NOW);
    // The first megabyte at once, then a batch per chunk of 64 KB, each released once sent.
    expect(batches).toBeGreaterThan(5);
    expect(released).toBe(true);
    expect(imports.items[0]!.input.values.length).toBeLessThan((ENTITIES.length * DAYS) / 5);
    expect(report).not.toBeNull();
    expect(report!.committed).toBe(true);
    expect(report!.counts.added).toBe(ENTITIES.length * DAYS);
    expect(report).toEqual(ordinary);
    const [early, plain] = [await dump(a), await dump(b)];
    expect(early.observations).toHaveLength(ENTITIES.length * DAYS);
    expect(early.observations.filter((o) => o.note === 'estimate').length).toBeGreaterThan(8);
    expect(early).toEqual(plain);
  });

  it('keeps to the chosen entities and skips the others', async () => {
    const meta = metaOf({ entities: ['KAZ', 'CHN'] });
    const bytes = tidyFile();
    const { report } = await speculate(a, meta, bytes);
    const ordinary = await commitFileImport(b.store, importsFromFile(bytes, meta), NOW);
    expect(report).toEqual(ordinary);
    expect(report!.counts).toMatchObject({ added: 2 * DAYS, skipped: 6 * DAYS });
    expect(await dump(a)).toEqual(await dump(b));
  });

  it('keeps nothing when the file holds a bad row near its end', async () => {
    const meta = metaOf();
    const bytes = tidyFile((lines) => {
      lines[lines.length - 3] = `Chile,CHL,${day(DAYS - 3)},about 4,,,`;
    });
    const { report, imports, released } = await speculate(a, meta, bytes);
    expect(report).toBeNull();
    expect(await count(a)).toBe(0);
    expect((await dump(a)).indicators.some((i) => i.slug === 'early-daily')).toBe(false);
    // The ordinary import then names the row, the file read again: its values were released.
    expect(released).toBe(true);
    const ordinary = await commitFileImport(a.store, imports, NOW);
    expect(ordinary.ok).toBe(false);
    expect(ordinary.errors[0]).toMatchObject({ row: ENTITIES.length * DAYS - 1, column: 'value' });
    expect(await count(a)).toBe(0);
  });

  it('keeps nothing when the series already holds values, and the ordinary import revises them', async () => {
    const meta = metaOf();
    await commitFileImport(a.store, importsFromFile(tidyFile(), meta), NOW);
    const before = await dump(a);
    const revised = tidyFile((lines) => {
      lines[10] = lines[10]!.replace(/,(\d+\.\d\d),/, ',12345.5,');
    });
    const { report, imports, released } = await speculate(a, meta, revised);
    expect(report).toBeNull();
    // Given up at the first batch, before any value was released: the file is not read again.
    expect(released).toBe(false);
    expect(await dump(a)).toEqual(before);
    const ordinary = await commitFileImport(a.store, imports, NOW);
    expect(ordinary.counts).toMatchObject({ added: 0, changed: 1 });
  });

  it('keeps nothing when an unknown entity is not to be created', async () => {
    const meta = metaOf({ createEntities: false, entities: ['KAZ', 'CHN'] });
    const bytes = tidyFile((lines) => {
      lines.push(`Atlantis,ATL,${day(1)},1.5,,,`);
    });
    // ATL is outside the chosen entities: it is skipped, and the import holds.
    const held = await speculate(a, meta, bytes);
    expect(held.report?.committed).toBe(true);
    const strict = metaOf({ createEntities: false });
    const { report } = await speculate(b, strict, bytes);
    expect(report).toBeNull();
    expect(await count(b)).toBe(0);
  });

  it('keeps nothing when the database changed before the writer took the lock', async () => {
    const meta = metaOf();
    const bytes = tidyFile();
    // Another writer creates the source after the import looked for it.
    const { report, imports } = await speculate(a, meta, bytes, async () => {
      await a.store.write([], (tx) =>
        tx.insert('INSERT INTO "Source" (title, publisher, url, "createdAt") VALUES (?, ?, ?, ?)', [
          base.source.title,
          base.source.producer,
          base.source.url ?? null,
          NOW,
        ]),
      );
    });
    expect(report).toBeNull();
    expect(await count(a)).toBe(0);
    const ordinary = await commitFileImport(a.store, imports, NOW);
    expect(ordinary.committed).toBe(true);
    expect(ordinary.source.isNew).toBe(false);
    expect(await count(a)).toBe(ENTITIES.length * DAYS);
  });

  it('sends a slow writer a few batches ahead, then waits for it', async () => {
    const listeners: ((reply: FromWriter) => void)[] = [];
    let batches = 0;
    const early = await SpeculativeImport.start(a.store, a.url, metaOf(), NOW, () => ({
      postMessage: (message) => {
        if (message.type === 'batch') batches++;
      },
      on: (_event, listener) => listeners.push(listener),
    }));
    const table = new ValueTable(16);
    const chile = table.entity('CHL', 'Chile');
    const next = () => {
      const k = table.total;
      table.add(k + 2, table.string('value'), chile, table.period(day(k), 'day'), k);
    };
    for (let k = 0; k < 4; k++) {
      next();
      await early!.feed(table);
    }
    // The fifth batch is sent, and the reader waits until the writer has written one.
    next();
    let fed = false;
    const fifth = early!.feed(table).then(() => (fed = true));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(batches).toBe(5);
    expect(fed).toBe(false);
    for (const listener of listeners) listener({ type: 'written' });
    await fifth;
    expect(fed).toBe(true);
    expect(table.released).toBe(5);
  });

  it('keeps a file split into projections when it ends whole, and imports both series', async () => {
    // Chile's days reach past 2050 (projections) in the first batches, China's last rows do
    // not: released, the end of the file would see no projection and keep one series.
    const meta = metaOf({ mapping: { projections: { after: '2050' } } });
    const lines = ['entity,code,period,value'];
    for (let d = 0; d < 40_000; d++) lines.push(`Chile,CHL,${day(d)},${d}`);
    for (let d = 0; d < 5_000; d++) lines.push(`China,CHN,${day(d)},${d}`);
    const bytes = new TextEncoder().encode(lines.join('\n') + '\n');
    const { report, imports, released } = await speculate(a, meta, bytes);
    expect(released).toBe(false);
    expect(report).toBeNull();
    const ordinary = await commitFileImport(a.store, imports, NOW);
    const plain = await commitFileImport(b.store, importsFromFile(bytes, meta), NOW);
    expect(idsRenumbered(ordinary)).toEqual(idsRenumbered(plain));
    expect(idsRenumbered(await dump(a))).toEqual(idsRenumbered(await dump(b)));
    const [row] = await a.query<{ n: number }>(
      `SELECT COUNT(*) AS n FROM "Series" s JOIN "Indicator" i ON i.id = s."indicatorId"
        WHERE i.slug = 'early-daily' AND s.kind = 'projection'`,
    );
    expect(row!.n).toBe(1);
  });

  it('keeps nothing when the end of the file changes what its rows are', async () => {
    // Names are matched to codes when the file ends: the rows of "Japan" were written early
    // under the entity the request names (KAZ), and the plan puts them under JPN.
    const meta = metaOf({ entity: 'KAZ' });
    // Past the first megabyte, which is read before any value is sent.
    const lines = ['entity,period,value'];
    for (let d = 0; d < 60_000; d++) lines.push(`Japan,${day(d)},${d}`);
    const bytes = new TextEncoder().encode(lines.join('\n') + '\n');
    const { report, imports, released } = await speculate(a, meta, bytes);
    expect(report).toBeNull();
    expect(await count(a)).toBe(0);
    // An entity without a code keeps the table whole: its code comes when the file ends.
    expect(released).toBe(false);
    const ordinary = await commitFileImport(a.store, imports, NOW);
    expect(ordinary.entities.map((e) => [e.code, e.added])).toEqual([['JPN', 60_000]]);
  });
});

// What only a PostgreSQL writer meets: other connections at work while its transaction is open.
describe.runIf(testServer)('a speculative import on postgresql whose writer fails', () => {
  let a: ScratchDb;
  beforeEach(async () => {
    a = await createScratchDb({ seed: true, provider: 'postgresql' });
  });
  afterEach(async () => {
    await a.cleanup();
  });

  /** The ordinary import after a failed writer: every value, once. */
  async function ordinaryAfter(imports: Awaited<ReturnType<typeof speculate>>['imports']) {
    const ordinary = await commitFileImport(a.store, imports, NOW);
    expect(ordinary.committed).toBe(true);
    expect(await count(a)).toBe(ENTITIES.length * DAYS);
    const [row] = await a.query<{ n: number }>(
      `SELECT COUNT(*) AS n FROM "Series" s JOIN "Indicator" i ON i.id = s."indicatorId"
        WHERE i.slug = 'early-daily'`,
    );
    expect(Number(row!.n)).toBe(ENTITIES.length);
  }

  /**
   * Ends the writer's connection (the one holding an advisory lock in this database) once it
   * is in `state` (active: in a COPY); the query it was at. Polls: the writer may not have
   * begun yet.
   */
  async function endWriter(state: 'active' | 'idle in transaction'): Promise<string | null> {
    for (let tries = 0; tries < 400; tries++) {
      const [found] = await a.query<{ query: string; ended: boolean }>(
        `SELECT s.query, pg_terminate_backend(s.pid) AS ended
           FROM pg_stat_activity s JOIN pg_locks l ON l.pid = s.pid
          WHERE l.locktype = 'advisory' AND s.datname = current_database() AND s.state = $1
            AND (s.state <> 'active' OR s.query LIKE 'COPY%')`,
        [state],
      );
      if (found?.ended) return found.query;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    return null;
  }

  for (const [when, state, query] of [
    [
      'between two batches',
      'idle in transaction',
      // The writer may still be between two statements of the second batch: the last one
      // run is any of them, the plan-cache setting around the new series' insert too.
      /pg_advisory_xact_lock|Indicator|Source|Entity|Series|COPY|plan_cache_mode/,
    ],
    ['in the middle of a COPY', 'active', /^COPY "Observation"/],
  ] as const)
    it(`keeps nothing when its connection is lost ${when}, and the ordinary import runs`, async () => {
      const bytes = tidyFile();
      let ending: Promise<string | null> = Promise.resolve(null);
      const { report, imports, released, replies } = await speculate(
        a,
        metaOf(),
        bytes,
        undefined,
        async (n) => {
          // Between batches: before the third is handed, the writer done with the second.
          if (n === 3 && state === 'idle in transaction') ending = endWriter(state);
          if (n === 3) await ending;
          // Mid-COPY: while the second batch is written (not waited for: it is handed now).
          if (n === 2 && state === 'active') ending = endWriter(state);
        },
      );
      expect(await ending).toMatch(query);
      expect(replies.filter((r) => r.type === 'begun')).toHaveLength(1);
      expect(replies.at(-1)).toMatchObject({ type: 'failed' });
      expect(report).toBeNull();
      expect(released).toBe(true);
      expect(await count(a)).toBe(0);
      expect((await a.query(`SELECT id FROM "Indicator" WHERE slug = 'early-daily'`)).length).toBe(
        0,
      );
      await ordinaryAfter(imports);
    });

  it('keeps nothing when another writer creates one of its entities first (unique violation)', async () => {
    const bytes = tidyFile();
    // The file's first entity the database lacks: its rows are in the first batch.
    const stored = new Set(
      (await a.query<{ code: string }>('SELECT code FROM "Entity"')).map((e) => e.code),
    );
    const code = ENTITIES.map(([, c]) => c).find((c) => !stored.has(c))!;
    expect(code).toBe('DEU');
    // Committed after the import found the entity missing, before the writer creates it.
    const { report, imports, replies } = await speculate(
      a,
      metaOf(),
      bytes,
      undefined,
      async (n) => {
        if (n === 1)
          await a.query(`INSERT INTO "Entity" (code, name) VALUES ($1, 'First')`, [code]);
      },
    );
    // The store would run a transaction that lost such a race again: not the writer's, whose
    // batches are gone with it. One transaction, and its failure is the answer.
    expect(replies.filter((r) => r.type === 'begun')).toHaveLength(1);
    expect(replies.at(-1)).toMatchObject({ type: 'failed', message: /duplicate key/ });
    expect(report).toBeNull();
    expect(await count(a)).toBe(0);
    const names = await a.query<{ name: string }>('SELECT name FROM "Entity" WHERE code = $1', [
      code,
    ]);
    expect(names).toEqual([{ name: 'First' }]);
    await ordinaryAfter(imports);
  });
});
