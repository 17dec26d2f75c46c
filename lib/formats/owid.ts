import type { CsvRecord } from './csv-records';
import { headerKey } from './detect';
import { parsePeriod } from './period';
import {
  checkDuplicateHeaders,
  findValueColumn,
  isAlpha3,
  listNames,
  pickValueColumn,
  raggedReason,
  type ReaderContext,
  type RowReader,
} from './reader';
import { showCell } from './show';
import type { Precision } from './types';
import { FirstRows } from './value-table';

/**
 * OWID's own codes (OWID_WRL for World, OWID_KOS for Kosovo, …) are not ISO 3166, so they give no
 * entityCode. Of those, only World is an aggregate for sure; the others are mostly territories.
 */
const OWID_PREFIX = 'OWID_';
const OWID_WORLD = 'OWID_WRL';

/**
 * Returns null (after reporting why) when the header cannot be read as an OWID file. Which
 * columns hold values (rather than annotations such as "Continent") is only known once every
 * row has been seen, but the one read is the first of them: rows are read as they come once
 * that column has shown a number (see owidRows).
 */
export function createOwidReader(header: CsvRecord, ctx: ReaderContext): RowReader | null {
  const glitch = repeatedPeriodHeader(header);
  if (glitch >= 0) return createGlitchReader(header, glitch, ctx);
  return createReader(header, ctx);
}

/**
 * Index of a second "Year" (or "Day") in the header, when that is the header's only repeated
 * name. Some OWID grapher downloads from 2020 name Year twice while their rows have one field
 * fewer: the second is an artefact of the export.
 */
function repeatedPeriodHeader(header: CsvRecord): number {
  const keys = header.fields.map(headerKey);
  for (const period of ['year', 'day']) {
    const first = keys.indexOf(period);
    const second = keys.indexOf(period, first + 1);
    if (first < 0 || second < 0) continue;
    const others = keys.filter((k, i) => k !== '' && i !== second && keys.indexOf(k) !== i);
    if (others.length === 0) return second;
  }
  return -1;
}

/**
 * Keeps the rows until the end, then reads them with the repeated Year dropped if every row has
 * one field fewer than the header (and reports the repeated name as usual if not).
 */
function createGlitchReader(header: CsvRecord, second: number, ctx: ReaderContext): RowReader {
  const rows: CsvRecord[] = [];
  return {
    row(record) {
      rows.push(record);
    },
    finish() {
      const width = header.fields.length;
      const short = rows.length > 0 && rows.every((r) => r.fields.length === width - 1);
      if (!short) {
        checkDuplicateHeaders(
          header.fields.map((n) => n.trim()),
          header.line,
          ctx.problems,
        );
        return;
      }
      const fields = header.fields.filter((_, i) => i !== second);
      ctx.problems.warning(
        header.line,
        header.fields[second]?.trim() ?? null,
        `the header names ${JSON.stringify(header.fields[second]?.trim())} twice but every row has one field fewer (a known glitch of OWID downloads from 2020): the second one was ignored`,
      );
      const reader = createReader({ ...header, fields }, ctx);
      if (!reader) return;
      for (const r of rows) reader.row(r);
      reader.finish();
    },
  };
}

type OwidColumns = {
  header: CsvRecord;
  names: string[];
  iEntity: number;
  iCode: number;
  iPeriod: number;
  precision: Precision;
  candidates: number[];
  width: number;
};

function createReader(header: CsvRecord, ctx: ReaderContext): RowReader | null {
  const { problems } = ctx;
  const names = header.fields.map((name) => name.trim());
  const keys = names.map(headerKey);
  const iEntity = keys.indexOf('entity');
  const iCode = keys.indexOf('code');
  const iYear = keys.indexOf('year');
  const iDay = keys.indexOf('day');
  const iPeriod = iYear >= 0 ? iYear : iDay;
  const missing: string[] = [];
  if (iEntity < 0) missing.push('Entity');
  if (iCode < 0) missing.push('Code');
  if (iPeriod < 0) missing.push('Year (or Day)');
  if (missing.length > 0) {
    problems.error(
      header.line,
      null,
      `missing required ${missing.length === 1 ? 'column' : 'columns'} ${listNames(missing)}; an OWID file starts with Entity, Code, Year (or Day)`,
    );
    return null;
  }
  if (!checkDuplicateHeaders(names, header.line, problems)) return null;
  const idColumns = new Set([iEntity, iCode, iYear, iDay]);
  const columns: OwidColumns = {
    header,
    names,
    iEntity,
    iCode,
    iPeriod,
    precision: iPeriod === iYear ? 'year' : 'day',
    candidates: names.flatMap((name, i) => (idColumns.has(i) || name === '' ? [] : [i])),
    width: names.length,
  };
  return owidRows(columns, ctx);
}

