import path from 'node:path';
import type { ParseProblem, ParseResult } from '@/lib/formats';

/** shared/ sits beside the repository, both here and in CI's fresh clone. */
export const FIXTURES = path.resolve(__dirname, '../../../shared/fixtures');
export const WB_FIXTURE = path.join(FIXTURES, 'API_SP.POP.GROW_DS2_en_csv_v2_3404396.csv');
export const WB_METADATA = path.join(
  FIXTURES,
  'Metadata_Country_API_SP.POP.GROW_DS2_en_csv_v2_3404396.csv',
);

export const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);

export const errors = (result: ParseResult): ParseProblem[] =>
  result.problems.filter((problem) => problem.severity === 'error');

export const warnings = (result: ParseResult): ParseProblem[] =>
  result.problems.filter((problem) => problem.severity === 'warning');

/** Joins lines with LF; tests that care about line endings build their text by hand. */
export const lines = (...rows: string[]): string => `${rows.join('\n')}\n`;
