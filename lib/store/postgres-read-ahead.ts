// A re-import asks, for each entity of the file in turn, for its series and then for
// that series' current values (lib/import/plan.ts): two round trips per series, which
// on PostgreSQL were most of a re-import's time (15,000 series, 30,000 queries). The
// plan asks in the order it gave entitiesByCode, so the series of the next entities
// are read in one query and their values in another, and handed out from memory;
// asked in another order, or about anything else, the store reads one at a time as
// before. Memory holds one window of series rows and about VALUES_AHEAD values (or one
// series, when a series is longer), however large the import.
import type { CurrentObservation, SeriesKey } from './types';

/** Entities whose series are read in one query. */
const ENTITIES_AHEAD = 500;
/** About how many current values are read in one query. */
const VALUES_AHEAD = 50_000;

type Rows = <R>(sql: string, params: unknown[]) => Promise<R[]>;
type SeriesRow = { id: number; entityId: number; label: string; archivedAt: string | null };

export class SeriesReadAhead {
  private position = new Map<number, number>();
  private entities: number[] = [];
  /** Indicator, kind and source of the window read, and its entities. */
  private context = '';
  private window = new Set<number>();
  private series = new Map<string, SeriesRow>();
  /** The window's series ids in the order they will be asked for, and where each is. */
  private seriesOrder: number[] = [];
  private seriesAt = new Map<number, number>();
  private values = new Map<number, CurrentObservation[]>();
  /** Values per series in the last read, to size the next one. */
  private perSeries = 64;

  constructor(
    private readonly rows: Rows,
    /** The ISO 8601 text of a timestamp column, as the store reads it. */
    private readonly iso: (column: string) => string,
  ) {}

  /** The entities the plan will ask about, in its order (from entitiesByCode). */
  expect(entityIds: number[]): void {
    this.forget();
    this.entities = entityIds;
    this.position = new Map(entityIds.map((id, i) => [id, i]));
  }

  /** Drops what was read ahead: after a write, it may no longer be what is stored. */
  forget(): void {
    this.context = '';
    this.window.clear();
    this.series.clear();
    this.seriesOrder = [];
    this.seriesAt.clear();
    this.values.clear();
  }

  /** The series for `k`, null if there is none, or undefined if not read ahead. */
  async findSeries(
    k: SeriesKey,
  ): Promise<{ id: number; archivedAt: string | null } | null | undefined> {
    const context = `${k.indicatorId}\u0000${k.kind}\u0000${k.sourceId}`;
    if (context !== this.context || !this.window.has(k.entityId)) {
      const at = this.position.get(k.entityId);
      if (at === undefined) return undefined;
      await this.readSeries(context, k, this.entities.slice(at, at + ENTITIES_AHEAD));
    }
    const row = this.series.get(`${k.entityId}\u0000${k.label}`);
    return row ? { id: row.id, archivedAt: row.archivedAt } : null;
  }

  /** A series' current values, once, or undefined if it is not in the window. */
  async currentObservations(seriesId: number): Promise<CurrentObservation[] | undefined> {
    let found = this.values.get(seriesId);
    if (!found) {
      const at = this.seriesAt.get(seriesId);
      if (at === undefined) return undefined;
      const count = Math.max(1, Math.floor(VALUES_AHEAD / Math.max(1, this.perSeries)));
      const ids = this.seriesOrder.slice(at, at + count);
      // Rows keep their seriesId: one object per value, as the plan reads them.
      const rows = await this.rows<CurrentObservation & { seriesId: number }>(
        `SELECT "seriesId", id, period, value, low, high, note, revision FROM "Observation"
         WHERE "seriesId" = ANY($1::int[]) AND "supersededAt" IS NULL`,
        [ids],
      );
      this.values.clear();
      for (const id of ids) this.values.set(id, []);
      for (const r of rows) this.values.get(r.seriesId)!.push(r);
      this.perSeries = rows.length / ids.length;
      found = this.values.get(seriesId)!;
    }
    this.values.delete(seriesId);
    return found;
  }

  private async readSeries(context: string, k: SeriesKey, entityIds: number[]) {
    this.forget();
    const rows = await this.rows<SeriesRow>(
      `SELECT id, "entityId", label, ${this.iso('"archivedAt"')} AS "archivedAt" FROM "Series"
       WHERE "indicatorId" = $1 AND kind = $2 AND "sourceId" = $3 AND "entityId" = ANY($4::int[])`,
      [k.indicatorId, k.kind, k.sourceId, entityIds],
    );
    this.context = context;
    for (const id of entityIds) this.window.add(id);
    for (const r of rows) this.series.set(`${r.entityId}\u0000${r.label}`, r);
    rows.sort(
      (a, b) => this.position.get(a.entityId)! - this.position.get(b.entityId)! || a.id - b.id,
    );
    this.seriesOrder = rows.map((r) => r.id);
    this.seriesAt = new Map(this.seriesOrder.map((id, i) => [id, i]));
  }
}
