import type { CsvRecord } from './csv-records';
import { headerKey } from './detect';
import type { NumberResult } from './number';
import type { ProblemSink } from './problems';
import type { ParseMeta } from './types';
import type { ValueTable } from './value-table';

/** What every format reader writes into. */
export interface ReaderContext {
  problems: ProblemSink;
  values: ValueTable;
  meta: ParseMeta;
  minYear: number;
  maxYear: number;
  valueColumn: string | undefined;
  /** Parses a numeric cell in the file's number format. */
  parseNumber: (raw: string) => NumberResult;
}

/** Receives the data records after the header, in file order. */
export interface RowReader {
  /** Returning false stops reading (e.g. at a footnote block below the data). */
  row(record: CsvRecord): void | false;
  finish(): void;
}

// Compiled once: checked on every row of tidy and OWID files.
const ALPHA3 = /^[A-Z]{3}$/;

export function isAlpha3(code: string): boolean {
  return ALPHA3.test(code);
}

export function raggedReason(got: number, expected: number): string {
  return `this row has ${got} ${got === 1 ? 'field' : 'fields'} but the header has ${expected}`;
}

/**
 * Reports header names used twice (ignoring case and surrounding spaces): a value could not be
 * attributed to one of them. Returns true when there were none.
 */
export function checkDuplicateHeaders(
  names: readonly string[],
  line: number,
  problems: ProblemSink,
): boolean {
  const firstIndex = new Map<string, number>();
  let ok = true;
  names.forEach((name, i) => {
    const key = headerKey(name);
    if (key === '') return;
    const first = firstIndex.get(key);
    if (first === undefined) {
      firstIndex.set(key, i);
      return;
    }
    ok = false;
    problems.error(
      line,
      name,
      `the header names this column twice (columns ${first + 1} and ${i + 1})`,
    );
  });
  return ok;
}

export function listNames(names: readonly string[]): string {
  return names.map((name) => JSON.stringify(name)).join(', ');
}

/** The candidate column named `wanted` (exactly, else loosely), or -1. */
export function findValueColumn(
  wanted: string,
  names: readonly string[],
  candidates: readonly number[],
): number {
  const exact = candidates.find((i) => names[i] === wanted);
  if (exact !== undefined) return exact;
  const loose = candidates.find((i) => headerKey(names[i] ?? '') === headerKey(wanted));
  return loose ?? -1;
}

/**
 * Resolves the caller's valueColumn option against the candidate columns: exact name first, then
 * ignoring case and surrounding spaces. Reports an error naming `available` and returns -1 when
 * it names none.
 */
export function pickValueColumn(
  wanted: string,
  names: readonly string[],
  candidates: readonly number[],
  available: readonly string[],
  line: number,
  problems: ProblemSink,
): number {
  const found = findValueColumn(wanted, names, candidates);
  if (found >= 0) return found;
  problems.error(
    line,
    wanted,
    `the requested value column is not in the file; value columns: ${available.length > 0 ? listNames(available) : 'none'}`,
  );
  return -1;
}
