import type { CsvRecord } from './csv-records';
import { headerKey } from './detect';
import { parsePeriod } from './period';
import {
  checkDuplicateHeaders,
  isAlpha3,
  listNames,
  raggedReason,
  type ReaderContext,
  type RowReader,
} from './reader';
import { showCell } from './show';
import { FirstRows } from './value-table';
import { WORLD_BANK_AGGREGATE_CODES } from './world-bank-aggregates';

const REQUIRED = ['entity', 'period', 'value'] as const;
const OPTIONAL = ['code', 'unit', 'note', 'low', 'high'] as const;
const KNOWN: ReadonlySet<string> = new Set([...REQUIRED, ...OPTIONAL]);

type Known = (typeof REQUIRED)[number] | (typeof OPTIONAL)[number];

/** Returns null (after reporting why) when the header cannot be read as a tidy file. */
export function createTidyReader(header: CsvRecord, ctx: ReaderContext): RowReader | null {
  const { problems, values } = ctx;
  const names = header.fields.map((name) => name.trim());
  const keys = names.map(headerKey);
  const missing = REQUIRED.filter((name) => !keys.includes(name));
  if (missing.length > 0) {
    problems.error(
      header.line,
      null,
      `missing required ${missing.length === 1 ? 'column' : 'columns'} ${listNames(missing)}; a tidy file needs entity, period and value`,
    );
    return null;
  }
  if (!checkDuplicateHeaders(names, header.line, problems)) return null;
  keys.forEach((key, i) => {
    if (KNOWN.has(key)) return;
    problems.warning(
      header.line,
      names[i] ?? '',
      key === ''
        ? `column ${i + 1} has no name and was ignored`
        : `not a tidy column (entity, period, value, code, unit, note, low, high); ignored`,
    );
  });

  const at = (name: Known): number => keys.indexOf(name);
  const iEntity = at('entity');
  const iPeriod = at('period');
  const iValue = at('value');
  const iCode = at('code');
  const iUnit = at('unit');
  const iNote = at('note');
  const iLow = at('low');
  const iHigh = at('high');
  const column = (i: number): string => names[i] ?? '';
  const width = names.length;
  const valueColumn = values.string(column(iValue));
  // First row of each entity+period, to name it when the pair comes again.
  const entityKeys = new Map<string, number>();
  /** Each table entity's duplicate key: its code, or its name when it has none. */
  const keyOfEntity: number[] = [];
  const seen = new FirstRows((add) => {
    for (let i = 0; i < values.length; i++)
      add(keyOfEntity[values.entities[i]!]!, values.periods[i]!, values.rows[i]!);
  });
  // Rows come grouped by entity and repeat a few thousand periods: each distinct entity and
  // period is checked once.
  let last: { entity: string; code: string; index: number; key: number } | null = null;
  const periods = new Map<string, number | string>();

  const optionalNumber = (fields: string[], i: number, row: number): number | undefined | false => {
    if (i < 0) return undefined;
    const parsed = ctx.parseNumber(fields[i] ?? '');
    if (parsed === null) return undefined;
    if (typeof parsed === 'number') return parsed;
    problems.error(row, column(i), parsed.error);
    return false;
  };

  /** The entity's index in the table and its duplicate key, or null after reporting why not. */
  const entityOf = (entity: string, code: string, line: number) => {
    let entityCode: string | null = null;
    let entityName: string | null = entity === '' ? null : entity;
    if (code !== '') {
      const upper = code.toUpperCase();
      if (!isAlpha3(upper)) {
        problems.error(
          line,
          column(iCode),
          `${showCell(code)} is not a three-letter ISO 3166 code`,
        );
        return null;
      }
      entityCode = upper;
      if (entity.toUpperCase() === upper) entityName = null;
    } else if (entity === '') {
      problems.error(line, column(iEntity), 'the entity is empty');
      return null;
    } else if (isAlpha3(entity)) {
      // A bare upper-case three-letter entity is a code; names that short are not written so.
      entityCode = entity;
      entityName = null;
    }
    const keyText = entityCode ?? `name:${entityName}`;
    let key = entityKeys.get(keyText);
    if (key === undefined) entityKeys.set(keyText, (key = entityKeys.size));
    const isAggregate = entityCode !== null && WORLD_BANK_AGGREGATE_CODES.has(entityCode);
    const index = values.entity(entityCode, entityName, isAggregate);
    keyOfEntity[index] = key;
    return { entity, code, index, key };
  };

  return {
    row({ fields, line }) {
      if (fields.length !== width) {
        problems.error(line, null, raggedReason(fields.length, width));
        return;
      }
      let ok = true;

      const entity = (fields[iEntity] ?? '').trim();
      const code = iCode < 0 ? '' : (fields[iCode] ?? '').trim();
      let who = last !== null && last.entity === entity && last.code === code ? last : null;
      if (!who) {
        who = entityOf(entity, code, line);
        if (who) last = who;
        else ok = false;
      }

      const rawPeriod = fields[iPeriod] ?? '';
      let period = periods.get(rawPeriod);
      if (period === undefined) {
        const p = parsePeriod(rawPeriod, ctx.minYear, ctx.maxYear);
        period = 'error' in p ? p.error : values.period(p.period, p.precision);
        periods.set(rawPeriod, period);
      }
      if (typeof period === 'string') {
        problems.error(line, column(iPeriod), period);
        ok = false;
      }

      const value = ctx.parseNumber(fields[iValue] ?? '');
      if (value === null) {
        problems.error(
          line,
          column(iValue),
          'the value is empty; every row of a tidy file needs one',
        );
        ok = false;
      } else if (typeof value !== 'number') {
        problems.error(line, column(iValue), value.error);
        ok = false;
      }

      const low = optionalNumber(fields, iLow, line);
      const high = optionalNumber(fields, iHigh, line);
      if (low === false || high === false) ok = false;
      if (typeof low === 'number' && typeof high === 'number' && low > high) {
        problems.error(line, column(iLow), `low (${low}) is greater than high (${high})`);
        ok = false;
      }

      if (!ok || !who || typeof period !== 'number' || typeof value !== 'number') return;

      const first = seen.firstOrSet(who.key, period, line);
      if (first >= 0) {
        const e = values.entityList[who.index]!;
        problems.error(
          line,
          column(iPeriod),
          `duplicate: ${showCell(e.name ?? e.code ?? '')} already has a value for ${values.periodList[period]} on row ${first}`,
        );
        return;
      }

      if ((typeof low === 'number' && value < low) || (typeof high === 'number' && value > high)) {
        problems.warning(
          line,
          column(iValue),
          `the value ${value} lies outside its low–high range`,
        );
      }

      const i = values.add(line, valueColumn, who.index, period, value);
      if (typeof low === 'number') values.setLow(i, low);
      if (typeof high === 'number') values.setHigh(i, high);
      const unit = iUnit < 0 ? '' : (fields[iUnit] ?? '').trim();
      if (unit !== '') values.setUnit(i, unit);
      const note = iNote < 0 ? '' : (fields[iNote] ?? '').trim();
      if (note !== '') values.setNote(i, note);
    },
    finish() {},
  };
}
