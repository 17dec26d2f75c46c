import type { CsvRecord } from './csv-records';
import { isFredDateHeader } from './detect';
import { parsePeriod } from './period';
import {
  checkDuplicateHeaders,
  pickValueColumn,
  raggedReason,
  type ReaderContext,
  type RowReader,
} from './reader';
import { showCell } from './show';

/** Returns null (after reporting why) when the header cannot be read as a FRED file. */
export function createFredReader(header: CsvRecord, ctx: ReaderContext): RowReader | null {
  const { problems, values, meta } = ctx;
  const names = header.fields.map((name) => name.trim());
  if (!isFredDateHeader(names[0] ?? '')) {
    problems.error(
      header.line,
      names[0] ?? null,
      'a FRED file starts with an "observation_date" (or "DATE") column, then one column per series',
    );
    return null;
  }
  if (!checkDuplicateHeaders(names, header.line, problems)) return null;
  const series = names.flatMap((name, i) => (i === 0 || name === '' ? [] : [i]));
  meta.valueColumns = series.map((i) => names[i] ?? '');
  let chosen: number;
  if (ctx.valueColumn !== undefined) {
    chosen = pickValueColumn(
      ctx.valueColumn,
      names,
      series,
      meta.valueColumns,
      header.line,
      problems,
    );
  } else {
    chosen = series[0] ?? -1;
    if (chosen < 0) {
      problems.error(header.line, null, 'no series column after the date column');
    }
  }
  if (chosen < 0) return null;
  const column = names[chosen] ?? '';
  meta.seriesId = column;
  const dateColumn = names[0] ?? '';
  const width = names.length;
  const seen = new Map<string, number>();

  return {
    row({ fields, line }) {
      if (fields.length !== width) {
        problems.error(line, null, raggedReason(fields.length, width));
        return;
      }
      const period = parsePeriod(fields[0] ?? '', ctx.minYear, ctx.maxYear);
      let ok = true;
      if ('error' in period) {
        problems.error(line, dateColumn, period.error);
        ok = false;
      } else if (period.precision !== 'day') {
        problems.error(
          line,
          dateColumn,
          `${showCell(period.period)} is not a date like 2010-06-24`,
        );
        ok = false;
      } else {
        const first = seen.get(period.period);
        if (first !== undefined) {
          problems.error(
            line,
            dateColumn,
            `duplicate: ${period.period} already appeared on row ${first}`,
          );
          ok = false;
        } else {
          seen.set(period.period, line);
        }
      }
      const raw = (fields[chosen] ?? '').trim();
      // FRED writes "." for a missing observation; newer downloads leave the cell empty.
      if (raw === '.' || raw === '') {
        meta.missing += 1;
        return;
      }
      const value = ctx.parseNumber(raw);
      if (typeof value !== 'number') {
        problems.error(line, column, value === null ? 'the value is empty' : value.error);
        return;
      }
      if (!ok || 'error' in period) return;
      values.push({
        row: line,
        column,
        entityCode: null,
        entityName: null,
        isAggregate: false,
        period: period.period,
        precision: 'day',
        value,
      });
    },
    finish() {},
  };
}
