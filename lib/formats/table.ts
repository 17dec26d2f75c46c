// The column mapping resolved against a header: which column holds what, for the row engine
// (./table-reader.ts) behind every layout read through a mapping (DataBank, UNdata, panels,
// tables with other column names, and whatever the user maps by hand).
import { dateOrderOf, parseLoosePeriod } from './dates';
import type { ColumnMapping, DateOrder, MappingNeed } from './mapping';
import type { PeriodResult } from './period';
import { listNames, type ReaderContext } from './reader';
import { showCell } from './show';
import type { FileFormat, ParsedValue } from './types';

/** Cells that mean "no value" in statistical downloads: DataBank's "..", Eurostat's ":", … */
export const MISSING_MARKERS: ReadonlySet<string> = new Set([
  '..',
  '...',
  '…',
  '-',
  '–',
  '—',
  ':',
  'na',
  'n/a',
  'n.a.',
  '#n/a',
  'nan',
  'x',
]);

export interface TableSpec {
  format: FileFormat;
  shape: 'long' | 'wide';
  entity: number;
  code: number;
  period: number;
  /** A column with the month beside a period column with the year. */
  month: number;
  /** How slash dates are read; undefined while the file's dates have not said. */
  dateOrder: DateOrder | undefined;
  /** Long files: the value columns that may be read (each a series). */
  valueColumns: number[];
  /** Wide files: the columns that are periods. */
  periodColumns: { index: number; period: string; precision: ParsedValue['precision'] }[];
  seriesColumn: number;
  /** A column with a readable name for each measure of the series column (DataBank's Series Name). */
  seriesLabelColumn: number;
  /** Series keys to read; null: all when there is one, otherwise the user must choose. */
  chosen: ReadonlySet<string> | null;
  unit: number;
  note: number;
  low: number;
  high: number;
  /** A column whose distinct texts are reported (UNdata's Source). */
  sourceColumn: number;
  /** Rows kept: each filter's column must hold one of its values. */
  filters: { index: number; values: ReadonlySet<string> }[];
  /** A column whose values mark a row as a projection (mapping.projections). */
  projection: { index: number; values: ReadonlySet<string> } | null;
  /** The entity of a file with no entity column (ISO alpha-3). */
  fileEntity: string | null;
  /** The period of a file with no period column. */
  filePeriod: { period: string; precision: ParsedValue['precision'] } | null;
  /** Rows from here on are not data (UNdata's footnote block): returns true to stop. */
  stopAt?: (fields: string[]) => boolean;
}

export type SpecError = { field: string; reason: string; need?: MappingNeed };

/** The header as the mapping refers to it: the name, or #N for unnamed or repeated names. */
export function columnRefs(names: readonly string[]): string[] {
  const counts = new Map<string, number>();
  for (const n of names) counts.set(n.toLowerCase(), (counts.get(n.toLowerCase()) ?? 0) + 1);
  return names.map((n, i) => (n !== '' && counts.get(n.toLowerCase()) === 1 ? n : `#${i + 1}`));
}

/** A mapping's column reference to an index, or an error naming the columns there are. */
export function resolveColumn(
  ref: string,
  names: readonly string[],
): { index: number } | { error: string } {
  const position = /^#(\d+)$/.exec(ref.trim());
  if (position) {
    const i = Number(position[1]) - 1;
    if (i >= 0 && i < names.length) return { index: i };
    return { error: `there is no column ${ref}: the header has ${names.length} columns` };
  }
  const exact = names.indexOf(ref);
  if (exact >= 0) return { index: exact };
  const key = ref.trim().toLowerCase();
  const loose = names.findIndex((n) => n.trim().toLowerCase() === key);
  if (loose >= 0) return { index: loose };
  // DataBank names its series columns "<name> [<CODE>]": the code alone is enough.
  const coded = names.findIndex((n) => n.trim().toLowerCase().endsWith(`[${key}]`));
  if (coded >= 0) return { index: coded };
  const shown = columnRefs(names).slice(0, 30);
  return {
    error: `there is no column ${showCell(ref)}; the columns are ${listNames(shown)}${names.length > 30 ? ', …' : ''}`,
  };
}

