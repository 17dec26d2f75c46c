// The row engine behind every layout read through a column mapping (DataBank, UNdata, panels,
// tables with other column names, and whatever the user maps by hand): given which column holds
// what, it turns rows into values, one series per value column or per measure of a series column.
import type { CsvRecord } from './csv-records';
import { readCodeCell } from './entities';
import type { ColumnMapping, FileSeries } from './mapping';
import { parsePeriod, type PeriodResult } from './period';
import { listNames, raggedReason, type ReaderContext, type RowReader } from './reader';
import { showCell } from './show';
import type { FileFormat, ParsedValue } from './types';
import { FirstRows } from './value-table';

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
  /** Rows from here on are not data (UNdata's footnote block): returns true to stop. */
  stopAt?: (fields: string[]) => boolean;
}

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

// "2004 [YR2004]" (DataBank headers), "YR2004" (its Time Code), and the ISO shapes parsePeriod takes.
const DATABANK_YEAR = /^(\d{4})\s*\[YR\d{4}\]$|^YR(\d{4})$/i;
// A year that went through a spreadsheet as a number: "2004.0".
const DECIMAL_YEAR = /^(\d{4})\.0+$/;

export function parseFlexiblePeriod(raw: string, minYear: number, maxYear: number): PeriodResult {
  const text = raw.trim();
  const bank = DATABANK_YEAR.exec(text) ?? DECIMAL_YEAR.exec(text);
  const year = bank ? (bank[1] ?? bank[2] ?? text) : text;
  return parsePeriod(year, minYear, maxYear);
}

