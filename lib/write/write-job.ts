// The writes the server hands to its write worker (lib/write/write-queue.ts), and the
// function that carries one out on a store (lib/store: SQLite or PostgreSQL). Plain data in and out, so a
// job crosses a thread boundary unchanged; the same function runs in-process for the
// command line and tests.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Store } from '../store/types';
import { SqliteStore } from '../store/sqlite';
import { commitFileAsRead, writerThroughStore } from '../import/speculative/commit-file';
import { commitFileImport, previewFileImport } from '../import/file-import';
import type { ImportReport, ImportValues } from '../import/import-data';
import { valueTable } from '../import/report';
import { ValueTable } from '../formats/value-table';
import { setArchived } from '../import/series-writes';
import { importsFromFile, type FileImport } from '../import/sources';
import { scaleWarningsFor } from '../import/stored-values';
import type { FieldError, ImportMeta } from '../schemas';
import { DatabaseBusyError, DiskFullError } from '../db/errors';
import {
  readUpload,
  spillUpload,
  type Upload,
  type UploadKind,
  type UploadRefusal,
} from './upload';
import { previewLines, type PreviewLine } from '../import/preview-lines';
import type { ClaimInput, DerivationInput, DocumentInput } from '../claims/schemas';
import { createClaim, createDocument, WriteRefused } from '../documents/writes';
import { createDerivation } from '../derivations/writes';
import { saveImportRecipe, saveRecipeJob, type RecipeRow } from '../import/recipes';

export type WriteJob =
  | {
      type: 'import';
      meta: ImportMeta;
      /** A file's bytes (parsed where the job runs) or values already parsed. */
      file?: Uint8Array;
      values?: ImportValues;
      /** A file already parsed into one import per series (see importsFromFile). */
      imports?: FileImport;
      dryRun: boolean;
      /** A file for one series: rows of other entities are refused, not dropped. */
      onlyEntity?: string;
      /** The Add data form's: the outcome carries the preview chart's lines. */
      withPreview?: boolean;
    }
  | { type: 'archive'; seriesId: number; archived: boolean }
  /** Saves how a file was read as a recipe of its source (lib/import/recipes.ts). */
  | { type: 'recipe'; name: string; meta: ImportMeta }
  // Documents, quoted claims and derivations (issue 9: lib/documents/writes.ts, lib/derivations/writes.ts).
  | { type: 'document'; input: DocumentInput }
  | { type: 'claim'; input: ClaimInput }
  | { type: 'derivation'; input: DerivationInput };

export type ClaimWriteResult =
  | Awaited<ReturnType<typeof createDocument>>
  | Awaited<ReturnType<typeof createClaim>>
  | Awaited<ReturnType<typeof createDerivation>>;

export type WriteOutcome =
  /** `preview`: for the form, what a preview (or a refused save) draws beside the indicator. */
  | { ok: true; report: ImportReport; preview?: PreviewLine[] }
  | { ok: true; archivedAt: string | null }
  | { ok: true; result: ClaimWriteResult }
  | { ok: true; recipe: { id: number; name: string; sourceId: number } }
  | { ok: false; kind: 'busy' | 'disk-full' | 'failed'; message: string }
  /** Refused for a reason the caller can fix (WriteRefused); nothing was written. */
  | { ok: false; kind: 'refused'; status: 400 | 404 | 409; errors: FieldError[] }
  /** An upload whose form is not what the import route takes (lib/write/upload.ts). */
  | { ok: false; kind: 'invalid'; status: 400 | 413; error: string; errors?: FieldError[] };

const FOREIGN_ROWS_LISTED = 20;

function imports(job: Extract<WriteJob, { type: 'import' }>): FileImport {
  if (job.imports) {
    // A table that crossed to the worker thread arrives as plain data: give it its methods back.
    for (const item of job.imports.items) item.input.values = ValueTable.revive(item.input.values);
    return job.imports;
  }
  if (!job.file) return { items: [{ meta: job.meta, input: job.values ?? { values: [] } }] };
  const file = importsFromFile(job.file, job.meta);
  if (job.onlyEntity) {
    let listed = 0;
    for (const item of file.items) {
      const values = valueTable(item.input.values);
      for (let i = 0; i < values.length && listed < FOREIGN_ROWS_LISTED; i++) {
        const code = values.entityOf(i).code;
        if (!code || code === job.onlyEntity) continue;
        listed++;
        file.items[0]?.input.parse?.problems.push({
          row: values.rows[i]!,
          column: 'code',
          reason: `this series is for ${job.onlyEntity}, not ${code}`,
          severity: 'error',
        });
      }
    }
  }
  return file;
}

/**
 * The import route's upload: its multipart body read as it streams in (`body`), then the
 * import previewed or committed like any other.
 */
