// The PostgreSQL store. Every write is one transaction on a pooled connection that
// first takes a transaction-scoped advisory lock per indicator it writes to, so two
// writers to the same series (on this server or any other app server on the same
// database) take turns and each plans against what the other committed: nothing is
// half-written and no acknowledged value is lost. Writers to different indicators
// run side by side; if two of them create the same source or entity at once, the
// loser's transaction is rolled back by the unique index and run again. Observations
// are written with COPY. A busy or unreachable server is a DatabaseBusyError.
import type { Writable } from 'node:stream';
import type pg from 'pg';
import copyStreams from 'pg-copy-streams';
import QueryStream from 'pg-query-stream';
import { createPgPool } from '../db/pg-pool';
import { readEnv } from '../db/env';
import { sqliteTimestamp } from '../db/timestamp';
import { isRetryable, postgresFailure } from '../db/failures';
import { SeriesReadAhead } from './postgres-read-ahead';
import { datePrecision } from './sqlite';
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

const ATTEMPTS = 4;

/** A `timestamp` parameter: UTC, as Prisma stores DateTime. */
function pgTimestamp(date: Date): string {
  return date.toISOString().replace('T', ' ').replace('Z', '');
}

/** The ISO 8601 text of a timestamp column, as the SQLite store reads it. */
const ISO = (column: string) => `to_char(${column}, 'YYYY-MM-DD"T"HH24:MI:SS.MS"+00:00"')`;

/** COPY's text format: backslash, tab, newline and carriage return are escaped. */
function copyText(value: string): string {
  return /[\\\t\n\r]/.test(value)
    ? value.replace(/[\\\t\n\r]/g, (c) =>
        c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r',
      )
    : value;
}

function copyNumber(value: number | null | undefined): string {
  return value === null || value === undefined ? '\\N' : String(value);
}

/** When `stream` may take more; its listener removed once it fires, or once `stream` closes. */
function drained(stream: Writable): Promise<void> {
  return new Promise((resolve) => {
    const settle = () => {
      stream.off('drain', settle);
      stream.off('close', settle);
      resolve();
    };
    stream.once('drain', settle);
    stream.once('close', settle);
  });
}

/** The advisory lock a write to an indicator takes (hashed to a bigint by the server). */
export function indicatorLockKey(slug: string): string {
  return `sourced:indicator:${slug}`;
}

