// What an import reports to the user (the preview table, the API's JSON, the CLI's
// lines): what it read, what it would add or change per entity, and every problem.
import {
  FORMAT_LABELS,
  type FileFormat,
  type FileInfo,
  type ParsedValue,
  type ParseProblem,
} from '../formats';
import { ValueTable } from '../formats/value-table';
import type { ImportMeta } from '../schemas';

export type Problem = ParseProblem;

export type ImportValues = {
  /** A parsed file's table, or values as objects (JSON bodies, the form). */
  values: ValueTable | ParsedValue[];
  /** From the file parser, when the values came from a file. */
  parse?: {
    format: FileFormat;
    detected: FileFormat | null;
    rowsRead: number;
    problems: ParseProblem[];
    missing: number;
    /** Rows the parser left out as asked: outside the filters, repeats of skipped entities. */
    skippedRows?: number;
    /** How the file was read (encoding, delimiter, numbers, sheet, column mapping). */
    file?: FileInfo;
  };
  /** One of several series read from one file (a value column or measure): labels name it. */
  series?: string;
};

export type EntityPlan = {
  code: string;
  name: string;
  isNew: boolean;
  seriesId: number | null;
  seriesLabel: string;
  values: number;
  added: number;
  changed: number;
  unchanged: number;
  /**
   * An earlier vintage's series for the same indicator and entity (lib/import/vintages.ts):
   * `added` when the values go to it, `separate` when the request kept them apart.
   */
  vintage?: { seriesId: number; label: string; sourceTitle: string; added: boolean };
};

export type ValueChange = {
  entity: string;
  period: string;
  row: number;
  old: number;
  new: number;
  revision: number;
};

export type ImportReport = {
  ok: boolean;
  dryRun: boolean;
  committed: boolean;
  message: string;
  format: FileFormat | null;
  formatLabel: string | null;
  detected: FileFormat | null;
  rowsRead: number;
  valuesRead: number;
  indicator: {
    slug: string;
    title: string;
    unitLong: string;
    unitShort: string;
    decimals: number;
    isNew: boolean;
  } | null;
  unit: { declared: string; factor: number } | null;
  source: { title: string; producer: string; isNew: boolean };
  entities: EntityPlan[];
  unknownEntities: { code: string; name: string; row: number }[];
  counts: { added: number; changed: number; unchanged: number; skipped: number };
  changes: ValueChange[];
  changesTotal: number;
  errors: Problem[];
  warnings: Problem[];
  /** How the file was read, for file imports: encoding, delimiter, sheet, column mapping. */
  file: FileInfo | null;
  /** The saved recipe the request named (`meta.recipe`), applied before the file was read. */
  recipe?: { id: number; name: string; sourceId: number };
  /** The recipe this import was saved as (`meta.saveRecipe`), once committed. */
  savedRecipe?: { id: number; name: string; sourceId: number };
};

export function emptyReport(meta: ImportMeta, input: ImportValues, dryRun: boolean): ImportReport {
  const p = input.parse;
  // A table a command-line import released as it wrote still counts every value read.
  const count = input.values instanceof ValueTable ? input.values.total : input.values.length;
  return {
    ok: false,
    dryRun,
    committed: false,
    message: '',
    format: p?.format ?? null,
    formatLabel: p ? FORMAT_LABELS[p.format] : null,
    detected: p?.detected ?? null,
    rowsRead: p?.rowsRead ?? count,
    valuesRead: count,
    indicator: null,
    unit: null,
    source: { title: meta.source.title, producer: meta.source.producer, isNew: true },
    entities: [],
    unknownEntities: [],
    counts: { added: 0, changed: 0, unchanged: 0, skipped: 0 },
    changes: [],
    changesTotal: 0,
    errors: p ? p.problems.filter((x) => x.severity === 'error') : [],
    warnings: p ? p.problems.filter((x) => x.severity === 'warning') : [],
    file: p?.file ?? null,
  };
}

/** The one-line outcome shown above the preview table and printed by the CLI. */
export function summarize(r: ImportReport): string {
  if (!r.ok) {
    const n = r.errors.length;
    return `Nothing was saved: ${n} problem${n === 1 ? '' : 's'} to fix first.`;
  }
  const { added, changed, unchanged } = r.counts;
  const series = r.entities.length;
  if (added === 0 && changed === 0) {
    return `Nothing to change: all ${unchanged.toLocaleString('en-US')} values are already stored.`;
  }
  const parts = [`${added.toLocaleString('en-US')} new value${added === 1 ? '' : 's'}`];
  if (changed) parts.push(`${changed.toLocaleString('en-US')} revised (old revisions kept)`);
  if (unchanged) parts.push(`${unchanged.toLocaleString('en-US')} unchanged`);
  const where = `in ${series} series`;
  return r.committed
    ? `Saved ${parts.join(', ')} ${where}.`
    : `Ready to save ${parts.join(', ')} ${where}.`;
}

/** The values as a table, whichever way they came. */
export function valueTable(values: ImportValues['values']): ValueTable {
  return values instanceof ValueTable ? values : ValueTable.from(values);
}