export async function runUploadJob(
  db: Store,
  body: AsyncIterable<Uint8Array>,
  contentType: string,
  dryRun: boolean,
  sizeHint = 0,
  signal?: AbortSignal,
  kind: UploadKind = 'api',
): Promise<WriteOutcome> {
  // The form's commit previews what it refuses, from the values held: it reads them whole.
  if (!dryRun && kind === 'api') return commitSpilledUpload(db, body, contentType, signal);
  let upload: Upload;
  try {
    upload = await readUpload(body, contentType, sizeHint, signal, db, kind);
    if (signal?.aborted) return ABANDONED;
  } catch (error) {
    console.error(error);
    return { ok: false, kind: 'failed', message: 'The write failed; nothing was saved.' };
  }
  if (!upload.ok) return invalidUpload(upload);
  const job = {
    type: 'import',
    meta: upload.meta,
    imports: upload.imports,
    dryRun,
    withPreview: kind === 'form',
  } as const;
  const outcome = await runWriteJob(db, job, signal);
  if (upload.recipe && outcome.ok && 'report' in outcome)
    outcome.report.recipe = recipeSummary(upload.recipe);
  return outcome;
}

function invalidUpload({ status, error, errors }: UploadRefusal): WriteOutcome {
  return errors
    ? { ok: false, kind: 'invalid', status, error, errors }
    : { ok: false, kind: 'invalid', status, error };
}

/**
 * An API upload to be saved, in flat memory: its file is written to disk as it arrives, then
 * committed as the command line commits a file, written while it is read
 * (lib/import/speculative/commit-file.ts). The report, the answers and all-or-nothing are
 * the same as when the values were held whole; the database is not held while the client
 * sends.
 */
async function commitSpilledUpload(
  db: Store,
  body: AsyncIterable<Uint8Array>,
  contentType: string,
  signal?: AbortSignal,
): Promise<WriteOutcome> {
  let dir: string | null = null;
  try {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sourced-upload-'));
    const file = path.join(dir, 'file');
    const upload = await spillUpload(body, contentType, file, signal, db, 'api');
    if (signal?.aborted) return ABANDONED;
    if (!upload.ok) return invalidUpload(upload);
    const report = await commitThroughWriter(db, file, upload.meta);
    await saveImportRecipe(db, upload.meta, report);
    if (upload.recipe) report.recipe = recipeSummary(upload.recipe);
    return { ok: true, report };
  } catch (error) {
    return failureOutcome(error);
  } finally {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The file committed by a writer on this thread that writes through `db`, so the store's other
 * writes wait in its queue. The plan reads the database as it was: on SQLite through a
 * connection of its own (the writer's holds the new rows), on PostgreSQL through the pool.
 */
async function commitThroughWriter(db: Store, file: string, meta: ImportMeta) {
  const planStore = db.provider === 'sqlite' ? new SqliteStore(db.url) : db;
  try {
    return await commitFileAsRead(db, file, meta, {
      url: db.url,
      connect: () => writerThroughStore(db),
      planStore,
      chunkBytes: 256 * 1024,
    });
  } finally {
    if (planStore !== db) await planStore.close();
  }
}

/** The outcome, with the preview's lines when the form asked and they are to be drawn. */
function withPreview(
  job: Extract<WriteJob, { type: 'import' }>,
  report: ImportReport,
  file: FileImport,
  drawn: boolean,
): WriteOutcome {
  if (!job.withPreview || !drawn) return { ok: true, report };
  return { ok: true, report, preview: previewLines(report, file) };
}

const recipeSummary = (r: RecipeRow) => ({ id: r.id, name: r.name, sourceId: r.sourceId });

/** A job whose client went away before it was written: nothing is. */
const ABANDONED: WriteOutcome = {
  ok: false,
  kind: 'failed',
  message: 'The request was abandoned by its client; nothing was saved.',
};

export async function runWriteJob(
  db: Store,
  job: WriteJob,
  signal?: AbortSignal,
): Promise<WriteOutcome> {
  try {
    if (signal?.aborted) return ABANDONED;
    if (job.type === 'archive') {
      return { ok: true, archivedAt: await setArchived(db, job.seriesId, job.archived) };
    }
    if (job.type === 'document') return { ok: true, result: await createDocument(db, job.input) };
    if (job.type === 'claim') return { ok: true, result: await createClaim(db, job.input) };
    if (job.type === 'derivation')
      return { ok: true, result: await createDerivation(db, job.input) };
    if (job.type === 'recipe') return { ok: true, recipe: await saveRecipeJob(db, job) };
    const file = imports(job);
    // The parse may have taken a while: a client gone by now gets nothing written.
    if (signal?.aborted) return ABANDONED;
    if (!job.dryRun) {
      const report = await commitFileImport(db, file);
      await saveImportRecipe(db, job.meta, report);
      // A save refused shows its values again, as its preview did.
      return withPreview(job, report, file, !report.ok);
    }
    const report = await previewFileImport(db, file);
    // Before Save: values a round factor away from what is stored for the same entity.
    report.warnings.push(...(await scaleWarningsFor(db, report, file)));
    return withPreview(job, report, file, true);
  } catch (error) {
    return failureOutcome(error);
  }
}

/** What a job that threw answers: the reasons a caller can act on, or "failed" (logged). */
function failureOutcome(error: unknown): WriteOutcome {
  if (error instanceof WriteRefused)
    return { ok: false, kind: 'refused', status: error.status, errors: error.errors };
  // Busy, or (PostgreSQL) unreachable: a 503 with the store's own message.
  if (error instanceof DatabaseBusyError)
    return { ok: false, kind: 'busy', message: error.message };
  if (error instanceof DiskFullError)
    return { ok: false, kind: 'disk-full', message: error.message };
  console.error(error);
  return { ok: false, kind: 'failed', message: 'The write failed; nothing was saved.' };
}
