// A speculative import: how the command-line import writes a file while it still reads it.
//
// Parsing a million-row file and writing its rows take comparable time, and an import is
// planned only once the whole file is read: its report covers every row, and a bad row anywhere
// means nothing is saved. So a writer thread (./speculative-writer.ts) appends the values as they
// are read, in a transaction it keeps open, on the guess that the plan will add every one of them
// to a new or empty series. When the file is read, the plan is made as always (./plan.ts), from
// the database as it was: the writer's rows are not committed, so the plan does not see them.
// Then the plan is compared with what was written, value by value. If the plan would have
// written exactly that, the writer commits and the report is the plan's; if not (a re-import
// over stored values, a bad row, anything else), the writer rolls back and the import runs the
// ordinary way. Either way the outcome is the ordinary import's; the guess only decides how
// early the writing starts. SQLite only: a PostgreSQL import writes with COPY after the plan.
import { isDeepStrictEqual } from 'node:util';
import type { ValueTable } from '../../formats/value-table';
import type { ImportMeta, NewIndicatorInput } from '../../schemas';
import type { ImportWrites, IndicatorRow, SeriesWrites, Store } from '../../store/types';
import { summarize, type ImportReport } from '../import-data';
import {
  entityVerdict,
  planImport,
  planIndicator,
  seriesLabel,
  type EntityVerdict,
  writesOf,
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

const NOT_WRITTEN = -1;

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

export class SpeculativeImport {
  /** Values sent to the writer: the first `fed` of `table`. */
  private fed = 0;
  private table: ValueTable | null = null;
  /** The guess failed, or the writer did: nothing more is sent. */
  private stopped = false;
  /** The writer was told to commit or to roll back. */
  private told = false;
  private readonly filter: Set<string> | null;
  /** Each entity of the table's verdict, decided once (by index in its entity list). */
  private readonly verdicts: EntityVerdict[] = [];
  private readonly groups = new Map<string, Group>();
  /** Each value's group number, or NOT_WRITTEN. */
  private groupOf = new Int32Array(1024);
  /** Entities the writer creates: code → name. */
  private readonly created = new Map<string, string>();
  /** Stored entities the writer writes to: code → id. */
  private readonly known = new Map<string, number>();
  private sentPeriods = 0;
  private sentStrings = 0;
  private readonly replies: FromWriter[] = [];
  private wake: (() => void) | null = null;

  private constructor(
    private readonly store: Store,
    private readonly meta: ImportMeta,
    private readonly setup: Setup,
    private readonly port: WriterPort,
  ) {
    this.filter = meta.entities ? new Set(meta.entities) : null;
    port.on('message', (reply) => {
      if (reply.type === 'failed') this.stopped = true;
      this.replies.push(reply);
      this.wake?.();
    });
  }

  /**
   * Starts the writer (`connect`), or returns null when this import cannot be guessed: a
   * PostgreSQL store, an unknown indicator or an impossible unit (the plan refuses those).
   */
  static async start(
    store: Store,
    url: string,
    meta: ImportMeta,
    now: Date,
    connect: () => WriterPort,
  ): Promise<SpeculativeImport | null> {
    if (store.provider !== 'sqlite') return null;
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

  /** Sends the writer the values read since the last call (the table only grows). */
  async feed(values: ValueTable): Promise<void> {
    if (this.stopped) return;
    this.table ??= values;
    // The plan's indexes are into one table: a second one is not this import's.
    if (values !== this.table) return this.stop();
    const from = this.fed;
    const to = values.length;
    if (to === from) return;
    if (this.groupOf.length < to) {
      const grown = new Int32Array(Math.max(to, this.groupOf.length * 2));
      grown.set(this.groupOf);
      this.groupOf = grown;
    }
    const { meta, setup, groupOf } = this;
    const fresh: Group[] = [];
    for (let i = from; i < to; i++) {
      const e = values.entities[i]!;
      const verdict = (this.verdicts[e] ??= entityVerdict(
        values.entityList[e]!,
        meta,
        this.filter,
        setup.byName,
      ));
      if (verdict.kind === 'error') return this.stop();
      if (verdict.kind !== 'ok') {
        groupOf[i] = NOT_WRITTEN;
        continue;
      }
      let group = this.groups.get(verdict.code);
      if (!group) {
        const name = values.entityList[e]!.name;
        group = { n: this.groups.size, code: verdict.code, name, id: null, label: '', written: 0 };
        this.groups.set(verdict.code, group);
        fresh.push(group);
      }
      groupOf[i] = group.n;
    }
    const entities = await this.resolve(fresh);
    if (!entities) return this.stop();

    // Each series' values of this batch, by index into the batch.
    const counts = new Int32Array(this.groups.size);
    for (let i = from; i < to; i++) if (groupOf[i]! >= 0) counts[groupOf[i]!]!++;
    const byNumber = [...this.groups.values()];
    const adds = new Map<number, Int32Array>();
    const filled = new Int32Array(this.groups.size);
    for (let i = from; i < to; i++) {
      const n = groupOf[i]!;
      if (n < 0) continue;
      let list = adds.get(n);
      if (!list) adds.set(n, (list = new Int32Array(counts[n]!)));
      list[filled[n]!++] = i - from;
    }
    const series: WriterBatch['series'] = [];
    for (const [n, list] of adds) {
      const group = byNumber[n]!;
      group.written += list.length;
      series.push({ code: group.code, id: group.id, label: group.label, adds: list });
    }
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
    this.fed = to;
    const buffers = Object.values(columns).flatMap((c) =>
      ArrayBuffer.isView(c) ? [c.buffer as ArrayBuffer] : [],
    );
    this.port.postMessage(batch, [...buffers, ...series.map((s) => s.adds.buffer as ArrayBuffer)]);
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
    const plan = await this.store.read((reader) =>
      planImport(reader, only.meta, only.input, false),
    );
    if (!this.agrees(only.meta, plan)) {
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

  /** Whether applying the plan would write exactly what the writer wrote, field by field. */
  private agrees(meta: ImportMeta, plan: Plan): boolean {
    if (!plan.report.ok || !plan.indicator) return false;
    const { setup, created, known } = this;
    const written = [...this.groups.values()];
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
        list.length === written.length && list.every((s) => this.seriesDisagreement(s) === null),
    });
    return field === null;
  }

  /** The first field of a planned series that differs from the series written for its code. */
  private seriesDisagreement(planned: SeriesWrites): keyof SeriesWrites | null {
    const group = this.groups.get(planned.code);
    if (!group) return 'code';
    return firstDisagreement<SeriesWrites>(planned, {
      code: (code) => code === group.code,
      id: (id) => id === group.id,
      label: (label) => label === group.label,
      adds: (adds) =>
        adds.length === group.written && adds.every((i) => this.groupOf[i] === group.n),
      // The writer only appends.
      revises: (revises) => revises.length === 0,
    });
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
