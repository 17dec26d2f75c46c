// The writes the server hands to its write worker (lib/write/write-queue.ts), and the
// function that carries one out on a writer connection. Plain data in and out, so a
// job crosses a thread boundary unchanged; the same function runs in-process for the
// command line and tests.
import type { WriterDb } from '../db';
import {
  commitImport,
  previewImport,
  type ImportReport,
  type ImportValues,
} from '../import/import-data';
import { setArchived } from '../import/series-writes';
import { valuesFromFile } from '../import/sources';
import type { ImportMeta } from '../schemas';
import { DatabaseBusyError } from '../writer';

export type WriteJob =
  | {
      type: 'import';
      meta: ImportMeta;
      /** A file's bytes (parsed where the job runs) or values already parsed. */
      file?: Uint8Array;
      values?: ImportValues;
      dryRun: boolean;
      /** A file for one series: rows of other entities are refused, not dropped. */
      onlyEntity?: string;
    }
  | { type: 'archive'; seriesId: number; archived: boolean };

export type WriteOutcome =
  | { ok: true; report: ImportReport }
  | { ok: true; archivedAt: string | null }
  | { ok: false; kind: 'busy' | 'failed'; message: string };

const FOREIGN_ROWS_LISTED = 20;

function importValues(job: Extract<WriteJob, { type: 'import' }>): ImportValues {
  if (!job.file) return job.values ?? { values: [] };
  const values = valuesFromFile(job.file, job.meta);
  if (job.onlyEntity) {
    const foreign = values.values.filter((v) => v.entityCode && v.entityCode !== job.onlyEntity);
    for (const v of foreign.slice(0, FOREIGN_ROWS_LISTED)) {
      values.parse?.problems.push({
        row: v.row,
        column: 'code',
        reason: `this series is for ${job.onlyEntity}, not ${v.entityCode}`,
        severity: 'error',
      });
    }
  }
  return values;
}

export function runWriteJob(db: WriterDb, job: WriteJob): WriteOutcome {
  try {
    if (job.type === 'archive') {
      return { ok: true, archivedAt: setArchived(db, job.seriesId, job.archived) };
    }
    const values = importValues(job);
    const report = job.dryRun
      ? previewImport(db, job.meta, values)
      : commitImport(db, job.meta, values);
    return { ok: true, report };
  } catch (error) {
    if (error instanceof DatabaseBusyError)
      return { ok: false, kind: 'busy', message: error.message };
    console.error(error);
    return { ok: false, kind: 'failed', message: 'The write failed; nothing was saved.' };
  }
}