/** A period cell or header in any shape people write (see ./dates.ts), with no date order. */
export function parseFlexiblePeriod(raw: string, minYear: number, maxYear: number): PeriodResult {
  const p = parseLoosePeriod(raw, minYear, maxYear);
  return 'ambiguous' in p
    ? { error: `${showCell(p.ambiguous)} could be day first or month first` }
    : p;
}

type Extra = {
  /** Value columns that may be read when the mapping names none (detected numeric columns). */
  candidates?: string[];
  seriesLabelColumn?: string;
  sourceColumn?: string;
  stopAt?: TableSpec['stopAt'];
  /** The entity and period for the whole file (meta.entity, meta.period). */
  fileEntity?: string;
  filePeriod?: string;
};

/** Resolves column references, collecting one error per field that names no column. */
function columnResolver(names: readonly string[], errors: SpecError[]) {
  return (field: string, ref: string | undefined): number => {
    if (ref === undefined || ref === '') return -1;
    const r = resolveColumn(ref, names);
    if ('error' in r) {
      errors.push({ field, reason: r.error });
      return -1;
    }
    return r.index;
  };
}

/** The mapping as given, resolved against the header; errors name the field and the columns. */
export function buildTableSpec(
  format: FileFormat,
  names: readonly string[],
  mapping: ColumnMapping,
  ctx: Pick<ReaderContext, 'minYear' | 'maxYear'>,
  extra: Extra = {},
): { spec: TableSpec } | { errors: SpecError[] } {
  const errors: SpecError[] = [];
  const column = columnResolver(names, errors);
  const shape = mapping.shape ?? 'long';
  const spec: TableSpec = {
    format,
    shape,
    entity: column('entity', mapping.entity),
    code: column('code', mapping.code),
    period: shape === 'long' ? column('period', mapping.period) : -1,
    month: shape === 'long' ? column('month', mapping.month) : -1,
    dateOrder: mapping.dates,
    valueColumns: [],
    periodColumns: [],
    seriesColumn: column('seriesColumn', mapping.seriesColumn),
    seriesLabelColumn: column('seriesLabelColumn', extra.seriesLabelColumn),
    chosen: null,
    unit: column('unit', mapping.unit),
    note: column('note', mapping.note),
    low: column('low', mapping.low),
    high: column('high', mapping.high),
    sourceColumn: column('sourceColumn', extra.sourceColumn),
    filters: (mapping.filters ?? []).map((f) => ({
      index: column('filters', f.column),
      values: new Set(f.values.map((v) => v.trim())),
    })),
    projection:
      mapping.projections?.column && mapping.projections.values
        ? {
            index: column('projections', mapping.projections.column),
            values: new Set(mapping.projections.values.map((v) => v.trim())),
          }
        : null,
    fileEntity: extra.fileEntity?.trim().toUpperCase() || null,
    filePeriod: null,
    stopAt: extra.stopAt,
  };
  // The column that marks projections says what a row is, not whose: never the entity.
  if (spec.projection) {
    if (spec.entity === spec.projection.index) spec.entity = -1;
    if (spec.code === spec.projection.index) spec.code = -1;
  }
  if (spec.entity < 0 && spec.code < 0 && !spec.fileEntity && errors.length === 0) {
    errors.push({
      field: 'entity',
      reason:
        'choose the column that names the entity (or its code), or the one entity the whole file is about',
    });
  }
  const used = new Set([
    spec.entity,
    spec.code,
    spec.period,
    spec.month,
    spec.seriesColumn,
    spec.unit,
    spec.note,
    spec.low,
    spec.high,
    ...spec.filters.map((f) => f.index),
    spec.projection?.index ?? -1,
  ]);
  if (shape === 'long') longColumns(spec, names, mapping, extra, used, errors, column, ctx);
  else wideColumns(spec, names, mapping, used, errors, ctx);
  if (errors.length > 0) return { errors };
  if (spec.seriesColumn < 0 && shape === 'long') {
    const refs = columnRefs(names);
    spec.chosen = mapping.values ? new Set(spec.valueColumns.map((i) => refs[i] ?? '')) : null;
  } else if (mapping.series && mapping.series.length > 0) {
    spec.chosen = new Set(mapping.series.map((s) => s.trim()));
  }
  return { spec };
}