/**
 * Reads the rows of the value column: the one asked for, or the first candidate that holds a
 * number anywhere in the file. That is known as soon as the first candidate shows a number,
 * usually on the first row: rows before it are held and read then, the rest as they come. Only
 * a file whose first candidate never holds a number is held to its end (the choice falls to a
 * later column then). What every column held is noted as the rows pass, for the warnings and
 * the file's list of value columns at the end.
 */
function owidRows(c: OwidColumns, ctx: ReaderContext): RowReader {
  const { names, candidates, width } = c;
  const hasNumber = new Array<boolean>(width).fill(false);
  const hasText = new Array<boolean>(width).fill(false);
  const asked =
    ctx.valueColumn === undefined ? null : findValueColumn(ctx.valueColumn, names, candidates);
  // -1: the column asked for is not in the file (said at the end); null: not known yet.
  let chosen: number | null = asked;
  const held: CsvRecord[] = [];
  const reader = owidValueReader(c, ctx);
  const note = ({ fields }: CsvRecord) => {
    if (fields.length !== width) return;
    for (const i of candidates) {
      if (hasNumber[i]) continue;
      const parsed = ctx.parseNumber(fields[i] ?? '');
      if (typeof parsed === 'number') hasNumber[i] = true;
      else if (parsed !== null) hasText[i] = true;
    }
  };
  const choose = (column: number) => {
    chosen = column;
    for (const r of held) reader(r, column);
    held.length = 0;
  };
  return {
    row(record) {
      note(record);
      if (chosen === null && candidates.length > 0 && hasNumber[candidates[0]!])
        choose(candidates[0]!);
      if (chosen === null) held.push(record);
      else if (chosen >= 0) reader(record, chosen);
    },
    finish() {
      const valueColumns = candidates.filter((i) => hasNumber[i]);
      ctx.meta.valueColumns = valueColumns.map((i) => names[i] ?? '');
      warnOfNonValueColumns(c, hasNumber, hasText, ctx);
      if (ctx.valueColumn !== undefined) {
        // Not in the file: said now, with the value columns it has.
        if (asked! < 0) reportAskedColumn(ctx.valueColumn, c, ctx);
        return;
      }
      if (chosen !== null) return;
      const first = valueColumns[0] ?? -1;
      if (first >= 0) choose(first);
      else reportNoValueColumn(c, ctx);
    },
  };
}

/** The column asked for is not in the file: said with the value columns it has. */
function reportAskedColumn(wanted: string, c: OwidColumns, ctx: ReaderContext) {
  const { names, candidates, header } = c;
  pickValueColumn(
    wanted,
    names,
    candidates,
    ctx.meta.valueColumns ?? [],
    header.line,
    ctx.problems,
  );
}

/** A warning for each candidate column that held no number: text, or nothing at all. */
function warnOfNonValueColumns(
  c: OwidColumns,
  hasNumber: boolean[],
  hasText: boolean[],
  ctx: ReaderContext,
) {
  for (const i of c.candidates) {
    if (hasNumber[i]) continue;
    ctx.problems.warning(
      c.header.line,
      c.names[i] ?? '',
      hasText[i] ? 'this column holds text, not numbers; ignored' : 'this column is empty; ignored',
    );
  }
}

function reportNoValueColumn(c: OwidColumns, ctx: ReaderContext) {
  const { names, candidates, header } = c;
  ctx.problems.error(
    header.line,
    null,
    candidates.length === 0
      ? 'no value column: an OWID file needs at least one column after Entity, Code and Year'
      : `no value column: none of ${listNames(candidates.map((i) => names[i] ?? ''))} holds numbers`,
  );
}

