import type { ParseProblem } from './types';

/** Per severity: enough to fix a file by, small enough that a broken 1M-row file stays cheap. */
export const MAX_PROBLEMS_PER_SEVERITY = 1000;

/** Collects problems, keeping the first MAX_PROBLEMS_PER_SEVERITY of each severity. */
export class ProblemSink {
  private readonly kept: ParseProblem[] = [];
  private errorCount = 0;
  private warningCount = 0;

  get errors(): number {
    return this.errorCount;
  }

  error(row: number | null, column: string | null, reason: string): void {
    this.errorCount += 1;
    if (this.errorCount <= MAX_PROBLEMS_PER_SEVERITY) {
      this.kept.push({ row, column, reason, severity: 'error' });
    }
  }

  warning(row: number | null, column: string | null, reason: string): void {
    this.warningCount += 1;
    if (this.warningCount <= MAX_PROBLEMS_PER_SEVERITY) {
      this.kept.push({ row, column, reason, severity: 'warning' });
    }
  }

  /** The kept problems, with one summary problem per severity that overflowed. */
  list(): ParseProblem[] {
    const out = this.kept.slice();
    const moreErrors = this.errorCount - MAX_PROBLEMS_PER_SEVERITY;
    if (moreErrors > 0) {
      out.push({
        row: null,
        column: null,
        reason: `…and ${moreErrors} more ${moreErrors === 1 ? 'error' : 'errors'}`,
        severity: 'error',
      });
    }
    const moreWarnings = this.warningCount - MAX_PROBLEMS_PER_SEVERITY;
    if (moreWarnings > 0) {
      out.push({
        row: null,
        column: null,
        reason: `…and ${moreWarnings} more ${moreWarnings === 1 ? 'warning' : 'warnings'}`,
        severity: 'warning',
      });
    }
    return out;
  }
}

/**
 * One line naming where and why, e.g. `row 7, column "value": "abc" is not a number`.
 * `reason` alone stays short so a table with row and column cells can show it as it is.
 */
export function formatProblem(problem: ParseProblem): string {
  const where: string[] = [];
  if (problem.row !== null) where.push(`row ${problem.row}`);
  if (problem.column !== null) where.push(`column ${JSON.stringify(problem.column)}`);
  return where.length > 0 ? `${where.join(', ')}: ${problem.reason}` : problem.reason;
}
