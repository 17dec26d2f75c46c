// The SQLite store: one better-sqlite3 connection per process does every write, in
// a transaction that takes SQLite's write lock up front (BEGIN IMMEDIATE), so writers
// are serialized whatever they touch. Transactions here span awaits (the plan asks
// the store step by step), so a queue lets one at a time use the connection; another
// process (a command-line import) is waited for up to the busy timeout, and if it
// still holds the lock the write fails whole with DatabaseBusyError.
import type Database from 'better-sqlite3';
import { openReadConnection, openWriterConnection } from '../db/connections';
import { DatabaseBusyError, DiskFullError, errorCode, isBusy } from '../db/errors';
import { sqliteTimestamp } from '../db/timestamp';
import type {
  CurrentObservation,
  ImportWrites,
  IndicatorRow,
  ReadSession,
  SeriesKey,
  SqlValue,
  Store,
  StoredValueRow,
  StoreWriter,
} from './types';

const ATTEMPTS = 3;

/**
 * Copies committed pages from the WAL into the database while there is room, so that
 * if this write fills the disk, the WAL holds nothing but the failed write's pages and
 * can be emptied (see `releaseWal`). Passive: it never waits for readers.
 */
export function checkpoint(db: Database.Database, mode: 'PASSIVE' | 'TRUNCATE'): void {
  try {
    db.pragma(`wal_checkpoint(${mode})`);
  } catch {
    // Best effort: a busy reader or a full disk leaves the WAL for a later checkpoint.
  }
}

/**
 * After a write failed for lack of space: the rolled-back pages stay in the WAL file,
 * keeping the volume full, until a checkpoint truncates it.
 */
export function releaseWal(db: Database.Database): void {
  checkpoint(db, 'TRUNCATE');
}

async function* asAsync<T>(items: Iterable<T>): AsyncGenerator<T> {
  yield* items;
}

/** Runs one task at a time, in the order they were queued. */
class Queue {
  private tail: Promise<unknown> = Promise.resolve();
  run<T>(task: () => Promise<T>): Promise<T> {
    const result = this.tail.then(task);
    this.tail = result.catch(() => {});
    return result;
  }
}

