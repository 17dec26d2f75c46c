import type { ParseProblem, ParseResult } from '@/lib/formats';

export { WB_FIXTURE, WB_METADATA } from '../support/fixtures';

export const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);

export const errors = (result: Pick<ParseResult, 'problems'>): ParseProblem[] =>
  result.problems.filter((problem) => problem.severity === 'error');

export const warnings = (result: Pick<ParseResult, 'problems'>): ParseProblem[] =>
  result.problems.filter((problem) => problem.severity === 'warning');

/** Joins lines with LF; tests that care about line endings build their text by hand. */
export const lines = (...rows: string[]): string => `${rows.join('\n')}\n`;
