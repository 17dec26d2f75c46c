// Previews and commits a file read as several series (value columns, or the measures of a series
// column) as one import: all of them are saved in one transaction or none is, and the report
// adds them up.
import type { Store } from '../store/types';
import {
  BatchRejected,
  commitImport,
  commitImports,
  previewImport,
  summarize,
  type ImportReport,
} from './import-data';
import type { FileImport } from './sources';

const MAX_LISTED_CHANGES = 500;

/** One report for several imports of the same file. */
export function mergeReports(reports: ImportReport[]): ImportReport {
  const [first, ...rest] = reports;
  if (!first) throw new Error('no report to merge');
  if (rest.length === 0) return first;
  const merged: ImportReport = {
    ...first,
    ok: reports.every((r) => r.ok),
    committed: reports.every((r) => r.committed),
    valuesRead: reports.reduce((n, r) => n + r.valuesRead, 0),
    entities: reports.flatMap((r) => r.entities),
    unknownEntities: [
      ...new Map(reports.flatMap((r) => r.unknownEntities).map((e) => [e.code, e])).values(),
    ],
    counts: {
      added: reports.reduce((n, r) => n + r.counts.added, 0),
      changed: reports.reduce((n, r) => n + r.counts.changed, 0),
      unchanged: reports.reduce((n, r) => n + r.counts.unchanged, 0),
      skipped: reports.reduce((n, r) => n + r.counts.skipped, 0),
    },
    changes: reports.flatMap((r) => r.changes).slice(0, MAX_LISTED_CHANGES),
    changesTotal: reports.reduce((n, r) => n + r.changesTotal, 0),
    // Checks on the whole request (unit, indicator) come once per import: keep one of each.
    errors: dedupe(reports.flatMap((r) => r.errors)),
    warnings: dedupe(reports.flatMap((r) => r.warnings)),
  };
  merged.message = summarize(merged);
  return merged;
}

function dedupe<T extends { row: number | null; column: string | null; reason: string }>(
  list: T[],
): T[] {
  const seen = new Set<string>();
  return list.filter((p) => {
    const key = `${p.row}\u0000${p.column}\u0000${p.reason}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export async function previewFileImport(db: Store, file: FileImport): Promise<ImportReport> {
  const reports: ImportReport[] = [];
  for (const item of file.items) reports.push(await previewImport(db, item.meta, item.input));
  return mergeReports(reports);
}

export async function commitFileImport(
  db: Store,
  file: FileImport,
  now = new Date(),
): Promise<ImportReport> {
  const [only] = file.items;
  if (only && file.items.length === 1) return commitImport(db, only.meta, only.input, now);
  try {
    return mergeReports(await commitImports(db, file.items, now));
  } catch (error) {
    if (!(error instanceof BatchRejected)) throw error;
    const report = mergeReports(error.reports);
    report.committed = false;
    report.ok = false;
    report.message = summarize(report);
    return report;
  }
}