/** The mapping as given, resolved against the header; errors name the field and the columns. */
export function buildTableSpec(
  format: FileFormat,
  names: readonly string[],
  mapping: ColumnMapping,
  ctx: Pick<ReaderContext, 'minYear' | 'maxYear'>,
  extra: {
    /** Value columns that may be read when the mapping names none (detected numeric columns). */
    candidates?: string[];
    seriesLabelColumn?: string;
    sourceColumn?: string;
    stopAt?: TableSpec['stopAt'];
  } = {},
): { spec: TableSpec } | { errors: { field: string; reason: string }[] } {
  const errors: { field: string; reason: string }[] = [];
  const column = (field: string, ref: string | undefined): number => {
    if (ref === undefined || ref === '') return -1;
    const r = resolveColumn(ref, names);
    if ('error' in r) {
      errors.push({ field, reason: r.error });
      return -1;
    }
    return r.index;
  };
  const shape = mapping.shape ?? 'long';
  const entity = column('entity', mapping.entity);
  const code = column('code', mapping.code);
  const period = shape === 'long' ? column('period', mapping.period) : -1;
  const seriesColumn = column('seriesColumn', mapping.seriesColumn);
  const spec: TableSpec = {
    format,
    shape,
    entity,
    code,
    period,
    valueColumns: [],
    periodColumns: [],
    seriesColumn,
    seriesLabelColumn: column('seriesLabelColumn', extra.seriesLabelColumn),
    chosen: null,
    unit: column('unit', mapping.unit),
    note: column('note', mapping.note),
    low: column('low', mapping.low),
    high: column('high', mapping.high),
    sourceColumn: column('sourceColumn', extra.sourceColumn),
    stopAt: extra.stopAt,
  };
  if (entity < 0 && code < 0 && errors.length === 0) {
    errors.push({
      field: 'entity',
      reason: 'choose the column that names the entity (or its code)',
    });
  }
  const used = new Set([
    entity,
    code,
    period,
    seriesColumn,
    spec.unit,
    spec.note,
    spec.low,
    spec.high,
  ]);
  if (shape === 'long') {
    if (period < 0 && !errors.some((e) => e.field === 'period')) {
      errors.push({
        field: 'period',
        reason: 'choose the column that holds the period (year or date)',
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
    if (seriesColumn >= 0 && spec.valueColumns.length > 1) {
      errors.push({
        field: 'values',
        reason: 'with a series column, choose one value column (each measure becomes a series)',
      });
    }
  } else {
    names.forEach((name, i) => {
      if (used.has(i) || name.trim() === '') return;
      const p = parseFlexiblePeriod(name, ctx.minYear, ctx.maxYear);
      if (!('error' in p))
        spec.periodColumns.push({ index: i, period: p.period, precision: p.precision });
    });
    if (spec.periodColumns.length === 0) {
      errors.push({
        field: 'shape',
        reason: 'no column header is a year or a date, so the file is not wide',
      });
    }
  }
  if (errors.length > 0) return { errors };
  if (seriesColumn < 0 && shape === 'long') {
    const refs = columnRefs(names);
    spec.chosen = mapping.values ? new Set(spec.valueColumns.map((i) => refs[i] ?? '')) : null;
  } else if (mapping.series && mapping.series.length > 0) {
    spec.chosen = new Set(mapping.series.map((s) => s.trim()));
  }
  return { spec };
}

const MAX_NOTE_ROWS_SHOWN = 5;

/**
 * Reads rows by a TableSpec. Rows whose only text is in their first cell (footers such as
 * "Last Updated: …", notes under a spreadsheet table) are skipped and reported, not refused.
 */
export function createTableReader(
  header: CsvRecord,
  spec: TableSpec,
  ctx: ReaderContext,
  series: { list: FileSeries[]; chosen: string[] },
): RowReader {
  const { problems, values, meta } = ctx;
  const names = header.fields.map((n) => n.trim());
  const refs = columnRefs(names);
  const width = names.length;
  // Duplicates: the same period twice for one entity in one series, by interned indexes.
  const pairs = new Map<string, number>();
  let lastPair = { key: '', who: '', index: -1 };
  const pairOf = (key: string, who: string): number => {
    if (lastPair.index >= 0 && lastPair.key === key && lastPair.who === who) return lastPair.index;
    const text = `${key}\u0000${who}`;
    let index = pairs.get(text);
    if (index === undefined) pairs.set(text, (index = pairs.size));
    lastPair = { key, who, index };
    return index;
  };
  const whoOf = (code: string | null, name: string | null) => code ?? `name:${name?.toLowerCase()}`;
  const seen = new FirstRows((add) => {
    for (let i = 0; i < values.length; i++) {
      const e = values.entityOf(i);
      add(
        pairOf(values.series(i) ?? '', whoOf(e.code, e.name)),
        values.periods[i]!,
        values.rows[i]!,
      );
    }
  });
  const counts = new Map<string, { label: string; values: number }>();
  const sources = new Set<string>();
  let noteRows = 0;
  const valueKeys = spec.valueColumns.map((i) => refs[i] ?? '');
  const candidates = spec.seriesColumn >= 0 ? null : valueKeys;
  if (candidates) for (const key of candidates) counts.set(key, { label: key, values: 0 });
  const emit = (key: string): boolean => {
    if (spec.chosen) return spec.chosen.has(key);
    return candidates !== null && candidates.length === 1;
  };
  const count = (key: string, label: string) => {
    const c = counts.get(key);
    if (c) c.values += 1;
    else counts.set(key, { label, values: 1 });
  };
  const column = (i: number) => names[i] || refs[i] || '';

  const isNoteRow = (fields: string[]): boolean => {
    if (width < 3) return false;
    let filled = 0;
    for (let i = 0; i < fields.length; i++)
      if ((fields[i] ?? '').trim() !== '') filled = i === 0 ? filled + 1 : 99;
    return filled === 1;
  };

  const cell = (fields: string[], i: number) => (i < 0 ? '' : (fields[i] ?? '').trim());

  return {
    row({ fields, line }) {
      if (spec.stopAt?.(fields)) return false;
      if (isNoteRow(fields)) {
        noteRows += 1;
        // DataBank's footer says when the data were last updated.
        const updated = /^last updated:\s*(.+)$/i.exec(cell(fields, 0))?.[1];
        if (updated) meta.lastUpdated ??= updated.trim();
        if (noteRows <= MAX_NOTE_ROWS_SHOWN) {
          problems.warning(line, null, `not a data row, skipped: ${showCell(cell(fields, 0))}`);
        }
        return;
      }
      if (fields.length > width && fields.slice(width).some((f) => f.trim() !== '')) {
        problems.error(line, null, raggedReason(fields.length, width));
        return;
      }

      // The entity: a code (ISO alpha-3/alpha-2/numeric) and/or a name.
      let entityCode: string | null = null;
      let isAggregate = false;
      let entityName: string | null = cell(fields, spec.entity) || null;
      if (spec.code >= 0) {
        const c = readCodeCell(cell(fields, spec.code));
        if ('error' in c) {
          problems.error(line, column(spec.code), c.error);
          return;
        }
        entityCode = c.code;
        isAggregate = c.aggregate;
      } else if (entityName && /^[A-Z]{3}$/.test(entityName)) {
        // An upper-case three-letter entity is a code; names that short are not written so.
        entityCode = entityName;
        entityName = null;
      }
      if (entityCode === null && entityName === null) {
        problems.error(
          line,
          column(spec.entity >= 0 ? spec.entity : spec.code),
          'the entity is empty',
        );
        return;
      }
      const who = whoOf(entityCode, entityName);

      let seriesKey: string | null = null;
      if (spec.seriesColumn >= 0) {
        seriesKey = cell(fields, spec.seriesColumn);
        if (seriesKey === '') {
          problems.error(line, column(spec.seriesColumn), 'the series is empty');
          return;
        }
        count(seriesKey, cell(fields, spec.seriesLabelColumn) || seriesKey);
        if (!emit(seriesKey)) return;
      }
      if (spec.sourceColumn >= 0 && sources.size < 5) {
        const s = cell(fields, spec.sourceColumn);
        if (s) sources.add(s);
      }

      const note = cell(fields, spec.note) || undefined;
      const unit = cell(fields, spec.unit) || undefined;
      const bound = (i: number): number | undefined | false => {
        const raw = cell(fields, i);
        if (raw === '' || MISSING_MARKERS.has(raw.toLowerCase())) return undefined;
        const n = ctx.parseNumber(raw);
        if (typeof n === 'number') return n;
        problems.error(line, column(i), n === null ? 'empty' : n.error);
        return false;
      };
      const low = bound(spec.low);
      const high = bound(spec.high);
      if (low === false || high === false) return;

      const push = (
        raw: string,
        columnIndex: number,
        key: string,
        period: string,
        precision: ParsedValue['precision'],
      ) => {
        if (raw === '' || MISSING_MARKERS.has(raw.toLowerCase())) {
          meta.missing += 1;
          return;
        }
        const value = ctx.parseNumber(raw);
        if (typeof value !== 'number') {
          problems.error(
            line,
            column(columnIndex),
            value === null ? 'the value is empty' : value.error,
          );
          return;
        }
        const first = seen.firstOrSet(pairOf(key, who), values.period(period, precision), line);
        if (first >= 0) {
          problems.error(
            line,
            column(spec.shape === 'long' ? spec.period : columnIndex),
            `duplicate: ${showCell(entityName ?? entityCode ?? '')} already has a value for ${period}${key ? ` in ${showCell(key)}` : ''} on row ${first}`,
          );
          return;
        }
        const v: ParsedValue = {
          row: line,
          column: column(columnIndex),
          entityCode,
          entityName,
          isAggregate,
          period,
          precision,
          value,
          series: key,
        };
        if (note !== undefined) v.note = note;
        if (unit !== undefined) v.unit = unit;
        if (low !== undefined) v.low = low;
        if (high !== undefined) v.high = high;
        values.push(v);
      };

      if (spec.shape === 'wide') {
        const key = seriesKey ?? '';
        for (const p of spec.periodColumns)
          push(cell(fields, p.index), p.index, key, p.period, p.precision);
        return;
      }
      const period = parseFlexiblePeriod(cell(fields, spec.period), ctx.minYear, ctx.maxYear);
      if ('error' in period) {
        problems.error(line, column(spec.period), period.error);
        return;
      }
      if (seriesKey !== null) {
        const i = spec.valueColumns[0]!;
        push(cell(fields, i), i, seriesKey, period.period, period.precision);
        return;
      }
      spec.valueColumns.forEach((i, k) => {
        const key = valueKeys[k]!;
        const raw = cell(fields, i);
        if (raw !== '' && !MISSING_MARKERS.has(raw.toLowerCase())) count(key, key);
        if (emit(key)) push(raw, i, key, period.period, period.precision);
      });
    },
    finish() {
      if (noteRows > MAX_NOTE_ROWS_SHOWN) {
        problems.warning(
          null,
          null,
          `…and ${noteRows - MAX_NOTE_ROWS_SHOWN} more rows that are not data, skipped`,
        );
      }
      meta.skippedRows = (meta.skippedRows ?? 0) + noteRows;
      if (sources.size > 0) meta.sources = [...sources];
      series.list.push(
        ...[...counts].map(([key, c]) => ({ key, label: c.label, values: c.values })),
      );
      const available = new Set(counts.keys());
      if (spec.chosen) {
        for (const key of spec.chosen) {
          if (!available.has(key)) {
            problems.error(
              header.line,
              spec.seriesColumn >= 0 ? column(spec.seriesColumn) : null,
              `the file has no series ${showCell(key)}; it has ${listNames([...available].slice(0, 20))}`,
            );
          }
        }
        series.chosen.push(...[...spec.chosen].filter((k) => available.has(k)));
      } else if (counts.size === 1) {
        series.chosen.push(...counts.keys());
      } else if (counts.size > 1) {
        const where =
          spec.seriesColumn >= 0
            ? `measures in column ${showCell(column(spec.seriesColumn))}`
            : 'value columns';
        const shown = [...counts]
          .slice(0, 8)
          .map(([key, c]) => (c.label === key ? showCell(key) : `${showCell(key)} (${c.label})`));
        problems.error(
          header.line,
          spec.seriesColumn >= 0 ? column(spec.seriesColumn) : null,
          `the file holds ${counts.size} ${where}: ${shown.join(', ')}${counts.size > 8 ? ', …' : ''}; choose which to import (each becomes its own series)`,
        );
      }
    },
  };
}
