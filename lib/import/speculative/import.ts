// A speculative import: how the command-line import writes a file while it still reads it.
//
// Parsing a million-row file and writing its rows take comparable time, and an import is
// planned only once the whole file is read: its report covers every row, and a bad row anywhere
// means nothing is saved. So a writer thread (./writer.ts) appends the values as they are read,
// in a transaction it keeps open, on the guess that the plan will add every one of them to a new
// or empty series. When the file is read, the plan is made as always (../plan.ts), from the
// database as it was: the writer's rows are not committed, so the plan does not see them (on
// SQLite the reader's snapshot, on PostgreSQL MVCC).
// Then the plan is compared with what was written, value by value. If the plan would have
// written exactly that, the writer commits and the report is the plan's; if not (a re-import
// over stored values, a bad row, anything else), the writer rolls back and the import runs the
// ordinary way. Either way the outcome is the ordinary import's; the guess only decides how
// early the writing starts. On both stores the values are sent once and released (flat memory).
import { isDeepStrictEqual } from 'node:util';
import type { ValueTable } from '../../formats/value-table';
import type { ImportMeta, NewIndicatorInput } from '../../schemas';
import type {
  ImportWrites,
  IndicatorRow,
  SeriesWrites,
  Store,
  StoreReader,
} from '../../store/types';
import { summarize, type ImportReport } from '../import-data';
import {
  planFromGrouping,
  planImport,
  planIndicator,
  seriesLabel,
  streamingGrouping,
  writesOf,
  type Grouping,
  type Plan,
} from '../plan';
import { valueTable } from '../report';
import type { FileImport } from '../sources';
import type { FromWriter, ToWriter, WriterBatch } from './writer';

/** The writer thread as this side sees it: a Worker, or a MessagePort in tests. */
export type WriterPort = {
  postMessage(message: ToWriter, transfer?: ArrayBuffer[]): void;
  on(event: 'message', listener: (message: FromWriter) => void): unknown;
};

type Group = {
  /** Its number in `groupOf`. */
  n: number;
  code: string;
  /** The entity's name in the file, as the plan names a new entity. */
  name: string | null;
  /** The stored (empty) series written to, or null for one the writer creates. */
  id: number | null;
  label: string;
  written: number;
};

type Setup = {
  existing: IndicatorRow | null;
  /** The indicator the writer was given: the stored row, or the one it creates. */
  indicator: IndicatorRow | NewIndicatorInput;
  sourceId: number | null;
  unitToStore: string | null;
  byName: Map<string, string>;
};

/**
 * One comparer per field of `T`, each saying whether the planned value is what was written.
 * A field added to ImportWrites (or SeriesWrites) and not compared fails to compile.
 */
type Comparers<T> = { [K in keyof T]-?: (planned: T[K]) => boolean };

/** The first field of `planned` its comparer rejects, or null when every field agrees. */
export function firstDisagreement<T extends object>(
  planned: T,
  comparers: Comparers<T>,
): keyof T | null {
  for (const key of Object.keys(comparers) as (keyof T)[])
    if (!comparers[key](planned[key])) return key;
  return null;
}

/** Batches (about a megabyte of the file each) sent ahead of the writer at most. */
const MAX_IN_FLIGHT = 4;

export class SpeculativeImport {
  /** Values of `table` sent to the writer (the table's first `fed`). */
  private fed = 0;
  private table: ValueTable | null = null;
  /** The guess failed, or the writer did: nothing more is sent. */
  private stopped = false;
  /** The writer was told to commit or to roll back. */
  private told = false;
  /** The file's values grouped and checked as they are sent: the plan's grouping. */
  private grouping: Grouping | null = null;
  /** The grouping found a value the plan refuses. */
  private refused = false;
  /**
   * Values sent are released from the table (flat memory): true until an entity without a code
   * comes before any was released (its code is found when the file ends: the table is kept).
   * Never for a file split into projections when it ends: the split reads every value's row.
   */
  private releasing: boolean;
  /** Entities of the table's list looked at for a code. */
  private entitiesSeen = 0;
  /** The writer's series, by group number (the grouping's). */
  private readonly groups: Group[] = [];
  /** The same, by entity code: a file of 15,000 series is compared with its plan in one pass. */
  private readonly groupByCode = new Map<string, Group>();
  /** While nothing is released: each value's group number, or -1 when it is not written. */
  private groupOf = new Int32Array(1024);
  /** Entities the writer creates: code → name. */
  private readonly created = new Map<string, string>();
  /** Stored entities the writer writes to: code → id. */
  private readonly known = new Map<string, number>();
  private sentPeriods = 0;
  private sentStrings = 0;
  private readonly replies: FromWriter[] = [];
  /** Batches sent and not yet written. */
  private inFlight = 0;
  private wake: (() => void) | null = null;