/** Long files: the period (a column, or one for the whole file) and the value columns. */
function longColumns(
  spec: TableSpec,
  names: readonly string[],
  mapping: ColumnMapping,
  extra: Extra,
  used: Set<number>,
  errors: SpecError[],
  column: (field: string, ref: string | undefined) => number,
  ctx: Pick<ReaderContext, 'minYear' | 'maxYear'>,
) {
  if (spec.period < 0 && extra.filePeriod) {
    const p = parseLoosePeriod(extra.filePeriod, ctx.minYear, ctx.maxYear, spec.dateOrder);
    if ('period' in p) spec.filePeriod = p;
    else
      errors.push({
        field: 'period',
        reason: 'error' in p ? p.error : `${showCell(p.ambiguous)} could be day or month first`,
      });
  } else if (spec.period < 0 && !errors.some((e) => e.field === 'period')) {
    errors.push({
      field: 'period',
      reason:
        'choose the column that holds the period (year or date), or the one period the whole file is about',
    });
  }
  for (const ref of mapping.values ?? extra.candidates ?? []) {
    const i = column('values', ref);
    if (i < 0) continue;
    if (used.has(i)) {
      errors.push({
        field: 'values',
        reason: `${showCell(ref)} is already mapped to another role`,
      });
      continue;
    }
    if (!spec.valueColumns.includes(i)) spec.valueColumns.push(i);
  }
  if (spec.valueColumns.length === 0 && !errors.some((e) => e.field === 'values')) {
    errors.push({ field: 'values', reason: 'choose at least one value column' });
  }
  if (spec.seriesColumn >= 0 && spec.valueColumns.length > 1) {
    errors.push({
      field: 'values',
      reason: 'with a series column, choose one value column (each measure becomes a series)',
    });
  }
}

/**
 * Wide files: the header columns that are periods, all that read as one unless the mapping's
 * `values` names them. Two columns with the same period (a second "2023" holding growth) are
 * not guessed between: the user chooses.
 */
function wideColumns(
  spec: TableSpec,
  names: readonly string[],
  mapping: ColumnMapping,
  used: Set<number>,
  errors: SpecError[],
  ctx: Pick<ReaderContext, 'minYear' | 'maxYear'>,
) {
  const refs = columnRefs(names);
  let picked: number[];
  if (mapping.values) {
    picked = [];
    for (const ref of mapping.values) {
      const r = resolveColumn(ref, names);
      if ('error' in r) errors.push({ field: 'values', reason: r.error });
      else if (!used.has(r.index)) picked.push(r.index);
    }
  } else picked = names.map((_, i) => i).filter((i) => !used.has(i) && names[i]!.trim() !== '');
  if (!spec.dateOrder) {
    const order = dateOrderOf(picked.map((i) => names[i]!));
    if (order === 'dmy' || order === 'mdy') spec.dateOrder = order;
  }
  const byPeriod = new Map<string, number[]>();
  const unclear: string[] = [];
  for (const i of picked) {
    const p = parseLoosePeriod(names[i]!, ctx.minYear, ctx.maxYear, spec.dateOrder);
    if ('period' in p) {
      spec.periodColumns.push({ index: i, period: p.period, precision: p.precision });
      byPeriod.set(p.period, [...(byPeriod.get(p.period) ?? []), i]);
    } else if ('ambiguous' in p) unclear.push(p.ambiguous);
    else if (mapping.values)
      errors.push({
        field: 'values',
        reason: `column ${showCell(refs[i]!)} is not a period: ${p.error}`,
      });
  }
  if (unclear.length > 0)
    errors.push({
      field: 'dates',
      reason: `${unclearDates(unclear)}: choose whether the day or the month comes first`,
      need: 'dates',
    });
  for (const [period, at] of byPeriod) {
    if (at.length < 2) continue;
    errors.push({
      field: 'values',
      reason: `columns ${listNames(at.map((i) => refs[i]!))} all read as period ${period}: choose which header columns are periods`,
      need: 'periods',
    });
  }
  if (spec.periodColumns.length === 0 && !errors.some((e) => e.field === 'values')) {
    errors.push({
      field: 'shape',
      reason: 'no column header is a year or a date, so the file is not wide',
    });
  }
}

/** "01/02/2020 and 3 more headers could be day first or month first". */
export function unclearDates(examples: readonly string[], what = 'headers'): string {
  const more = examples.length > 1 ? ` and ${examples.length - 1} more ${what}` : '';
  return `${showCell(examples[0] ?? '')}${more} could be day first or month first`;
}
