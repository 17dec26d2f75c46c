import type { CsvRecord } from './csv-records';
import { headerKey, WORLD_BANK_ID_COLUMNS } from './detect';
import { parsePeriod } from './period';
import { checkDuplicateHeaders, listNames, type ReaderContext, type RowReader } from './reader';
import { showCell } from './show';
import { WORLD_BANK_AGGREGATE_CODES } from './world-bank-aggregates';

const COUNTRY_CODE = /^[A-Z0-9]{3}$/;

/** Reads the preamble's "key","value" lines into meta; unknown keys are ignored. */
function readPreamble(preamble: readonly CsvRecord[], ctx: ReaderContext): void {
  for (const { fields } of preamble) {
    const key = headerKey(fields[0] ?? '');
    const value = (fields[1] ?? '').trim();
    if (key === 'last updated date' && value !== '') ctx.meta.lastUpdated = value;
  }
}

/**
 * `header` is null when no World Bank header was found among the first records. Returns null
 * (after reporting why) when the file cannot be read as a World Bank download.
 */
export function createWorldBankReader(
  preamble: readonly CsvRecord[],
  header: CsvRecord | null,
  ctx: ReaderContext,
): RowReader | null {
  const { problems, values, meta } = ctx;
  if (header === null) {
    problems.error(
      preamble[0]?.line ?? null,
      null,
      `missing required columns ${listNames(WORLD_BANK_ID_COLUMNS)}; a World Bank file has them first, then one column per year`,
    );
    return null;
  }
  readPreamble(preamble, ctx);

  const names = header.fields.map((name) => name.trim());
  // Every line of the download ends with a comma, which makes one unnamed empty column.
  const width =
    names.length > 4 && names[names.length - 1] === '' ? names.length - 1 : names.length;
  let headerOk = checkDuplicateHeaders(names, header.line, problems);
  const yearIndex: number[] = [];
  const yearPeriod: string[] = [];
  const yearColumn: string[] = [];
  for (let i = WORLD_BANK_ID_COLUMNS.length; i < width; i++) {
    const name = names[i] ?? '';
    if (name === '') {
      problems.error(
        header.line,
        null,
        `column ${i + 1} has no name; expected a year such as 1960`,
      );
      headerOk = false;
      continue;
    }
    const period = parsePeriod(name, ctx.minYear, ctx.maxYear);
    if ('error' in period || period.precision !== 'year') {
      problems.error(
        header.line,
        name,
        'error' in period ? period.error : 'expected a year such as 1960 as the column name',
      );
      headerOk = false;
      continue;
    }
    yearIndex.push(i);
    yearPeriod.push(period.period);
    yearColumn.push(name);
  }
  if (!headerOk) return null;

  const [, codeColumn, , indicatorColumn] = WORLD_BANK_ID_COLUMNS;
  // First row of each country code: the years are columns, so a repeated country is the only
  // way an (entity, year) pair can repeat, and one check per row replaces one per value.
  const seen = new Map<string, number>();
  let indicatorRow = 0;
  const years = yearIndex.length;

  return {
    row({ fields, line }) {
      const count = fields.length;
      // The trailing comma may be present or not, but nothing else may differ.
      if (count !== width && !(count === width + 1 && (fields[width] ?? '').trim() === '')) {
        problems.error(
          line,
          null,
          `this row has ${count} fields but the header has ${width} (not counting the empty one after the trailing comma)`,
        );
        return;
      }
      const code = (fields[1] ?? '').trim().toUpperCase();
      if (code === '') {
        problems.error(line, codeColumn, 'the country code is empty');
        return;
      }
      if (!COUNTRY_CODE.test(code)) {
        problems.error(line, codeColumn, `${showCell(code)} is not a three-letter country code`);
        return;
      }
      const first = seen.get(code);
      if (first !== undefined) {
        problems.error(line, codeColumn, `duplicate: ${code} already appeared on row ${first}`);
        return;
      }
      seen.set(code, line);
      const indicatorCode = (fields[3] ?? '').trim();
      if (meta.indicatorCode === undefined) {
        meta.indicatorCode = indicatorCode;
        meta.indicatorName = (fields[2] ?? '').trim();
        indicatorRow = line;
      } else if (indicatorCode !== meta.indicatorCode) {
        problems.error(
          line,
          indicatorColumn,
          `${showCell(indicatorCode)} differs from ${showCell(meta.indicatorCode)} on row ${indicatorRow}; a file must hold one indicator`,
        );
        return;
      }

      const name = (fields[0] ?? '').trim();
      const entityName = name === '' ? null : name;
      const isAggregate = WORLD_BANK_AGGREGATE_CODES.has(code);
      for (let y = 0; y < years; y++) {
        const raw = fields[yearIndex[y] ?? 0] ?? '';
        // Most cells are plain numbers; parseNumber also handles the empty ones.
        const value = ctx.parseNumber(raw);
        if (value === null) {
          meta.missing += 1;
        } else if (typeof value === 'number') {
          values.push({
            row: line,
            column: yearColumn[y] ?? '',
            entityCode: code,
            entityName,
            isAggregate,
            period: yearPeriod[y] ?? '',
            precision: 'year',
            value,
          });
        } else {
          problems.error(line, yearColumn[y] ?? '', value.error);
        }
      }
    },
    finish() {},
  };
}