  private constructor(
    private readonly store: Store,
    private readonly meta: ImportMeta,
    private readonly setup: Setup,
    private readonly port: WriterPort,
  ) {
    this.releasing = !meta.mapping?.projections;
    port.on('message', (reply) => {
      if (reply.type === 'written') {
        this.inFlight--;
        return this.wake?.();
      }
      if (reply.type === 'failed') this.stopped = true;
      this.replies.push(reply);
      this.wake?.();
    });
  }

  /**
   * Starts the writer (`connect`), or returns null when this import cannot be guessed: an
   * unknown indicator or an impossible unit (the plan refuses those).
   */
  static async start(
    store: Store,
    url: string,
    meta: ImportMeta,
    now: Date,
    connect: () => WriterPort,
  ): Promise<SpeculativeImport | null> {
    const ready = await store.read(async (reader) => {
      const head = await planIndicator(reader, meta);
      if ('error' in head || 'problem' in head.unit) return null;
      const byName = new Map<string, string>();
      for (const e of await reader.entityNames()) byName.set(e.name.toLowerCase(), e.code);
      const sourceId = await reader.sourceId(meta.source.title, meta.source.producer);
      return {
        head,
        setup: {
          existing: head.existing,
          indicator: head.indicator,
          sourceId,
          unitToStore: head.unitToStore,
          byName,
        },
      };
    });
    if (!ready) return null;
    const port = connect();
    port.postMessage({
      type: 'start',
      url,
      meta,
      now: now.getTime(),
      sourceId: ready.setup.sourceId,
      indicator: ready.head.indicator,
      unitToStore: ready.setup.unitToStore,
    });
    return new SpeculativeImport(store, meta, ready.setup, port);
  }

  /**
   * Sends the writer the values read since the last call (the table only grows), grouped and
   * checked as the plan will, then releases them from the table unless it is to be kept whole.
   */
  async feed(values: ValueTable): Promise<void> {
    if (this.stopped) return;
    this.table ??= values;
    // The plan's indexes are into one table: a second one is not this import's.
    if (values !== this.table) return this.stop();
    const from = this.fed;
    const to = values.length;
    if (to === from) return;
    if (!this.mayGoOn(values)) return this.stop();
    this.grouping ??= streamingGrouping(
      values,
      this.meta,
      this.setup.byName,
      this.setup.indicator,
      () => (this.refused = true),
    );
    const batchGroups = new Int32Array(to - from);
    this.grouping.add(from, to, batchGroups);
    // A value the plan refuses: nothing is written, the report comes the ordinary way.
    if (this.refused) return this.stop();
    const entities = await this.resolve(this.freshGroups());
    if (!entities) return this.stop();
    this.send(values, from, to, batchGroups, entities);
    await this.caughtUp();
    if (this.releasing) {
      values.release();
      this.fed = 0;
    } else this.keepGroups(from, batchGroups);
  }

  /**
   * Waits while the writer is more than a few batches behind: a writer slower than the parser
   * (its indexes grow past the page cache) would otherwise queue the file in messages.
   */
  private async caughtUp(): Promise<void> {
    while (this.inFlight > MAX_IN_FLIGHT && !this.stopped)
      await new Promise<void>((resolve) => (this.wake = resolve));
  }

  /**
   * Whether the values can still be written as they come. An entity without a code gets its
   * code when the file ends: before anything is released the table is then kept whole, after,
   * the guess is given up.
   */
  private mayGoOn(values: ValueTable): boolean {
    const list = values.entityList;
    for (; this.entitiesSeen < list.length; this.entitiesSeen++) {
      if (list[this.entitiesSeen]!.code !== null) continue;
      if (values.released > 0) return false;
      this.releasing = false;
    }
    return true;
  }

  /** The groups the grouping met since the last batch. */
  private freshGroups(): Group[] {
    const grouping = this.grouping!;
    const { names } = grouping.facts();
    const fresh: Group[] = [];
    for (let n = this.groups.length; n < grouping.codes.length; n++) {
      const code = grouping.codes[n]!;
      const group = { n, code, name: names.get(code) ?? null, id: null, label: '', written: 0 };
      this.groups.push(group);
      this.groupByCode.set(code, group);
      fresh.push(group);
    }
    return fresh;
  }

