// The chart's own data as a wide table, following Our World in Data's download:
// `Entity,Code,Year` (or `Day` when any value is dated), then one column per series,
// named by its label, with " (Projected)" for projections. A missing value is an
// empty cell. Pure: the route handler and the browser build it from the same view.
import type { ChartSeries } from '../domain/chart-view';
import { csvRow, type CsvCell } from './csv';

export type WideTable = { header: string[]; rows: CsvCell[][]; timeColumn: 'Year' | 'Day' };

/** The column name of a series: its label, marked when it is a projection. */
export function seriesColumn(s: Pick<ChartSeries, 'label' | 'kind'>): string {
  return s.kind === 'projection' ? `${s.label} (Projected)` : s.label;
}

/** "2010" stays a year; months and days become a full ISO date for the `Day` column. */
export function dayOf(period: string): string {
  const [y, m = '01', d = '01'] = period.split('-');
  return `${y}-${m}-${d}`;
}

type ColumnSeries = Pick<ChartSeries, 'id' | 'label' | 'kind' | 'entityCode'>;

/**
 * The value columns of the wide table. Series that share a label (one per entity,
 * say) share a column, as OWID's variables do; two series with the same label for
 * the same entity are told apart by their id, so no value is ever silently overwritten.
 */
export function chartColumns(withData: ColumnSeries[]) {
  const columns: string[] = [];
  const columnOf = new Map<number, string>();
  const taken = new Map<string, Set<string>>();
  for (const s of withData) {
    let name = seriesColumn(s);
    const entities = taken.get(name);
    if (entities?.has(s.entityCode)) name = `${name} [series ${s.id}]`;
    if (!taken.has(name)) {
      taken.set(name, new Set());
      columns.push(name);
    }
    taken.get(name)!.add(s.entityCode);
    columnOf.set(s.id, name);
  }
  return { columns, columnOf };
}

export function chartTable(visible: ChartSeries[]): WideTable {
  const withData = visible.filter((s) => s.points.length > 0);
  const dated = withData.some((s) => s.points.some((p) => p.precision !== 'year'));
  const timeColumn = dated ? 'Day' : 'Year';
  const { columns, columnOf } = chartColumns(withData);

  const rows = new Map<
    string,
    { entity: string; code: string; time: string | number; cells: Map<string, number> }
  >();
  for (const s of withData) {
    const column = columnOf.get(s.id)!;
    for (const p of s.points) {
      const time = dated ? dayOf(p.period) : Number(p.period);
      const key = `${s.entityName}\u0000${s.entityCode}\u0000${time}`;
      let row = rows.get(key);
      if (!row)
        rows.set(key, (row = { entity: s.entityName, code: s.entityCode, time, cells: new Map() }));
      row.cells.set(column, p.value);
    }
  }
  // Code-point order, as the database sorts the streamed download.
  const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  const sorted = [...rows.values()].sort(
    (a, b) => cmp(a.entity, b.entity) || cmp(a.code, b.code) || cmp(String(a.time), String(b.time)),
  );
  return {
    timeColumn,
    header: ['Entity', 'Code', timeColumn, ...columns],
    rows: sorted.map((r) => [
      r.entity,
      r.code,
      r.time,
      ...columns.map((c) => r.cells.get(c) ?? null),
    ]),
  };
}

export type ChartCsvSeries = ColumnSeries & {
  entityName: string;
  /**
   * A stored value as the chart shows it (unit, transform), called for each of the
   * series' values in period order; null (no value in that unit, or no transformed
   * value) leaves the cell empty.
   */
  convert: (v: number) => number | null;
};

/**
 * The same wide table as chartTable, as CSV text, from batches of observations sorted
 * by entity name, entity code and period: a row is written as soon as the next one
 * starts, so memory holds one batch whatever the size of the download. Each batch is
 * handled synchronously: a promise per row would cost more than the row itself.
 */
export async function* chartCsvText(
  series: ChartCsvSeries[],
  dated: boolean,
  batches: AsyncIterable<readonly (readonly [seriesId: number, period: string, value: number])[]>,
  /** Leave out rows without any value (the first period of a change on the previous one). */
  dropEmptyRows = false,
): AsyncGenerator<string> {
  const { columns, columnOf } = chartColumns(series);
  const index = new Map(columns.map((c, i) => [c, i]));
  const byId = new Map(series.map((s) => [s.id, { s, cell: 3 + index.get(columnOf.get(s.id)!)! }]));
  yield csvRow(['Entity', 'Code', dated ? 'Day' : 'Year', ...columns]);
  let key = '';
  let current: CsvCell[] | null = null;
  const finished = (row: CsvCell[] | null) =>
    row !== null && (!dropEmptyRows || row.slice(3).some((c) => c !== null)) ? csvRow(row) : '';
  for await (const batch of batches) {
    let text = '';
    for (const [seriesId, period, value] of batch) {
      const one = byId.get(seriesId);
      if (!one) continue;
      const { s } = one;
      const time = dated ? dayOf(period) : Number(period);
      const k = `${s.entityName}\u0000${s.entityCode}\u0000${time}`;
      if (k !== key) {
        text += finished(current);
        key = k;
        current = [s.entityName, s.entityCode, time, ...columns.map(() => null)];
      }
      current![one.cell] = s.convert(value);
    }
    if (text) yield text;
  }
  const last = finished(current);
  if (last) yield last;
}
