// The row engine behind every layout read through a column mapping: given which column holds
// what (a TableSpec), it turns rows into values, one series per value column or per measure of
// a series column. Rows the user did not ask for (outside the filters, of entities not chosen)
// are skipped and counted; what is wrong is reported once, with what the user can choose.
import type { CsvRecord } from './csv-records';
import { parseLoosePeriod } from './dates';
import { readCodeCell } from './entities';
import type { EntityKeeper } from './keep';
import type { FileInfo } from './mapping';
import type { PeriodResult } from './period';
import { listNames, type ReaderContext, type RowReader } from './reader';
import { showCell } from './show';
import { columnRefs, MISSING_MARKERS, unclearDates, type TableSpec } from './table';
import type { ParsedValue } from './types';
import { FirstRows } from './value-table';

const MAX_NOTE_ROWS_SHOWN = 5;
const MAX_DUPLICATES_SHOWN = 20;
/** Columns with more distinct values than this are not offered as filters. */
const MAX_DISTINCT = 200;
const MAX_TRACKED_COLUMNS = 60;

type Entity = { code: string | null; name: string | null; aggregate: boolean };
type Duplicate = { line: number; column: string; reason: string };

const isMissing = (raw: string) => raw === '' || MISSING_MARKERS.has(raw.toLowerCase());

/**
 * Reads rows by a TableSpec. Rows whose only text is in their first cell (footers such as
 * "Last Updated: …", notes under a spreadsheet table) are skipped and reported, not refused.
 */
export function createTableReader(
  header: CsvRecord,
  spec: TableSpec,
  ctx: ReaderContext,
  file: FileInfo,
  keeps: EntityKeeper = (_c, _n, aggregate) => !aggregate,
): RowReader {
  const reader = new TableReader(header, spec, ctx, file, keeps);
  return { row: (record) => reader.row(record), finish: () => reader.finish() };
}

class TableReader {
  private readonly names: string[];
  private readonly refs: string[];
  private readonly width: number;
  private readonly pairs = new Map<string, number>();
  private lastPair = { key: '', who: '', index: -1 };
  private readonly seen: FirstRows;
  private readonly counts = new Map<string, { label: string; values: number }>();
  private readonly sources = new Set<string>();
  private readonly valueKeys: string[];
  private readonly candidates: string[] | null;
  /** Per column, its distinct values while they are few; null once too many. */
  private readonly distinct: (Set<string> | null)[];
  private noteRows = 0;
  private filtered = 0;
  private readonly ragged: number[] = [];
  private readonly unclear: string[] = [];
  private readonly duplicates: Duplicate[] = [];
  private duplicateCount = 0;

  constructor(
    private readonly header: CsvRecord,
    private readonly spec: TableSpec,
    private readonly ctx: ReaderContext,
    private readonly file: FileInfo,
    private readonly keeps: EntityKeeper,
  ) {
    this.names = header.fields.map((n) => n.trim());
    this.refs = columnRefs(this.names);
    this.width = this.names.length;
    const { values } = ctx;
    this.seen = new FirstRows((add) => {
      values.needsWhole();
      for (let i = 0; i < values.length; i++) {
        const e = values.entityOf(i);
        add(
          this.pairOf(values.series(i) ?? '', whoOf(e.code, e.name)),
          values.periods[i]!,
          values.rows[i]!,
        );
      }
    });
    this.valueKeys = spec.valueColumns.map((i) => this.refs[i] ?? '');
    this.candidates = spec.seriesColumn >= 0 ? null : this.valueKeys;
    if (this.candidates)
      for (const key of this.candidates) this.counts.set(key, { label: key, values: 0 });
    const numeric = new Set([
      ...spec.valueColumns,
      ...spec.periodColumns.map((p) => p.index),
      spec.period,
      spec.low,
      spec.high,
    ]);
    this.distinct = this.names.map((_, i) =>
      numeric.has(i) || i >= MAX_TRACKED_COLUMNS ? null : new Set<string>(),
    );
  }