  /** Values [from, to) to the writer: their columns, the lists' new entries, each series' rows. */
  private send(
    values: ValueTable,
    from: number,
    to: number,
    batchGroups: Int32Array,
    entities: Pick<WriterBatch, 'newEntities' | 'knownEntities'>,
  ): void {
    const series = this.seriesOf(batchGroups);
    const columns = values.columnsOf(from, to);
    const batch: WriterBatch = {
      type: 'batch',
      columns,
      lists: {
        periods: values.periodList.slice(this.sentPeriods),
        precisions: values.precisionList.slice(this.sentPeriods),
        strings: values.strings.slice(this.sentStrings),
      },
      ...entities,
      series,
    };
    this.sentPeriods = values.periodList.length;
    this.sentStrings = values.strings.length;
    const buffers = Object.values(columns).flatMap((c) =>
      ArrayBuffer.isView(c) ? [c.buffer as ArrayBuffer] : [],
    );
    this.port.postMessage(batch, [...buffers, ...series.map((s) => s.adds.buffer as ArrayBuffer)]);
    this.inFlight++;
  }

  /** Each series' values of a batch, by index into the batch. */
  private seriesOf(batchGroups: Int32Array): WriterBatch['series'] {
    const counts = new Int32Array(this.groups.length);
    for (const n of batchGroups) if (n >= 0) counts[n]!++;
    const adds = new Map<number, Int32Array>();
    const filled = new Int32Array(this.groups.length);
    batchGroups.forEach((n, k) => {
      if (n < 0) return;
      let list = adds.get(n);
      if (!list) adds.set(n, (list = new Int32Array(counts[n]!)));
      list[filled[n]!++] = k;
    });
    const series: WriterBatch['series'] = [];
    for (const [n, list] of adds) {
      const group = this.groups[n]!;
      group.written += list.length;
      series.push({ code: group.code, id: group.id, label: group.label, adds: list });
    }
    return series;
  }

  /** A kept table's values' groups, to compare with the plan's indexes at the end. */
  private keepGroups(from: number, batchGroups: Int32Array): void {
    const to = from + batchGroups.length;
    if (this.groupOf.length < to) {
      const grown = new Int32Array(Math.max(to, this.groupOf.length * 2));
      grown.set(this.groupOf);
      this.groupOf = grown;
    }
    this.groupOf.set(batchGroups, from);
    this.fed = to;
  }

  /**
   * The entity and the series of each code seen for the first time, as the plan will find them;
   * null when the guess cannot hold (an unknown entity not to be created, or stored values).
   */
  private async resolve(
    fresh: Group[],
  ): Promise<Pick<WriterBatch, 'newEntities' | 'knownEntities'> | null> {
    const newEntities: WriterBatch['newEntities'] = [];
    const knownEntities: WriterBatch['knownEntities'] = [];
    if (fresh.length === 0) return { newEntities, knownEntities };
    const { meta, setup } = this;
    const ok = await this.store.read(async (reader) => {
      const known = await reader.entitiesByCode(fresh.map((g) => g.code));
      for (const group of fresh) {
        const entity = known.get(group.code);
        if (entity) {
          knownEntities.push([group.code, entity.id]);
          this.known.set(group.code, entity.id);
        } else if (!meta.createEntities) return false;
        else {
          const name = group.name ?? group.code;
          newEntities.push({ code: group.code, name });
          this.created.set(group.code, name);
        }
        group.label = seriesLabel(meta, undefined, entity?.name ?? group.name ?? group.code);
        if (!setup.existing || !entity || setup.sourceId === null) continue;
        const row = await reader.findSeries({
          indicatorId: setup.existing.id,
          entityId: entity.id,
          kind: meta.kind,
          sourceId: setup.sourceId,
          label: group.label,
        });
        if (row && (await reader.currentObservations(row.id)).length > 0) return false;
        group.id = row?.id ?? null;
      }
      return true;
    });
    return ok ? { newEntities, knownEntities } : null;
  }

