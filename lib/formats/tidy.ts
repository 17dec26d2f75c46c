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
  const { problems } = ctx;
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
  const reader = new TidyReader(names, keys, ctx);
  return { row: (record) => reader.row(record), finish() {} };
}

type Who = { entity: string; code: string; index: number; key: number };

/** The rows of a tidy file, each checked whole so one row reports all its problems. */
class TidyReader {
  private readonly iEntity: number;
  private readonly iPeriod: number;
  private readonly iValue: number;
  private readonly iCode: number;
  private readonly iUnit: number;
  private readonly iNote: number;
  private readonly iLow: number;
  private readonly iHigh: number;
  private readonly width: number;
  private readonly valueColumn: number;
  /** First row of each entity+period, to name it when the pair comes again. */
  private readonly entityKeys = new Map<string, number>();
  /** Each table entity's duplicate key: its code, or its name when it has none. */
  private readonly keyOfEntity: number[] = [];
  private readonly seen: FirstRows;
  // Rows come grouped by entity and repeat a few thousand periods: each distinct entity and
  // period is checked once.
  private last: Who | null = null;
  private readonly periods = new Map<string, number | string>();

  constructor(
    private readonly names: string[],
    keys: string[],
    private readonly ctx: ReaderContext,
  ) {
    const at = (name: Known): number => keys.indexOf(name);
    this.iEntity = at('entity');
    this.iPeriod = at('period');
    this.iValue = at('value');
    this.iCode = at('code');
    this.iUnit = at('unit');
    this.iNote = at('note');
    this.iLow = at('low');
    this.iHigh = at('high');
    this.width = names.length;
    const { values } = ctx;
    this.valueColumn = values.string(this.column(this.iValue));
    this.seen = new FirstRows((add) => {
      values.needsWhole();
      for (let i = 0; i < values.length; i++)
        add(this.keyOfEntity[values.entities[i]!]!, values.periods[i]!, values.rows[i]!);
    });
  }

  private column(i: number): string {
    return this.names[i] ?? '';
  }

  private optionalNumber(fields: string[], i: number, row: number): number | undefined | false {
    if (i < 0) return undefined;
    const parsed = this.ctx.parseNumber(fields[i] ?? '');
    if (parsed === null) return undefined;
    if (typeof parsed === 'number') return parsed;
    this.ctx.problems.error(row, this.column(i), parsed.error);
    return false;
  }

  /** The entity's index in the table and its duplicate key, or null after reporting why not. */
  private entityOf(entity: string, code: string, line: number): Who | null {
    const { problems, values } = this.ctx;
    let entityCode: string | null = null;
    let entityName: string | null = entity === '' ? null : entity;
    if (code !== '') {
      const upper = code.toUpperCase();
      if (!isAlpha3(upper)) {
        problems.error(
          line,
          this.column(this.iCode),
          `${showCell(code)} is not a three-letter ISO 3166 code`,
        );
        return null;
      }
      entityCode = upper;
      if (entity.toUpperCase() === upper) entityName = null;
    } else if (entity === '') {
      problems.error(line, this.column(this.iEntity), 'the entity is empty');
      return null;
    } else if (isAlpha3(entity)) {
      // A bare upper-case three-letter entity is a code; names that short are not written so.
      entityCode = entity;
      entityName = null;
    }
    const keyText = entityCode ?? `name:${entityName}`;
    let key = this.entityKeys.get(keyText);
    if (key === undefined) this.entityKeys.set(keyText, (key = this.entityKeys.size));
    const isAggregate = entityCode !== null && WORLD_BANK_AGGREGATE_CODES.has(entityCode);
    const index = values.entity(entityCode, entityName, isAggregate);
    this.keyOfEntity[index] = key;
    return { entity, code, index, key };
  }

  /** The period's index in the table, or the reason it is not a period. */
  private periodOf(rawPeriod: string): number | string {
    let period = this.periods.get(rawPeriod);
    if (period === undefined) {
      const p = parsePeriod(rawPeriod, this.ctx.minYear, this.ctx.maxYear);
      period = 'error' in p ? p.error : this.ctx.values.period(p.period, p.precision);
      this.periods.set(rawPeriod, period);
    }
    return period;
  }

  row({ fields, line }: CsvRecord): void {
    const { problems } = this.ctx;
    if (fields.length !== this.width) {
      problems.error(line, null, raggedReason(fields.length, this.width));
      return;
    }
    let ok = true;
    const entity = (fields[this.iEntity] ?? '').trim();
    const code = this.iCode < 0 ? '' : (fields[this.iCode] ?? '').trim();
    const last = this.last;
    let who = last !== null && last.entity === entity && last.code === code ? last : null;
    if (!who) {
      who = this.entityOf(entity, code, line);
      if (who) this.last = who;
      else ok = false;
    }
    const period = this.periodOf(fields[this.iPeriod] ?? '');
    if (typeof period === 'string') {
      problems.error(line, this.column(this.iPeriod), period);
      ok = false;
    }
    const value = this.ctx.parseNumber(fields[this.iValue] ?? '');
    if (value === null) {
      problems.error(
        line,
        this.column(this.iValue),
        'the value is empty; every row of a tidy file needs one',
      );
      ok = false;
    } else if (typeof value !== 'number') {
      problems.error(line, this.column(this.iValue), value.error);
      ok = false;
    }
    const low = this.optionalNumber(fields, this.iLow, line);
    const high = this.optionalNumber(fields, this.iHigh, line);
    if (low === false || high === false) ok = false;
    if (typeof low === 'number' && typeof high === 'number' && low > high) {
      problems.error(line, this.column(this.iLow), `low (${low}) is greater than high (${high})`);
      ok = false;
    }
    if (!ok || !who || typeof period !== 'number' || typeof value !== 'number') return;
    if (low === false || high === false) return;
    this.add(fields, line, who, period, value, low, high);
  }

  private add(
    fields: string[],
    line: number,
    who: Who,
    period: number,
    value: number,
    low: number | undefined,
    high: number | undefined,
  ): void {
    const { problems, values } = this.ctx;
    const first = this.seen.firstOrSet(who.key, period, line);
    if (first >= 0) {
      const e = values.entityList[who.index]!;
      problems.error(
        line,
        this.column(this.iPeriod),
        `duplicate: ${showCell(e.name ?? e.code ?? '')} already has a value for ${values.periodList[period]} on row ${first}`,
      );
      return;
    }
    if ((low !== undefined && value < low) || (high !== undefined && value > high)) {
      problems.warning(
        line,
        this.column(this.iValue),
        `the value ${value} lies outside its low–high range`,
      );
    }
    const i = values.add(line, this.valueColumn, who.index, period, value);
    if (low !== undefined) values.setLow(i, low);
    if (high !== undefined) values.setHigh(i, high);
    const unit = this.iUnit < 0 ? '' : (fields[this.iUnit] ?? '').trim();
    if (unit !== '') values.setUnit(i, unit);
    const note = this.iNote < 0 ? '' : (fields[this.iNote] ?? '').trim();
    if (note !== '') values.setNote(i, note);
  }
}