/** An OWID code: ISO alpha-3, OWID's own (OWID_WRL), empty for a region; others are warned of. */
function owidCode(
  raw: string,
  line: number,
  column: string,
  flagged: Set<string>,
  ctx: ReaderContext,
): { entityCode: string | null; isAggregate: boolean } {
  const code = raw.trim().toUpperCase();
  if (code === '') return { entityCode: null, isAggregate: true };
  if (isAlpha3(code)) return { entityCode: code, isAggregate: false };
  if (code.startsWith(OWID_PREFIX)) return { entityCode: null, isAggregate: code === OWID_WORLD };
  if (!flagged.has(code)) {
    flagged.add(code);
    ctx.problems.warning(
      line,
      column,
      `${showCell(code)} is not a three-letter ISO 3166 code; its rows are kept without a code`,
    );
  }
  return { entityCode: null, isAggregate: false };
}

/**
 * Reads one row's value of the chosen column into the table, or says why not. Duplicates are
 * found by entity name and period, a bit per pair (FirstRows), not a string per value.
 */
function owidValueReader(c: OwidColumns, ctx: ReaderContext) {
  const { problems, values, meta } = ctx;
  const { names, iEntity, iCode, iPeriod, precision, width } = c;
  const flaggedCodes = new Set<string>();
  /** Each entity name's duplicate key, and each table entity's. */
  const nameKeys = new Map<string, number>();
  const keyOfEntity: number[] = [];
  const seen = new FirstRows((add) => {
    values.needsWhole();
    for (let i = 0; i < values.length; i++)
      add(keyOfEntity[values.entities[i]!]!, values.periods[i]!, values.rows[i]!);
  });
  // Rows repeat a few thousand periods: each distinct one is parsed once.
  const periods = new Map<string, ReturnType<typeof parsePeriod>>();
  const periodOf = (raw: string) => {
    let period = periods.get(raw);
    if (!period) periods.set(raw, (period = parsePeriod(raw, ctx.minYear, ctx.maxYear)));
    return period;
  };
  return ({ fields, line }: CsvRecord, chosen: number) => {
    const column = names[chosen] ?? '';
    if (fields.length !== width) {
      problems.error(line, null, raggedReason(fields.length, width));
      return;
    }
    let ok = true;
    const entity = (fields[iEntity] ?? '').trim();
    if (entity === '') {
      problems.error(line, names[iEntity] ?? '', 'the entity is empty');
      ok = false;
    }
    const { entityCode, isAggregate } = owidCode(
      fields[iCode] ?? '',
      line,
      names[iCode] ?? '',
      flaggedCodes,
      ctx,
    );
    const period = periodOf(fields[iPeriod] ?? '');
    if ('error' in period) {
      problems.error(line, names[iPeriod] ?? '', period.error);
      ok = false;
    } else if (period.precision !== precision) {
      problems.error(
        line,
        names[iPeriod] ?? '',
        precision === 'year'
          ? `${showCell(period.period)} is not a year like 2010`
          : `${showCell(period.period)} is not a date like 2010-06-24`,
      );
      ok = false;
    }
    const value = ctx.parseNumber(fields[chosen] ?? '');
    if (value === null) {
      meta.missing += 1;
      return;
    }
    if (typeof value !== 'number') {
      problems.error(line, column, value.error);
      return;
    }
    if (!ok || 'error' in period) return;
    let key = nameKeys.get(entity);
    if (key === undefined) nameKeys.set(entity, (key = nameKeys.size));
    const periodIndex = values.period(period.period, precision);
    const first = seen.firstOrSet(key, periodIndex, line);
    if (first >= 0) {
      problems.error(
        line,
        names[iPeriod] ?? '',
        `duplicate: ${showCell(entity)} already has a value for ${period.period} on row ${first}`,
      );
      return;
    }
    const entityIndex = values.entity(entityCode, entity, isAggregate);
    keyOfEntity[entityIndex] = key;
    values.add(line, values.string(column), entityIndex, periodIndex, value);
  };
}