  /** The same period twice for one entity in one series, by interned indexes. */
  private pairOf(key: string, who: string): number {
    const last = this.lastPair;
    if (last.index >= 0 && last.key === key && last.who === who) return last.index;
    const text = `${key}\u0000${who}`;
    let index = this.pairs.get(text);
    if (index === undefined) this.pairs.set(text, (index = this.pairs.size));
    this.lastPair = { key, who, index };
    return index;
  }

  private column(i: number): string {
    return this.names[i] || this.refs[i] || '';
  }

  private cell(fields: string[], i: number): string {
    return i < 0 ? '' : (fields[i] ?? '').trim();
  }

  row({ fields, line }: CsvRecord): void | false {
    const { spec } = this;
    if (spec.stopAt?.(fields)) return false;
    if (this.isNoteRow(fields)) return this.noteRow(fields, line);
    if (fields.length > this.width && fields.slice(this.width).some((f) => f.trim() !== ''))
      this.ragged.push(line);
    this.track(fields);
    if (!this.passesFilters(fields)) {
      this.filtered += 1;
      return;
    }
    // A projection row is read like any other and marked by its line, for the import to split.
    if (spec.projection && spec.projection.values.has(this.cell(fields, spec.projection.index)))
      (this.ctx.meta.projectionRows ??= []).push(line);
    const entity = this.entityOf(fields, line);
    if (!entity) return;
    let seriesKey: string | null = null;
    if (spec.seriesColumn >= 0) {
      seriesKey = this.cell(fields, spec.seriesColumn);
      if (seriesKey === '') {
        this.ctx.problems.error(line, this.column(spec.seriesColumn), 'the series is empty');
        return;
      }
      this.count(seriesKey, this.cell(fields, spec.seriesLabelColumn) || seriesKey);
      if (!this.emit(seriesKey)) return;
    }
    if (spec.sourceColumn >= 0 && this.sources.size < 5) {
      const s = this.cell(fields, spec.sourceColumn);
      if (s) this.sources.add(s);
    }
    const extras = this.extrasOf(fields, line);
    if (!extras) return;
    if (spec.shape === 'wide') {
      for (const p of spec.periodColumns)
        this.push(fields, line, entity, extras, p.index, seriesKey ?? '', p);
      return;
    }
    const period = this.periodOf(fields, line);
    if (!period) return;
    if (seriesKey !== null) {
      this.push(fields, line, entity, extras, spec.valueColumns[0]!, seriesKey, period);
      return;
    }
    spec.valueColumns.forEach((i, k) => {
      const key = this.valueKeys[k]!;
      if (!isMissing(this.cell(fields, i))) this.count(key, key);
      if (this.emit(key)) this.push(fields, line, entity, extras, i, key, period);
    });
  }

  private isNoteRow(fields: string[]): boolean {
    if (this.width < 3) return false;
    let filled = 0;
    for (let i = 0; i < fields.length; i++)
      if ((fields[i] ?? '').trim() !== '') filled = i === 0 ? filled + 1 : 99;
    return filled === 1;
  }

  private noteRow(fields: string[], line: number): void {
    this.noteRows += 1;
    // DataBank's footer says when the data were last updated.
    const updated = /^last updated:\s*(.+)$/i.exec(this.cell(fields, 0))?.[1];
    if (updated) this.ctx.meta.lastUpdated ??= updated.trim();
    if (this.noteRows <= MAX_NOTE_ROWS_SHOWN) {
      this.ctx.problems.warning(
        line,
        null,
        `not a data row, skipped: ${showCell(this.cell(fields, 0))}`,
      );
    }
  }

  /** Distinct values of the text columns, for the mapping step's filters. */
  private track(fields: string[]): void {
    for (let i = 0; i < this.distinct.length; i++) {
      const set = this.distinct[i];
      if (!set) continue;
      const v = this.cell(fields, i);
      if (v === '' || set.has(v)) continue;
      if (set.size >= MAX_DISTINCT) this.distinct[i] = null;
      else set.add(v);
    }
  }

