// The writing half of a speculative import (./speculative-import.ts). On a thread of its own
// and a connection of its own, it takes the write lock, appends each batch of values the
// planning half sends while that half is still parsing the file, and at the end commits or
// rolls back, as the plan of the whole file decides. Only a SQLite database is written this way.
import type { MessagePort } from 'node:worker_threads';
import { ValueTable, type TableColumns } from '../../formats/value-table';
import type { ImportMeta, NewIndicatorInput } from '../../schemas';
import { SqliteStore } from '../../store/sqlite';
import type { IndicatorRow } from '../../store/types';

/** The writer's first message: everything that holds for the whole import. */
export type WriterStart = {
  url: string;
  meta: ImportMeta;
  /** The import's time, in milliseconds since the epoch. */
  now: number;
  sourceId: number | null;
  indicator: IndicatorRow | NewIndicatorInput;
  unitToStore: string | null;
};

/** New entries of the lists a batch's columns index, in order. */
export type ListsDelta = { periods: string[]; precisions: string[]; strings: string[] };

export type WriterBatch = {
  type: 'batch';
  columns: TableColumns;
  lists: ListsDelta;
  /** Entities to create before the batch is written, and stored ones it refers to. */
  newEntities: { code: string; name: string }[];
  knownEntities: [code: string, id: number][];
  /** Per series: the stored series to add to (null: create it), and its rows of the batch. */
  series: { code: string; id: number | null; label: string; adds: Int32Array }[];
};

export type ToWriter =
  ({ type: 'start' } & WriterStart) | WriterBatch | { type: 'commit' } | { type: 'rollback' };

export type FromWriter =
  /** The write lock is held: what the database holds now stays so until the end. */
  | { type: 'begun' }
  /** A batch is written: the reader may send another (it keeps a few in flight, no more). */
  | { type: 'written' }
  | { type: 'committed'; seriesIds: [code: string, id: number][] }
  | { type: 'rolledBack' }
  | { type: 'failed'; message: string };

class RolledBack extends Error {}

/** Appends in a loop: a batch may bring more new periods than a call takes arguments. */
function append<T>(to: T[], from: T[]): void {
  for (const x of from) to.push(x);
}

/** The messages of a port, one at a time, in order. */
function inbox(port: MessagePort): () => Promise<ToWriter> {
  const queued: ToWriter[] = [];
  let waiting: ((m: ToWriter) => void) | null = null;
  port.on('message', (m: ToWriter) => {
    if (waiting) {
      const w = waiting;
      waiting = null;
      w(m);
    } else queued.push(m);
  });
  return () =>
    queued.length > 0
      ? Promise.resolve(queued.shift()!)
      : new Promise<ToWriter>((resolve) => (waiting = resolve));
}

/**
 * Serves one import on `port`, then closes it. The thread may be started before the import
 * knows what it writes (scripts/bundled-run.mjs starts it while the import loads): it waits
 * for its start.
 */
export async function serveSpeculativeWrites(port: MessagePort): Promise<void> {
  const next = inbox(port);
  const start = await next();
  if (start.type !== 'start') return port.close();
  const store = new SqliteStore(start.url);
  const { meta } = start;
  const now = new Date(start.now);
  let reply: FromWriter;
  try {
    const seriesIds = await store.write([], async (tx) => {
      port.postMessage({ type: 'begun' } satisfies FromWriter);
      let sourceId = start.sourceId;
      let indicator = start.indicator;
      const entityIds = new Map<string, number>();
      const ids = new Map<string, number>();
      const lists = {
        entityList: [],
        periodList: [] as string[],
        precisionList: [] as ValueTable['precisionList'],
        strings: [] as string[],
      };
      for (;;) {
        const m = await next();
        if (m.type === 'rollback') throw new RolledBack();
        if (m.type === 'commit') return ids;
        if (m.type !== 'batch') continue;
        append(lists.periodList, m.lists.periods);
        append(lists.precisionList, m.lists.precisions as ValueTable['precisionList']);
        append(lists.strings, m.lists.strings);
        for (const [code, id] of m.knownEntities) entityIds.set(code, id);
        const written = await tx.apply(
          {
            meta,
            sourceId,
            indicator,
            newEntities: m.newEntities,
            entityIds,
            unitToStore: start.unitToStore,
            values: ValueTable.over(m.columns, lists),
            series: m.series.map((s) => ({ ...s, id: ids.get(s.code) ?? s.id, revises: [] })),
          },
          now,
        );
        for (const [code, id] of written) ids.set(code, id);
        port.postMessage({ type: 'written' } satisfies FromWriter);
        // Created by the first batch, found by the next ones.
        sourceId ??= await tx.sourceId(meta.source.title, meta.source.producer);
        if (!('id' in indicator))
          indicator = (await tx.indicatorBySlug(indicator.slug)) ?? indicator;
      }
    });
    reply = { type: 'committed', seriesIds: [...seriesIds] };
  } catch (error) {
    reply =
      error instanceof RolledBack
        ? { type: 'rolledBack' }
        : { type: 'failed', message: error instanceof Error ? error.message : String(error) };
  } finally {
    await store.close();
  }
  port.postMessage(reply);
  port.close();
}