  /**
   * The file is read: the report of the import, committed, when the plan agrees with what was
   * written; null when it does not (nothing of it is kept), and the import is to run the
   * ordinary way.
   */
  async finish(file: FileImport): Promise<ImportReport | null> {
    const [only, ...more] = file.items;
    // A file read as several series, and UNdata's footnotes (their numbers become their text
    // when the file ends, after the values were sent): the ordinary way.
    if (!only || more.length > 0 || only.input.parse?.format === 'undata') this.stop();
    else await this.feed(valueTable(only.input.values));
    if (this.stopped || !only) {
      await this.end('rollback');
      return null;
    }
    // Planned once the writer holds the lock: from what the database holds until it commits.
    const begun = await this.next((r) => r.type === 'begun' || r.type === 'failed');
    if (begun.type !== 'begun') return null;
    const plan = await this.store.read((reader) => this.plan(reader, only));
    if (!plan || !this.agrees(only.meta, plan)) {
      await this.end('rollback');
      return null;
    }
    const outcome = await this.end('commit');
    if (outcome.type !== 'committed') return null;
    const ids = new Map(outcome.seriesIds);
    const report = plan.report;
    for (const e of report.entities) e.seriesId = ids.get(e.code) ?? e.seriesId;
    report.committed = true;
    report.message = summarize(report);
    return report;
  }

  /**
   * True when values were released from the table: after a null `finish`, the ordinary import
   * needs the file read again.
   */
  get released(): boolean {
    return (this.table?.released ?? 0) > 0;
  }

  /**
   * The plan of the file: of its table, kept whole; or of the grouping made as it was read,
   * when its values were released and nothing needed them again (null when something did).
   */
  private async plan(reader: StoreReader, only: FileImport['items'][number]) {
    const table = this.table;
    if (!table || table.released === 0) return planImport(reader, only.meta, only.input, false);
    if (table.partial || !only.input.parse || !this.grouping) return null;
    return planFromGrouping(reader, only.meta, only.input, this.grouping, false);
  }

  /** Whether applying the plan would write exactly what the writer wrote, field by field. */
  private agrees(meta: ImportMeta, plan: Plan): boolean {
    if (!plan.report.ok || !plan.indicator) return false;
    const { setup, created, known } = this;
    const written = this.groups;
    const field = firstDisagreement<ImportWrites>(writesOf(meta, plan), {
      meta: (m) => isDeepStrictEqual(m, this.meta),
      sourceId: (id) => id === setup.sourceId,
      indicator: (i) => isDeepStrictEqual(i, setup.indicator),
      newEntities: (list) =>
        list.length === created.size && list.every((e) => created.get(e.code) === e.name),
      // Only the entities written to matter: the store looks up no other.
      entityIds: (ids) => written.every((g) => ids.get(g.code) === known.get(g.code)),
      unitToStore: (unit) => unit === setup.unitToStore,
      // The plan's indexes are into the table sent, and every value of it was sent.
      values: (table) => table === this.table && this.fed === table.length,
      series: (list) =>
        list.length === written.length &&
        list.every((s) => this.seriesDisagreement(s, plan.counted) === null),
    });
    return field === null;
  }

  /** The first field of a planned series that differs from the series written for its code. */
  private seriesDisagreement(
    planned: SeriesWrites,
    counted: Plan['counted'],
  ): keyof SeriesWrites | null {
    const group = this.groupByCode.get(planned.code);
    if (!group) return 'code';
    return firstDisagreement<SeriesWrites>(planned, {
      code: (code) => code === group.code,
      id: (id) => id === group.id,
      label: (label) => label === group.label,
      // Counted: the grouping that counted them chose each value's series as it was sent.
      adds: (adds) =>
        counted
          ? adds.length === 0 && counted.get(group.code) === group.written
          : adds.length === group.written && adds.every((i) => this.groupOf[i] === group.n),
      // The writer only appends.
      revises: (revises) => revises.length === 0,
    });
  }

  /**
   * Ends an import that will not finish (its file failed to read): the writer rolls back,
   * if it has not ended already, and this waits until it has.
   */
  async abandon(): Promise<void> {
    this.stop();
    await this.end('rollback');
  }

  /** Stops sending: the writer rolls back now, not when the file ends, and frees the lock. */
  private stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.tell('rollback');
  }

  private tell(how: 'commit' | 'rollback'): void {
    if (this.told) return;
    this.told = true;
    this.port.postMessage({ type: how });
  }

  /** Tells the writer how to end (unless it has), and waits until it has. */
  private async end(how: 'commit' | 'rollback'): Promise<FromWriter> {
    const done = (r: FromWriter) =>
      r.type === 'committed' || r.type === 'rolledBack' || r.type === 'failed';
    if (!this.replies.some(done)) this.tell(how);
    return this.next(done);
  }

  private async next(match: (r: FromWriter) => boolean): Promise<FromWriter> {
    for (;;) {
      const found = this.replies.find(match);
      if (found) return found;
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
  }
}
