// The text an import keeps from a file's cells (entity names and codes, units, notes,
// series and the headers of value columns) must be text both stores keep alike: no NUL
// (PostgreSQL refuses it, SQLite stores it) and no lone surrogate (not Unicode). Such a
// cell is an error of its row, in a preview as in a commit, on either store, and nothing
// is written. Cells the import does not read (unmapped columns, their headers) are never
// stored or shown, so a NUL there is ignored on both stores alike: refusing a file for a
// column nobody imports would only get in the way.
import { textProblem } from '../domain/text';
import type { ParseProblem } from './types';
import type { ValueTable } from './value-table';

type Check = { what: string; column: string | null; text: (i: number) => string | undefined };

/**
 * One error per kind of cell that holds text no store can keep alike, at the first row that
 * holds it. The file's distinct texts are checked first (a million rows share a few of them),
 * so a clean file costs no pass over its rows.
 */
export function unstorableCells(values: ValueTable): ParseProblem[] {
  const entityBad = values.entityList.some(
    (e) => (e.name !== null && textProblem(e.name)) || (e.code !== null && textProblem(e.code)),
  );
  if (!entityBad && !values.strings.some((s) => textProblem(s) !== null)) return [];
  const checks: Check[] = [
    {
      what: 'the entity name',
      column: 'entity',
      text: (i) => values.entityOf(i).name ?? undefined,
    },
    { what: 'the entity code', column: 'code', text: (i) => values.entityOf(i).code ?? undefined },
    { what: 'the unit', column: 'unit', text: (i) => values.unit(i) },
    { what: 'the note', column: 'note', text: (i) => values.note(i) },
    { what: 'the series', column: 'series', text: (i) => values.series(i) },
    // A value column's header names its series (DataBank series, panel columns).
    { what: "the value column's header", column: null, text: (i) => values.columnOf(i) },
  ];
  // Rows share their texts: each distinct one is checked once.
  const memo = new Map<string, string | null>();
  const problemOf = (text: string) => {
    let problem = memo.get(text);
    if (problem === undefined) memo.set(text, (problem = textProblem(text)));
    return problem;
  };
  const problems: ParseProblem[] = [];
  for (const check of checks) {
    const at = firstUnstorable(values, check, problemOf);
    if (at) problems.push(at);
  }
  return problems;
}

function firstUnstorable(
  values: ValueTable,
  check: Check,
  problemOf: (text: string) => string | null,
): ParseProblem | null {
  for (let i = 0; i < values.length; i++) {
    const text = check.text(i);
    const problem = text === undefined ? null : problemOf(text);
    if (problem === null) continue;
    return {
      row: values.row(i),
      column: check.column,
      reason: `${check.what} ${problem}, which cannot be stored: remove it from the file`,
      severity: 'error',
    };
  }
  return null;
}