  private passesFilters(fields: string[]): boolean {
    for (const f of this.spec.filters) if (!f.values.has(this.cell(fields, f.index))) return false;
    return true;
  }

  /** The entity: the file's one entity, or a code (ISO alpha-3/alpha-2/numeric) and/or a name. */
  private entityOf(fields: string[], line: number): Entity | null {
    const { spec } = this;
    if (spec.entity < 0 && spec.code < 0 && spec.fileEntity)
      return { code: spec.fileEntity, name: null, aggregate: false };
    let code: string | null = null;
    let aggregate = false;
    let name: string | null = this.cell(fields, spec.entity) || null;
    if (spec.code >= 0) {
      const c = readCodeCell(this.cell(fields, spec.code));
      if ('error' in c) {
        // A code the user's choice of entities leaves out is no error: the row is skipped.
        if (this.keeps(null, name, false))
          this.ctx.problems.error(line, this.column(spec.code), c.error);
        else this.filtered += 1;
        return null;
      }
      code = c.code;
      aggregate = c.aggregate;
    } else if (name && /^[A-Z]{3}$/.test(name)) {
      // An upper-case three-letter entity is a code; names that short are not written so.
      code = name;
      name = null;
    }
    if (code === null && name === null) {
      this.ctx.problems.error(
        line,
        this.column(spec.entity >= 0 ? spec.entity : spec.code),
        'the entity is empty',
      );
      return null;
    }
    return { code, name, aggregate };
  }

  /** Note, unit and bounds of a row; null when a bound is not a number. */
  private extrasOf(fields: string[], line: number): Partial<ParsedValue> | null {
    const { spec } = this;
    const out: Partial<ParsedValue> = {};
    const note = this.cell(fields, spec.note);
    const unit = this.cell(fields, spec.unit);
    if (note) out.note = note;
    if (unit) out.unit = unit;
    for (const [key, i] of [
      ['low', spec.low],
      ['high', spec.high],
    ] as const) {
      const raw = this.cell(fields, i);
      if (isMissing(raw)) continue;
      const n = this.ctx.parseNumber(raw);
      if (typeof n !== 'number') {
        this.ctx.problems.error(line, this.column(i), n === null ? 'empty' : n.error);
        return null;
      }
      out[key] = n;
    }
    return out;
  }

  /** A long row's period: its column (with a month column beside it), or the file's one period. */
  private periodOf(
    fields: string[],
    line: number,
  ): Exclude<PeriodResult, { error: string }> | null {
    const { spec, ctx } = this;
    if (spec.period < 0 && spec.filePeriod) return spec.filePeriod;
    let text = this.cell(fields, spec.period);
    if (spec.month >= 0) {
      const month = this.cell(fields, spec.month);
      text = /^\d{1,2}$/.test(month) ? `${text}-${month.padStart(2, '0')}` : `${text} ${month}`;
    }
    const p = parseLoosePeriod(text, ctx.minYear, ctx.maxYear, spec.dateOrder);
    if ('ambiguous' in p) {
      this.unclear.push(p.ambiguous);
      return null;
    }
    if ('error' in p) {
      ctx.problems.error(line, this.column(spec.period), p.error);
      return null;
    }
    return p;
  }

  private count(key: string, label: string): void {
    const c = this.counts.get(key);
    if (c) c.values += 1;
    else this.counts.set(key, { label, values: 1 });
  }

  private emit(key: string): boolean {
    if (this.spec.chosen) return this.spec.chosen.has(key);
    return this.candidates !== null && this.candidates.length === 1;
  }