function statements(db: Database.Database) {
  return {
    indicator: db.prepare(
      'SELECT id, slug, title, "unitLong", "unitShort", decimals FROM "Indicator" WHERE slug = ?',
    ),
    source: db.prepare('SELECT id FROM "Source" WHERE title = ? AND publisher = ?').pluck(),
    entityNames: db.prepare('SELECT code, name FROM "Entity"'),
    series: db.prepare(
      'SELECT id, "archivedAt" FROM "Series" WHERE "indicatorId" = ? AND "entityId" = ? AND kind = ? AND "sourceId" = ? AND label = ?',
    ),
    current: db.prepare(
      'SELECT id, period, value, low, high, note, revision FROM "Observation" WHERE "seriesId" = ? AND "supersededAt" IS NULL',
    ),
    insertSource: db.prepare(
      `INSERT INTO "Source" (title, publisher, url, citation, "publishedOn", "publishedPrecision", license, "accessedOn", "usageNote", "createdAt")
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    insertIndicator: db.prepare(
      `INSERT INTO "Indicator" (slug, title, description, "unitLong", "unitShort", decimals, "createdAt") VALUES (?, ?, ?, ?, ?, ?, ?)`,
    ),
    insertEntity: db.prepare('INSERT INTO "Entity" (code, name) VALUES (?, ?)'),
    insertSeries: db.prepare(
      `INSERT INTO "Series" ("indicatorId", "entityId", kind, label, unit, "sourceId", "recordedAt") VALUES (?, ?, ?, ?, ?, ?, ?)`,
    ),
    supersede: db.prepare(
      'UPDATE "Observation" SET "supersededAt" = ? WHERE id = ? AND "supersededAt" IS NULL',
    ),
    insert: db.prepare(
      `INSERT INTO "Observation" ("seriesId", period, precision, value, low, high, note, revision, "recordedAt") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    // Most imported values have no bounds and no note: a narrower statement binds less.
    insertPlain: db.prepare(
      `INSERT INTO "Observation" ("seriesId", period, precision, value, revision, "recordedAt") VALUES (?, ?, ?, ?, ?, ?)`,
    ),
    // The write's time is part of the statement, not bound to each row, and so is the values'
    // precision when they share one (the usual case): binding the same strings a million
    // times took about 0.3 s of a million-row import.
    insertBatch: recent((key: string) => {
      const [extras, at, precision] = JSON.parse(key) as [boolean, string, string | null];
      const names = ['"seriesId"', 'period', 'precision', 'value'];
      const row = ['?', '?', precision === null ? '?' : sqlText(precision), '?'];
      if (extras) {
        names.push('low', 'high', 'note');
        row.push('?', '?', '?');
      }
      names.push('revision', '"recordedAt"');
      row.push('?', sqlText(at));
      const one = `(${row.join(', ')})`;
      return db.prepare(
        `INSERT INTO "Observation" (${names.join(', ')}) VALUES ${new Array(BATCH).fill(one).join(', ')}`,
      );
    }),
  };
}

/**
 * Rows per multi-row INSERT of observations: 500 took a million rows in about 0.15 s less than
 * 100 did (fewer statement runs, and AUTOINCREMENT's sqlite_sequence is written once per
 * statement), at 4,000 parameters at most, well under SQLite's 32,766.
 */
const BATCH = 500;

/** A timestamp or a precision as an SQL literal; only those, so nothing needs escaping. */
function sqlText(text: string): string {
  if (!/^[0-9a-zT:.+-]+$/.test(text)) throw new Error(`not a timestamp or precision: ${text}`);
  return `'${text}'`;
}

/**
 * `make(key)`, kept for the last few keys: an import's batches share one key (its time),
 * and every import has a time of its own.
 */
function recent<T>(make: (key: string) => T, keep = 4): (key: string) => T {
  const made = new Map<string, T>();
  return (key) => {
    let value = made.get(key);
    if (value === undefined) {
      value = make(key);
      made.set(key, value);
      if (made.size > keep) made.delete(made.keys().next().value!);
    }
    return value;
  };
}

/** The year, month or day precision of a source's ISO publication date. */
export function datePrecision(iso: string | undefined): string | null {
  return iso ? (['year', 'month', 'day'][iso.split('-').length - 1] ?? null) : null;
}

/** better-sqlite3 binds no booleans or Dates: 0/1, and timestamps as Prisma writes them. */
function sqliteValue(v: SqlValue): string | number | null {
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (v instanceof Date) return sqliteTimestamp(v);
  return v;
}

class SqliteWriter implements StoreWriter {
  private s: ReturnType<typeof statements> | null = null;
  constructor(private readonly db: Database.Database) {}

  private get st() {
    return (this.s ??= statements(this.db));
  }

  async indicatorBySlug(slug: string) {
    return (this.st.indicator.get(slug) as IndicatorRow | undefined) ?? null;
  }
  async sourceId(title: string, publisher: string) {
    return (this.st.source.get(title, publisher) as number | undefined) ?? null;
  }
  async entityNames() {
    return this.st.entityNames.all() as { code: string; name: string }[];
  }
  async entitiesByCode(codes: string[]) {
    const known = new Map<string, { id: number; name: string }>();
    for (let i = 0; i < codes.length; i += 500) {
      const chunk = codes.slice(i, i + 500);
      const rows = this.db
        .prepare(
          `SELECT id, code, name FROM "Entity" WHERE code IN (${chunk.map(() => '?').join(',')})`,
        )
        .all(...chunk) as { id: number; code: string; name: string }[];
      for (const r of rows) known.set(r.code, { id: r.id, name: r.name });
    }
    return known;
  }
  async findSeries(k: SeriesKey) {
    const row = this.st.series.get(k.indicatorId, k.entityId, k.kind, k.sourceId, k.label) as
      { id: number; archivedAt: string | null } | undefined;
    return row ?? null;
  }
  async currentObservations(seriesId: number) {
    return this.st.current.all(seriesId) as CurrentObservation[];
  }
  async storedValues(slug: string, codes: string[], limit: number) {
    const indicator = this.db
      .prepare('SELECT id, "unitLong", "unitShort" FROM "Indicator" WHERE slug = ?')
      .get(slug) as { id: number; unitLong: string; unitShort: string } | undefined;
    if (!indicator || codes.length === 0) return { indicator: indicator ?? null, rows: [] };
    const rows = this.db
      .prepare(
        `SELECT s.id, s.label, s.unit, e.code, o.period, o.value
         FROM "Observation" o
         JOIN "Series" s ON s.id = o."seriesId"
         JOIN "Entity" e ON e.id = s."entityId"
         WHERE s."indicatorId" = ? AND s."archivedAt" IS NULL AND o."supersededAt" IS NULL
           AND e.code IN (${codes.map(() => '?').join(',')})
         ORDER BY s.id, o.period
         LIMIT ?`,
      )
      .all(indicator.id, ...codes, limit) as StoredValueRow[];
    return { indicator, rows };
  }

  async query<R>(sql: string, params: SqlValue[] = []): Promise<R[]> {
    return this.db.prepare(sql).all(...params.map(sqliteValue)) as R[];
  }
  async insert(sql: string, params: SqlValue[] = []): Promise<number> {
    return Number(this.db.prepare(sql).run(...params.map(sqliteValue)).lastInsertRowid);
  }
  async apply(w: ImportWrites, now: Date): Promise<Map<string, number>> {
    const st = this.st;
    const at = sqliteTimestamp(now);
    const src = w.meta.source;
    const sourceId =
      w.sourceId ??
      Number(
        st.insertSource.run(
          src.title,
          src.producer,
          src.url ?? null,
          src.citation ?? null,
          src.publishedAt ?? null,
          datePrecision(src.publishedAt),
          src.license ?? null,
          src.accessedAt ?? null,
          src.note ?? null,
          at,
        ).lastInsertRowid,
      );
    const ind = w.indicator;
    const indicatorId =
      'id' in ind
        ? ind.id
        : Number(
            st.insertIndicator.run(
              ind.slug,
              ind.title,
              ind.description ?? '',
              ind.unitLong,
              ind.unitShort,
              ind.decimals,
              at,
            ).lastInsertRowid,
          );
    for (const e of w.newEntities)
      w.entityIds.set(e.code, Number(st.insertEntity.run(e.code, e.name).lastInsertRowid));

    // Observations in multi-row INSERTs of BATCH rows: a million rows cost 2,000 statement
    // runs instead of a million, which halves the time SQLite's own work leaves over.
    const values = w.values;
    const extras = values.hasExtras;
    const [first] = values.precisionList;
    const shared =
      first !== undefined && values.precisionList.every((p) => p === first) ? first : null;
    const batch = st.insertBatch(JSON.stringify([extras, at, shared]));
    // seriesId, period, [precision], value, [low, high, note], revision
    const width = 4 + (shared === null ? 1 : 0) + (extras ? 3 : 0);
    const args: (string | number | null)[] = new Array(BATCH * width);
    let n = 0;
    const write = (seriesId: number, i: number, revision: number) => {
      let o = n * width;
      args[o++] = seriesId;
      args[o++] = values.periodOf(i);
      if (shared === null) args[o++] = values.precisionOf(i);
      args[o++] = values.values[i]!;
      if (extras) {
        args[o++] = values.low(i) ?? null;
        args[o++] = values.high(i) ?? null;
        args[o++] = values.note(i) ?? null;
      }
      args[o] = revision;
      if (++n === BATCH) {
        batch.run(args);
        n = 0;
      }
    };
    const ids = new Map<string, number>();
    for (const s of w.series) {
      const seriesId =
        s.id ??
        Number(
          st.insertSeries.run(
            indicatorId,
            w.entityIds.get(s.code)!,
            w.meta.kind,
            s.label,
            w.unitToStore,
            sourceId,
            at,
          ).lastInsertRowid,
        );
      ids.set(s.code, seriesId);
      for (const i of s.adds) write(seriesId, i, 1);
      for (const { index, previous } of s.revises) {
        // The plan was made in this transaction, so the row is still current; a failed
        // check means a bug, and the whole import rolls back.
        if (st.supersede.run(at, previous.id).changes !== 1) {
          throw new Error(`${s.code} ${values.periodOf(index)} changed during the import`);
        }
        write(seriesId, index, previous.revision + 1);
      }
    }
    // The last, partial batch row by row.
    for (let k = 0; k < n; k++) {
      const row = args.slice(k * width, (k + 1) * width);
      if (shared !== null) row.splice(2, 0, shared);
      (extras ? st.insert : st.insertPlain).run(...row, at);
    }
    return ids;
  }
}

export class SqliteStore implements Store {
  readonly provider = 'sqlite' as const;
  private readonly queue = new Queue();
  private readonly writer: SqliteWriter;

  constructor(
    readonly url: string,
    private readonly db: Database.Database = openWriterConnection(url),
  ) {
    this.writer = new SqliteWriter(db);
  }

  /** The underlying connection, for tests and benchmarks that look at the file directly. */
  get connection(): Database.Database {
    return this.db;
  }

  read<T>(work: (reader: StoreWriter) => Promise<T>): Promise<T> {
    return this.queue.run(async () => {
      // A deferred transaction: one snapshot for every question the plan asks.
      this.db.exec('BEGIN');
      try {
        return await work(this.writer);
      } finally {
        if (this.db.inTransaction) this.db.exec('ROLLBACK');
      }
    });
  }

  write<T>(_lockKeys: string[], work: (writer: StoreWriter) => Promise<T>): Promise<T> {
    return this.queue.run(async () => {
      // Room for this write's pages: see `checkpoint` on a full disk.
      checkpoint(this.db, 'PASSIVE');
      this.begin();
      try {
        const result = await work(this.writer);
        this.db.exec('COMMIT');
        return result;
      } catch (error) {
        if (this.db.inTransaction) this.db.exec('ROLLBACK');
        if (errorCode(error) === 'SQLITE_FULL') {
          releaseWal(this.db);
          throw new DiskFullError();
        }
        if (isBusy(error)) throw new DatabaseBusyError();
        throw error;
      }
    });
  }

  /** BEGIN IMMEDIATE, retried on SQLITE_BUSY, then reported as DatabaseBusyError. */
  private begin() {
    for (let attempt = 1; ; attempt++) {
      try {
        this.db.exec('BEGIN IMMEDIATE');
        return;
      } catch (error) {
        if (!isBusy(error)) throw error;
        if (attempt >= ATTEMPTS) throw new DatabaseBusyError();
      }
    }
  }

  setArchived(seriesId: number, archived: boolean, now: Date): Promise<string | null> {
    return this.write([], async () => {
      const at = archived ? sqliteTimestamp(now) : null;
      const changed = this.db
        .prepare(
          archived
            ? 'UPDATE "Series" SET "archivedAt" = ? WHERE id = ? AND "archivedAt" IS NULL'
            : 'UPDATE "Series" SET "archivedAt" = ? WHERE id = ?',
        )
        .run(at, seriesId).changes;
      if (changed === 0 && archived) {
        const row = this.db
          .prepare('SELECT "archivedAt" FROM "Series" WHERE id = ?')
          .get(seriesId) as { archivedAt: string | null } | undefined;
        return row?.archivedAt ?? null;
      }
      return at;
    });
  }

  async *session<T>(make: (session: ReadSession) => AsyncIterable<T>): AsyncGenerator<T> {
    // Its own read-only connection: a snapshot that stays consistent while it streams
    // (one read transaction), and no hold on the writer.
    const db = openReadConnection(this.url);
    try {
      db.exec('BEGIN');
      yield* make({
        rows: <R extends unknown[]>(sql: string, args: unknown[] = []) =>
          asAsync(
            db
              .prepare(sql)
              .raw(true)
              .iterate(...args) as IterableIterator<R>,
          ),
        connection: { provider: 'sqlite', db },
      });
    } finally {
      db.close();
    }
  }

  async close() {
    await this.queue.run(async () => this.db.close());
  }
}