/** Portable SQL's `?` placeholders as PostgreSQL's `$1`, `$2`, … */
function dollarParams(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

/** Timestamps as the store writes them (UTC, without zone); the rest binds as is. */
function pgValue(v: SqlValue): string | number | boolean | null {
  return v instanceof Date ? pgTimestamp(v) : v;
}

class PostgresWriter implements StoreWriter {
  private readonly ahead: SeriesReadAhead;

  constructor(private readonly client: pg.PoolClient) {
    this.ahead = new SeriesReadAhead((sql, params) => this.rows(sql, params), ISO);
  }

  private async rows<R>(sql: string, params: unknown[] = []): Promise<R[]> {
    return (await this.client.query(sql, params)).rows as R[];
  }

  async indicatorBySlug(slug: string) {
    const [row] = await this.rows<IndicatorRow>(
      'SELECT id, slug, title, "unitLong", "unitShort", decimals FROM "Indicator" WHERE slug = $1',
      [slug],
    );
    return row ?? null;
  }
  async sourceId(title: string, publisher: string) {
    const [row] = await this.rows<{ id: number }>(
      'SELECT id FROM "Source" WHERE title = $1 AND publisher = $2',
      [title, publisher],
    );
    return row?.id ?? null;
  }
  async entityNames() {
    return this.rows<{ code: string; name: string }>('SELECT code, name FROM "Entity"');
  }
  async entitiesByCode(codes: string[]) {
    const known = new Map<string, { id: number; name: string }>();
    if (codes.length === 0) return known;
    const rows = await this.rows<{ id: number; code: string; name: string }>(
      'SELECT id, code, name FROM "Entity" WHERE code = ANY($1::text[])',
      [codes],
    );
    for (const r of rows) known.set(r.code, { id: r.id, name: r.name });
    // The plan asks about each known entity's series next, in this order.
    this.ahead.expect(codes.flatMap((c) => known.get(c)?.id ?? []));
    return known;
  }
  async findSeries(k: SeriesKey) {
    const ahead = await this.ahead.findSeries(k);
    if (ahead !== undefined) return ahead;
    const [row] = await this.rows<{ id: number; archivedAt: string | null }>(
      `SELECT id, ${ISO('"archivedAt"')} AS "archivedAt" FROM "Series"
       WHERE "indicatorId" = $1 AND "entityId" = $2 AND kind = $3 AND "sourceId" = $4 AND label = $5`,
      [k.indicatorId, k.entityId, k.kind, k.sourceId, k.label],
    );
    return row ?? null;
  }
  async storedValues(slug: string, codes: string[], limit: number) {
    const [indicator] = await this.rows<{ id: number; unitLong: string; unitShort: string }>(
      'SELECT id, "unitLong", "unitShort" FROM "Indicator" WHERE slug = $1',
      [slug],
    );
    if (!indicator || codes.length === 0) return { indicator: indicator ?? null, rows: [] };
    const rows = await this.rows<StoredValueRow>(
      `SELECT s.id, s.label, s.unit, e.code, o.period, o.value
       FROM "Observation" o
       JOIN "Series" s ON s.id = o."seriesId"
       JOIN "Entity" e ON e.id = s."entityId"
       WHERE s."indicatorId" = $1 AND s."archivedAt" IS NULL AND o."supersededAt" IS NULL
         AND e.code = ANY($2::text[])
       ORDER BY s.id, o.period
       LIMIT $3`,
      [indicator.id, codes, limit],
    );
    return { indicator, rows };
  }
  async currentObservations(seriesId: number) {
    const ahead = await this.ahead.currentObservations(seriesId);
    if (ahead !== undefined) return ahead;
    return this.rows<CurrentObservation>(
      'SELECT id, period, value, low, high, note, revision FROM "Observation" WHERE "seriesId" = $1 AND "supersededAt" IS NULL',
      [seriesId],
    );
  }

  async query<R>(sql: string, params: SqlValue[] = []): Promise<R[]> {
    this.ahead.forget();
    return this.rows<R>(dollarParams(sql), params.map(pgValue));
  }
  async insert(sql: string, params: SqlValue[] = []): Promise<number> {
    this.ahead.forget();
    const [row] = await this.rows<{ id: number }>(
      `${dollarParams(sql)} RETURNING id`,
      params.map(pgValue),
    );
    return row!.id;
  }
  async apply(w: ImportWrites, now: Date): Promise<Map<string, number>> {
    // The next plan in this transaction (commitImports) must see these writes.
    this.ahead.forget();
    const at = pgTimestamp(now);
    const src = w.meta.source;
    let sourceId = w.sourceId;
    if (sourceId === null) {
      [{ id: sourceId }] = (await this.rows<{ id: number }>(
        `INSERT INTO "Source" (title, publisher, url, citation, "publishedOn", "publishedPrecision", license, "accessedOn", "usageNote", "createdAt")
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
        [
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
        ],
      )) as [{ id: number }];
    }
    const ind = w.indicator;
    const indicatorId =
      'id' in ind
        ? ind.id
        : (
            await this.rows<{ id: number }>(
              `INSERT INTO "Indicator" (slug, title, description, "unitLong", "unitShort", decimals, "createdAt")
               VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
              [
                ind.slug,
                ind.title,
                ind.description ?? '',
                ind.unitLong,
                ind.unitShort,
                ind.decimals,
                at,
              ],
            )
          )[0]!.id;
    if (w.newEntities.length) {
      const rows = await this.rows<{ id: number; code: string }>(
        'INSERT INTO "Entity" (code, name) SELECT * FROM unnest($1::text[], $2::text[]) RETURNING id, code',
        [w.newEntities.map((e) => e.code), w.newEntities.map((e) => e.name)],
      );
      for (const r of rows) w.entityIds.set(r.code, r.id);
    }

    // New series in one statement; each is told apart by its entity (one per import).
    const ids = new Map<string, number>();
    const created = w.series.filter((s) => s.id === null);
    if (created.length) {
      // Each new series' entity is checked (its foreign key) with a plan this connection
      // keeps: made while this transaction's new entities were few, it scans the table, and an
      // import writing thousands of new entities batch by batch (lib/import/speculative) spent
      // 0.5 s a batch on those scans. Planned afresh for this statement, each check is a
      // lookup in the index.
      await this.rows('SET LOCAL plan_cache_mode = force_custom_plan');
      const rows = await this.rows<{ id: number; entityId: number }>(
        `INSERT INTO "Series" ("indicatorId", "entityId", kind, label, unit, "sourceId", "recordedAt")
         SELECT $1, e, $2, l, $3, $4, $5 FROM unnest($6::int[], $7::text[]) AS t(e, l)
         RETURNING id, "entityId"`,
        [
          indicatorId,
          w.meta.kind,
          w.unitToStore,
          sourceId,
          at,
          created.map((s) => w.entityIds.get(s.code)!),
          created.map((s) => s.label),
        ],
      );
      await this.rows('SET LOCAL plan_cache_mode = DEFAULT');
      const byEntity = new Map(rows.map((r) => [r.entityId, r.id]));
      for (const s of created) ids.set(s.code, byEntity.get(w.entityIds.get(s.code)!)!);
    }
    for (const s of w.series) if (s.id !== null) ids.set(s.code, s.id);

    const superseded = w.series.flatMap((s) => s.revises.map((r) => r.previous.id));
    if (superseded.length) {
      const { rowCount } = await this.client.query(
        'UPDATE "Observation" SET "supersededAt" = $1 WHERE id = ANY($2::int[]) AND "supersededAt" IS NULL',
        [at, superseded],
      );
      // The plan was made under the lock, so every row is still current; a failed
      // check means a bug, and the whole import rolls back.
      if (rowCount !== superseded.length) throw new Error('Values changed during the import');
    }
    await this.copyObservations(w, ids, at);
    return ids;
  }

  /** Every new revision in one COPY, in batches of about 1 MB of text. */
  private async copyObservations(w: ImportWrites, ids: Map<string, number>, at: string) {
    if (!w.series.some((s) => s.adds.length || s.revises.length)) return;
    const stream = this.client.query(
      copyStreams.from(
        'COPY "Observation" ("seriesId", period, precision, value, low, high, note, revision, "recordedAt") FROM STDIN',
      ),
    );
    const done = new Promise<void>((resolve, reject) => {
      stream.on('finish', resolve);
      stream.on('error', reject);
      // After 'finish' this changes nothing; before it, the connection went away.
      stream.on('close', () => reject(new Error('The COPY ended before its last row')));
    });
    // A connection lost mid-COPY fails the stream, which then never drains: waiting for
    // 'drain' alone would hold the transaction (and the import) forever.
    done.catch(() => {});
    let batch = '';
    const flush = async () => {
      if (!stream.write(batch)) await Promise.race([drained(stream), done]);
      batch = '';
    };
    const values = w.values;
    const line = (seriesId: number, i: number, revision: number) => {
      const note = values.note(i);
      return `${seriesId}\t${copyText(values.periodOf(i))}\t${values.precisionOf(i)}\t${String(values.value(i))}\t${copyNumber(values.low(i))}\t${copyNumber(values.high(i))}\t${note === undefined ? '\\N' : copyText(note)}\t${revision}\t${at}\n`;
    };
    try {
      for (const s of w.series) {
        const seriesId = ids.get(s.code)!;
        for (const v of s.adds) {
          batch += line(seriesId, v, 1);
          if (batch.length > 1 << 20) await flush();
        }
        for (const { index, previous } of s.revises) {
          batch += line(seriesId, index, previous.revision + 1);
          if (batch.length > 1 << 20) await flush();
        }
      }
      if (batch) await flush();
      stream.end();
    } catch (error) {
      stream.destroy(error as Error);
    }
    await done;
  }
}

export class PostgresStore implements Store {
  readonly provider = 'postgresql' as const;
  private readonly pool: pg.Pool;
  private readonly ownsPool: boolean;

  /** How long a writer waits for another writer's lock on the same indicator. */
  private readonly lockTimeoutMs: number;

  constructor(
    readonly url: string,
    pool?: pg.Pool,
  ) {
    this.pool = pool ?? createPgPool(url);
    this.ownsPool = !pool;
    this.lockTimeoutMs = readEnv().SOURCED_PG_LOCK_TIMEOUT_MS;
  }

  private async connect(): Promise<pg.PoolClient> {
    try {
      return await this.pool.connect();
    } catch (error) {
      throw postgresFailure(error);
    }
  }

  /** Runs `work` in a transaction on one connection, rolling back on any error. */
  private async transaction<T>(
    begin: string,
    work: (client: pg.PoolClient) => Promise<T>,
  ): Promise<T> {
    const client = await this.connect();
    let broken: unknown = undefined;
    try {
      await client.query(begin);
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      try {
        await client.query('ROLLBACK');
      } catch (rollback) {
        broken = rollback;
      }
      throw error;
    } finally {
      // A connection that could not roll back is dropped, not reused.
      client.release(broken instanceof Error ? broken : undefined);
    }
  }

  async read<T>(work: (reader: StoreWriter) => Promise<T>): Promise<T> {
    try {
      return await this.transaction('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY', (c) =>
        work(new PostgresWriter(c)),
      );
    } catch (error) {
      throw postgresFailure(error);
    }
  }

  async write<T>(lockKeys: string[], work: (writer: StoreWriter) => Promise<T>): Promise<T> {
    return this.writeOn(lockKeys, (client) => work(new PostgresWriter(client)));
  }

  private async writeOn<T>(lockKeys: string[], work: (client: pg.PoolClient) => Promise<T>) {
    // Sorted, so two batches that share indicators take their locks in one order.
    const keys = [...new Set(lockKeys)].sort().map(indicatorLockKey);
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.transaction('BEGIN', async (client) => {
          await client.query(`SET LOCAL lock_timeout = ${Number(this.lockTimeoutMs)}`);
          for (const key of keys)
            await client.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [key]);
          return work(client);
        });
      } catch (error) {
        if (attempt < ATTEMPTS && isRetryable(error)) continue;
        throw postgresFailure(error);
      }
    }
  }

  async setArchived(seriesId: number, archived: boolean, now: Date): Promise<string | null> {
    return this.writeOn([], async (client) => {
      if (!archived) {
        await client.query('UPDATE "Series" SET "archivedAt" = NULL WHERE id = $1', [seriesId]);
        return null;
      }
      const updated = await client.query(
        'UPDATE "Series" SET "archivedAt" = $1 WHERE id = $2 AND "archivedAt" IS NULL',
        [pgTimestamp(now), seriesId],
      );
      if (updated.rowCount) return sqliteTimestamp(now);
      const { rows } = await client.query<{ archivedAt: string | null }>(
        `SELECT ${ISO('"archivedAt"')} AS "archivedAt" FROM "Series" WHERE id = $1`,
        [seriesId],
      );
      return rows[0]?.archivedAt ?? null;
    });
  }

  async *session<T>(make: (session: ReadSession) => AsyncIterable<T>): AsyncGenerator<T> {
    const client = await this.connect();
    let open = false;
    // A stream abandoned mid-COPY leaves the connection busy with it: closed, not reused.
    let broken = false;
    try {
      // One snapshot for every query of the download.
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      open = true;
      const rows = <R extends unknown[]>(sql: string, args: unknown[] = []) =>
        client.query(
          new QueryStream(dollarParams(sql), args, {
            rowMode: 'array',
            batchSize: 5000,
            highWaterMark: 5000,
          }),
        ) as unknown as AsyncIterable<R>;
      yield* make({
        rows,
        connection: { provider: 'postgresql', client, abandon: () => (broken = true) },
      });
    } catch (error) {
      throw postgresFailure(error);
    } finally {
      if (broken) {
        client.release(new Error('A COPY was abandoned on this connection'));
      } else {
        if (open) await client.query('ROLLBACK').catch(() => {});
        client.release();
      }
    }
  }

  async close() {
    if (this.ownsPool) await this.pool.end();
  }
}