  private push(
    fields: string[],
    line: number,
    entity: Entity,
    extras: Partial<ParsedValue>,
    columnIndex: number,
    key: string,
    period: { period: string; precision: ParsedValue['precision'] },
  ): void {
    const { ctx, spec } = this;
    const raw = this.cell(fields, columnIndex);
    if (isMissing(raw)) {
      ctx.meta.missing += 1;
      return;
    }
    const value = ctx.parseNumber(raw);
    if (typeof value !== 'number') {
      ctx.problems.error(
        line,
        this.column(columnIndex),
        value === null ? 'the value is empty' : value.error,
      );
      return;
    }
    const who = whoOf(entity.code, entity.name);
    const first = this.seen.firstOrSet(
      this.pairOf(key, who),
      ctx.values.period(period.period, period.precision),
      line,
    );
    if (first >= 0) {
      this.duplicate(entity, {
        line,
        column: this.column(spec.shape === 'long' ? spec.period : columnIndex),
        reason: `duplicate: ${showCell(entity.name ?? entity.code ?? '')} already has a value for ${period.period}${key ? ` in ${showCell(key)}` : ''} on row ${first}`,
      });
      return;
    }
    ctx.values.push({
      row: line,
      column: this.column(columnIndex),
      entityCode: entity.code,
      entityName: entity.name,
      isAggregate: entity.aggregate,
      period: period.period,
      precision: period.precision,
      value,
      series: key,
      ...extras,
    });
  }

  /** A duplicate of a row the import skips anyway (a region listed twice) is skipped too. */
  private duplicate(entity: Entity, d: Duplicate): void {
    if (!this.keeps(entity.code, entity.name, entity.aggregate)) {
      this.ctx.meta.skippedDuplicates = (this.ctx.meta.skippedDuplicates ?? 0) + 1;
      return;
    }
    this.duplicateCount += 1;
    if (this.duplicates.length < MAX_DUPLICATES_SHOWN) this.duplicates.push(d);
  }

  finish(): void {
    const { ctx, file } = this;
    const { problems, meta } = ctx;
    if (this.noteRows > MAX_NOTE_ROWS_SHOWN) {
      problems.warning(
        null,
        null,
        `…and ${this.noteRows - MAX_NOTE_ROWS_SHOWN} more rows that are not data, skipped`,
      );
    }
    meta.skippedRows = (meta.skippedRows ?? 0) + this.noteRows;
    if (this.sources.size > 0) meta.sources = [...this.sources];
    this.distinct.forEach((set, i) => {
      const c = file.columns[i];
      if (set && c && set.size > 0) c.distinct = [...set];
    });
    this.reportRagged();
    this.reportFiltered();
    this.reportUnclearDates();
    this.reportDuplicates();
    this.reportSeries();
  }

  private reportRagged(): void {
    const rows = this.ragged;
    if (rows.length === 0) return;
    const shown =
      rows.slice(0, 10).join(', ') + (rows.length > 10 ? `, … (${rows.length} rows)` : '');
    this.ctx.problems.warning(
      rows[0]!,
      null,
      `${rows.length === 1 ? 'row' : 'rows'} ${shown} ${rows.length === 1 ? 'has' : 'have'} more fields than the header's ${this.width} names: the fields past column ${this.width} are not read`,
    );
  }

  private reportFiltered(): void {
    const repeats = this.ctx.meta.skippedDuplicates ?? 0;
    if (repeats > 0)
      this.ctx.problems.warning(
        null,
        null,
        `skipped ${repeats} repeated ${repeats === 1 ? 'row' : 'rows'} of entities the import leaves out (regions, groups, entities not chosen)`,
      );
    if (this.filtered === 0) return;
    this.ctx.meta.filteredRows = (this.ctx.meta.filteredRows ?? 0) + this.filtered;
    const by = this.spec.filters.map((f) => showCell(this.column(f.index))).join(' and ');
    this.ctx.problems.warning(
      null,
      null,
      `skipped ${this.filtered} ${this.filtered === 1 ? 'row' : 'rows'} not chosen${by ? ` by the filters on ${by}` : ''}`,
    );
  }

