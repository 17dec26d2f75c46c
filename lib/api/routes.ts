// What every write route handler shares (writeRoute): editor auth, the size limit on
// bodies (route handlers have none built in), JSON error responses, and mapping write
// failures to statuses. Writes run on the write worker (lib/write/write-queue.ts).
import 'server-only';
import { revalidatePath } from 'next/cache';
import type { z } from 'zod';
import {
  authErrorResponse,
  authorizeRequest,
  CROSS_ORIGIN_ACTION,
  LOGIN_REQUIRED,
  type AuthorizeOptions,
  type EditorAuth,
} from '../web/auth';
import { fieldErrors } from '../schemas';
import { failure, failureOf, failureResponse } from './errors';
import type { ImportReport } from '../import/import-data';
import { maxUploadBytes } from '../import/sources';
import type { PreviewLine } from '../import/preview-lines';
import type { WriteJob } from '../write/write-job';
import type { UploadKind } from '../write/upload';
import { PayloadTooLargeError } from '../write/payload-too-large';
import { outcomeValue, submitUpload, write } from '../write/write-queue';

export { PayloadTooLargeError };

/** Reads a request body, refusing (413) as soon as it passes `limit` bytes. */
export async function readBody(request: Request, limit: number): Promise<Uint8Array> {
  const declared = Number(request.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > limit) throw new PayloadTooLargeError(limit);
  if (!request.body) return new Uint8Array();
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      throw new PayloadTooLargeError(limit);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

export function errorResponse(status: number, error: string, extra: Record<string, unknown> = {}) {
  return Response.json({ error, ...extra }, { status });
}

export function validationResponse(error: z.ZodError) {
  return failureResponse(failure.invalid(fieldErrors(error)));
}

/** 201 when something was written, 200 for a preview or a no-op, 400 for a rejected import. */
export function importResponse(report: ImportReport) {
  return Response.json(report, { status: importStatus(report) });
}

/**
 * Failures after validation, by the one table (lib/api/errors.ts): a busy database is
 * 503 with a retry hint, never "database is locked"; a full disk is 507, never a bare 500.
 */
export function writeFailureResponse(error: unknown) {
  return failureResponse(failureOf(error));
}

type ImportJob = Omit<Extract<WriteJob, { type: 'import' }>, 'type' | 'dryRun'>;

/** `?dryRun=1` previews; otherwise the import is committed (and pages revalidated). */
export async function previewOrCommit(request: Request, job: ImportJob) {
  const flag = new URL(request.url).searchParams.get('dryRun');
  const dryRun = flag === '1' || flag === 'true';
  const { report } = await write<{ ok: true; report: ImportReport }>(
    { type: 'import', ...job, dryRun },
    request.signal,
  );
  if (report.committed) revalidateAfterWrite(report.indicator?.slug);
  return importResponse(report);
}

/**
 * A multipart upload streamed to the write worker as it arrives: the worker reads the form
 * and parses the file, so the server's main thread never holds the upload. `?dryRun=1`
 * previews. The API's body has `file` and `meta` parts; the Add data form's (`kind: 'form'`)
 * has the form's fields and the file last, and its outcome carries the preview's lines.
 */
export async function streamUpload(request: Request, limit: number, kind: UploadKind = 'api') {
  const declared = Number(request.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > limit) throw new PayloadTooLargeError(limit);
  const flag = new URL(request.url).searchParams.get('dryRun');
  const dryRun = flag === '1' || flag === 'true';
  const outcome = await submitUpload(
    request.body,
    request.headers.get('content-type') ?? '',
    dryRun,
    limit,
    Number.isFinite(declared) && declared > 0 ? declared : 0,
    request.signal,
    kind,
  );
  const value = outcomeValue<{ ok: true; report: ImportReport; preview?: PreviewLine[] }>(outcome);
  if (value.report.committed) revalidateAfterWrite(value.report.indicator?.slug);
  return value;
}

/** The import route's upload (`file` and `meta` parts). Use with `writeRoute({ limit: null })`. */
export async function previewOrCommitUpload(request: Request, limit: number) {
  return importResponse((await streamUpload(request, limit)).report);
}

/** How an import went, as an HTTP status: 201 written, 200 previewed or no-op, 400 refused. */
export function importStatus(report: ImportReport): number {
  const wrote = report.committed && (report.counts.added > 0 || report.counts.changed > 0);
  return report.ok ? (wrote ? 201 : 200) : 400;
}

/** A refused session or origin in the words the forms' server actions use for it. */
function inFormWords(auth: Extract<EditorAuth, { ok: false }>): Extract<EditorAuth, { ok: false }> {
  if (auth.status === 401) return { ...auth, error: LOGIN_REQUIRED };
  if (auth.status === 403) return { ...auth, error: CROSS_ORIGIN_ACTION };
  return auth;
}

type RouteContext<P> = { params: Promise<P> };

/**
 * A write route: the editor's token or session (with the Origin and Content-Type
 * checks), the body read within `limit` bytes, and any failure answered as JSON with
 * its status (413, 503 with Retry-After, 500 without a stack trace to the client).
 */
export function writeRoute<P = Record<string, never>>(
  options: AuthorizeOptions & {
    limit?: number | null;
    /** A route a page's form posts to: refusals in the words its server actions use. */
    forForm?: boolean;
  },
  handler: (input: { request: Request; params: P; body: Uint8Array }) => Promise<Response>,
) {
  return async (request: Request, context: RouteContext<P>): Promise<Response> => {
    try {
      // Inside the try: a session is read from the database, which may be busy or away.
      const auth = await authorizeRequest(request, options);
      if (!auth.ok) return authErrorResponse(options.forForm ? inFormWords(auth) : auth);
      const limit = options.limit === undefined ? maxUploadBytes() : options.limit;
      const body = limit === null ? new Uint8Array() : await readBody(request, limit);
      return await handler({ request, params: await context.params, body });
    } catch (error) {
      return writeFailureResponse(error);
    }
  };
}

/** Parses a JSON body already read, or answers 400. */
export function parseJson(
  body: Uint8Array,
): { ok: true; json: unknown } | { ok: false; response: Response } {
  try {
    return { ok: true, json: JSON.parse(new TextDecoder().decode(body)) };
  } catch {
    return { ok: false, response: errorResponse(400, 'The body is not valid JSON') };
  }
}

/** Pages are rendered per request; this drops client-side router caches after a write. */
export function revalidateAfterWrite(slug?: string) {
  revalidatePath('/');
  if (slug) revalidatePath(`/indicators/${slug}`);
}
