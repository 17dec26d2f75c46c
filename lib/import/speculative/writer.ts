// The writing half of a speculative import (./import.ts). On a thread of its own and a
// connection of its own, it takes the write lock (SQLite's, or on PostgreSQL the indicator's
// advisory lock), appends each batch of values the planning half sends while that half is
// still parsing the file, and at the end commits or rolls back, as the plan of the whole file
// decides. A second connection never sees the rows of the open transaction: on SQLite the
// reader's snapshot, on PostgreSQL MVCC.
import type { MessagePort } from 'node:worker_threads';
import { databaseProvider } from '../../db/env';
import { ValueTable, type TableColumns } from '../../formats/value-table';
import type { ImportMeta, NewIndicatorInput } from '../../schemas';
import { SqliteStore } from '../../store/sqlite';
import type { IndicatorRow, Store, StoreWriter } from '../../store/types';

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

/**
 * The writer's transaction failed and the store would run it again: the batches it wrote are
 * gone with it, and the port's messages cannot be read twice. The first failure is the answer.
 */
class NotAgain extends Error {}

/** The store of `url`; PostgreSQL's (and pg) loaded only for a PostgreSQL import. */
async function openWriteStore(url: string): Promise<Store> {
  if (databaseProvider(url) !== 'postgresql') return new SqliteStore(url);
  const { PostgresStore } = await import('../../store/postgres');
  return new PostgresStore(url);
}

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

const errorMessage = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * Serves one import on `port`, then closes it. The thread may be started before the import
 * knows what it writes (scripts/bundled-run.mjs starts it while the import loads): it waits
 * for its start. `through` is a store to write through instead of one opened for the import
 * (the server's write worker, whose other writes then wait for it in its queue); it is left
 * open.
 */
export async function serveSpeculativeWrites(port: MessagePort, through?: Store): Promise<void> {
  const next = inbox(port);
  const start = await next();
  if (start.type !== 'start') return port.close();
  let reply: FromWriter;
  let store: Store | null = null;
  let failure: unknown = null;
  try {
    store = through ?? (await openWriteStore(start.url));
    // The indicator's lock on PostgreSQL, as the ordinary import takes (SQLite locks all).
    const seriesIds = await store.write([start.indicator.slug], async (tx) => {
      if (failure) throw new NotAgain(errorMessage(failure));
      try {
        return await writeBatches(tx, start, next, port);
      } catch (error) {
        failure = error;
        throw error;
      }
    });
    reply = { type: 'committed', seriesIds: [...seriesIds] };
  } catch (error) {
    reply =
      error instanceof RolledBack
        ? { type: 'rolledBack' }
        : { type: 'failed', message: errorMessage(error) };
  } finally {
    if (!through) await store?.close();
  }
  port.postMessage(reply);
  port.close();
}

/** The transaction's work: each batch appended until the import says commit or roll back. */
async function writeBatches(
  tx: StoreWriter,
  start: WriterStart,
  next: () => Promise<ToWriter>,
  port: MessagePort,
): Promise<Map<string, number>> {
  port.postMessage({ type: 'begun' } satisfies FromWriter);
  const { meta } = start;
  const now = new Date(start.now);
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
    if (!('id' in indicator)) indicator = (await tx.indicatorBySlug(indicator.slug)) ?? indicator;
  }
}