  private reportUnclearDates(): void {
    if (this.unclear.length === 0) return;
    this.file.needs.push('dates');
    this.ctx.problems.error(
      null,
      this.column(this.spec.period),
      `${unclearDates(this.unclear, 'dates')}: choose whether the day or the month comes first (mapping.dates: "dmy" or "mdy")`,
    );
  }

  /**
   * Many repeats of an entity and period mean the file holds several measures in other columns
   * (a bulk download): one refusal naming those columns, not hundreds of "duplicate" errors.
   */
  private reportDuplicates(): void {
    const { problems } = this.ctx;
    if (this.duplicateCount === 0) return;
    const measures = this.measureColumns();
    if (measures.length > 0 && this.duplicateCount > 1) {
      this.file.needs.push('measures');
      const listed = measures
        .slice(0, 4)
        .map(
          ({ name, values }) =>
            `${showCell(name)} (${values.length} values: ${values.slice(0, 4).map(showCell).join(', ')}${values.length > 4 ? ', …' : ''})`,
        );
      problems.error(
        this.duplicates[0]!.line,
        null,
        `the file holds several measures: ${this.duplicateCount} rows repeat an entity and period already read. Columns that tell them apart: ${listed.join('; ')}. Choose the measure: filter these columns, or make one the series column`,
      );
      return;
    }
    for (const d of this.duplicates) problems.error(d.line, d.column, d.reason);
    if (this.duplicateCount > this.duplicates.length)
      problems.error(
        null,
        null,
        `…and ${this.duplicateCount - this.duplicates.length} more duplicates`,
      );
  }

  /** Text columns with a few distinct values, not mapped to a role: where measures hide. */
  private measureColumns(): { name: string; values: string[] }[] {
    const { spec } = this;
    const roles = new Set([
      spec.entity,
      spec.code,
      spec.period,
      spec.month,
      spec.seriesColumn,
      spec.note,
      spec.seriesLabelColumn,
      spec.sourceColumn,
      ...spec.filters.map((f) => f.index),
    ]);
    const out: { name: string; values: string[] }[] = [];
    this.distinct.forEach((set, i) => {
      if (!set || roles.has(i) || set.size < 2) return;
      // Numbers (a year estimates start after, a flag) tell rows apart but name no measure.
      if ([...set].every((v) => /^-?[\d.,]+$/.test(v))) return;
      out.push({ name: this.refs[i]!, values: [...set] });
    });
    return out.sort((a, b) => a.values.length - b.values.length);
  }

  private reportSeries(): void {
    const { spec, counts, file, header } = this;
    const { problems } = this.ctx;
    file.series.push(...[...counts].map(([key, c]) => ({ key, label: c.label, values: c.values })));
    const available = new Set(counts.keys());
    const where = spec.seriesColumn >= 0 ? this.column(spec.seriesColumn) : null;
    if (spec.chosen) {
      for (const key of spec.chosen) {
        if (!available.has(key)) {
          problems.error(
            header.line,
            where,
            `the file has no series ${showCell(key)}; it has ${listNames([...available].slice(0, 20))}`,
          );
        }
      }
      file.chosen.push(...[...spec.chosen].filter((k) => available.has(k)));
    } else if (counts.size === 1) {
      file.chosen.push(...counts.keys());
    } else if (counts.size > 1) {
      const what = where ? `measures in column ${showCell(where)}` : 'value columns';
      const shown = [...counts]
        .slice(0, 8)
        .map(([key, c]) => (c.label === key ? showCell(key) : `${showCell(key)} (${c.label})`));
      problems.error(
        header.line,
        where,
        `the file holds ${counts.size} ${what}: ${shown.join(', ')}${counts.size > 8 ? ', …' : ''}; choose which to import (each becomes its own series)`,
      );
    }
  }
}

function whoOf(code: string | null, name: string | null): string {
  return code ?? `name:${name?.toLowerCase()}`;
}
