// The store: everything the write path and the full export ask of the database,
// behind one interface with a SQLite and a PostgreSQL implementation. The import
// plan (lib/import/plan.ts) is pure code that asks a StoreReader what exists and
// hands a StoreWriter what to write; SQL lives only in the implementations.
import type { ValueTable } from '../formats/value-table';
import type { DatabaseProvider } from '../db/env';
import type { ImportMeta, NewIndicatorInput } from '../schemas';
import type Database from 'better-sqlite3';
import type pg from 'pg';

export type IndicatorRow = {
  id: number;
  slug: string;
  title: string;
  unitLong: string;
  unitShort: string;
  decimals: number;
};

/** The current (not superseded) revision of one period of a series. */
export type CurrentObservation = {
  id: number;
  period: string;
  value: number;
  low: number | null;
  high: number | null;
  note: string | null;
  revision: number;
};

export type SeriesKey = {
  indicatorId: number;
  entityId: number;
  kind: string;
  sourceId: number;
  label: string;
};

/** What the plan asks, inside the transaction it will write in. */
export interface StoreReader {
  indicatorBySlug(slug: string): Promise<IndicatorRow | null>;
  sourceId(title: string, publisher: string): Promise<number | null>;
  /** Every entity's code and name, for matching files that name countries. */
  entityNames(): Promise<{ code: string; name: string }[]>;
  entitiesByCode(codes: string[]): Promise<Map<string, { id: number; name: string }>>;
  findSeries(key: SeriesKey): Promise<{ id: number; archivedAt: string | null } | null>;
  /** One series at a time, so a re-import never holds every stored value at once. */
  currentObservations(seriesId: number): Promise<CurrentObservation[]>;
  /**
   * The current values of an indicator's visible series for these entities, by series
   * then period, at most `limit` (for the preview's scale check, lib/import/stored-values.ts).
   */
  storedValues(
    slug: string,
    codes: string[],
    limit: number,
  ): Promise<{ indicator: { unitLong: string; unitShort: string } | null; rows: StoredValueRow[] }>;
  /**
   * Portable SQL (`?` placeholders) in the read's or write's transaction, for the few-row
   * reads and writes of documents, quoted claims, derivations and import recipes. Integer and
   * text columns read alike in both stores; timestamps do not.
   */
  query<R>(sql: string, params?: SqlValue[]): Promise<R[]>;
}

export type StoredValueRow = {
  id: number;
  label: string;
  unit: string | null;
  code: string;
  period: string;
  value: number;
};

/** A value that supersedes the current revision of its period. */
export type Revision = {
  /** The value's index in ImportWrites.values. */
  index: number;
  previous: { id: number; revision: number };
};

/**
 * Per series: values to add as revision 1, and values that supersede a current revision,
 * as indexes into ImportWrites.values (a million values cost 4 MB here, not a million objects).
 */
export type SeriesWrites = {
  code: string;
  /** The existing series, or null to create it. */
  id: number | null;
  label: string;
  adds: Int32Array;
  revises: Revision[];
};

/** What an accepted plan writes. */
export type ImportWrites = {
  meta: ImportMeta;
  sourceId: number | null;
  indicator: IndicatorRow | NewIndicatorInput;
  newEntities: { code: string; name: string }[];
  entityIds: Map<string, number>;
  /** The unit the values are recorded in, when it is not the indicator's. */
  unitToStore: string | null;
  /** The values the series' indexes refer to. */
  values: ValueTable;
  series: SeriesWrites[];
};

/** What portable SQL binds: booleans and Dates are written as each store writes them. */
export type SqlValue = string | number | boolean | Date | null;

export interface StoreWriter extends StoreReader {
  /** Applies the writes; returns the id of each written series by entity code. */
  apply(writes: ImportWrites, now: Date): Promise<Map<string, number>>;
  /** An INSERT in portable SQL; the new row's id. */
  insert(sql: string, params?: SqlValue[]): Promise<number>;
}

/** Reads that stream, all from one snapshot (a download reads several queries). */
export interface ReadSession {
  /**
   * Rows as arrays, one at a time, for portable SQL with `?` placeholders. Only
   * integers, floats and text columns: timestamps read differently in each store.
   */
  rows<R extends unknown[]>(sql: string, args?: unknown[]): AsyncIterable<R>;
  /**
   * The session's own connection, inside its read transaction, for readers that
   * stream in a store's native way (the full CSV: lib/export/full-export.ts).
   */
  connection: SessionConnection;
}

export type SessionConnection =
  | { provider: 'sqlite'; db: Database.Database }
  /** `abandon()`: the stream stopped mid-COPY, so the connection is closed, not reused. */
  | { provider: 'postgresql'; client: pg.PoolClient; abandon(): void };

export interface Store {
  readonly provider: DatabaseProvider;
  /** The DATABASE_URL it was opened on: another connection to the same database opens it. */
  readonly url: string;
  /** Runs `work` on one consistent snapshot, writing nothing. */
  read<T>(work: (reader: StoreReader) => Promise<T>): Promise<T>;
  /**
   * Runs `work` in one write transaction: all of it is written or none. `lockKeys`
   * (indicator slugs) name what it writes, so concurrent writers to the same series
   * wait for each other; a store that takes one write lock for everything may ignore
   * them. A busy or unreachable database is a DatabaseBusyError.
   */
  write<T>(lockKeys: string[], work: (writer: StoreWriter) => Promise<T>): Promise<T>;
  /** Hides (or restores) a series; returns its archivedAt as an ISO string, or null. */
  setArchived(seriesId: number, archived: boolean, now: Date): Promise<string | null>;
  /**
   * Streams what `make` yields from a read session, closing the session when the
   * stream ends, fails or is abandoned (`return()`).
   */
  session<T>(make: (session: ReadSession) => AsyncIterable<T>): AsyncGenerator<T>;
  close(): Promise<void>;
}
