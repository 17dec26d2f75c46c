// The JSON write routes of documents, claims and derivations: editor token, a bounded
// JSON body, one zod schema, one write, and a 4xx that names field and reason for
// anything the caller can fix (nothing is written then).
import 'server-only';
import { revalidatePath } from 'next/cache';
import type { z } from 'zod';
import { authErrorResponse, authorizeRequest } from './auth';
import {
  errorResponse,
  parseJson,
  readBody,
  validationResponse,
  writeFailureResponse,
} from './api';
import { getWriter, type WriterDb } from './db';
import { WriteRefused } from './document-writes';

const MAX_BODY_BYTES = 2 * 1024 * 1024;

export type WriteOutcome = {
  status: 200 | 201;
  body: unknown;
  /** Pages whose content the write changes. */
  paths: string[];
};

/** Pages that show claims; a write that changes a claim or its outcome revalidates them. */
export function claimPaths(...indicators: string[]): string[] {
  return ['/', '/claims', ...indicators.map((slug) => `/indicators/${slug}`)];
}

export async function handleJsonWrite<S extends z.ZodType>(
  request: Request,
  schema: S,
  write: (db: WriterDb, input: z.infer<S>) => WriteOutcome,
): Promise<Response> {
  const auth = authorizeRequest(request, { contentTypes: ['application/json'] });
  if (!auth.ok) return authErrorResponse(auth);
  try {
    const json = parseJson(await readBody(request, MAX_BODY_BYTES));
    if (!json.ok) return json.response;
    const parsed = schema.safeParse(json.json);
    if (!parsed.success) return validationResponse(parsed.error);
    const outcome = write(getWriter(), parsed.data);
    for (const p of outcome.paths) revalidatePath(p);
    return Response.json(outcome.body, { status: outcome.status });
  } catch (error) {
    if (error instanceof WriteRefused)
      return errorResponse(error.status, 'The request was refused; nothing was saved.', {
        errors: error.errors,
      });
    return writeFailureResponse(error);
  }
}
