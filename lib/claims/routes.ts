// The JSON write routes of documents, claims and derivations: the shared write-route
// wrapper (editor token, bounded body, failures as JSON), one zod schema, one job on the
// write worker, and a 4xx that names field and reason for anything the caller can fix
// (nothing is written then).
import 'server-only';
import { revalidatePath } from 'next/cache';
import type { z } from 'zod';
import { parseJson, validationResponse, writeRoute } from '../api/routes';
import type { ClaimWriteResult, WriteJob } from '../write/write-job';
import { write } from '../write/write-queue';

const MAX_BODY_BYTES = 2 * 1024 * 1024;

type ClaimJob = Extract<WriteJob, { type: 'document' | 'claim' | 'derivation' }>;

/** Runs a document, claim or derivation write on the write worker; a refusal throws RequestFailure (lib/api/errors.ts). */
export async function runClaimWrite<T extends ClaimWriteResult>(job: ClaimJob): Promise<T> {
  const outcome = await write<{ ok: true; result: ClaimWriteResult }>(job);
  return outcome.result as T;
}

/** Pages that show claims; a write that changes a claim or its outcome revalidates them. */
export function claimPaths(...indicators: string[]): string[] {
  return ['/', '/claims', ...indicators.map((slug) => `/indicators/${slug}`)];
}

export function jsonWriteRoute<S extends z.ZodType>(
  schema: S,
  handle: (input: z.infer<S>) => Promise<{ status: 200 | 201; body: unknown; paths: string[] }>,
) {
  return writeRoute(
    { contentTypes: ['application/json'], limit: MAX_BODY_BYTES },
    async ({ body }) => {
      const json = parseJson(body);
      if (!json.ok) return json.response;
      const parsed = schema.safeParse(json.json);
      if (!parsed.success) return validationResponse(parsed.error);
      // A refusal (400/404/409 naming the field) is answered by writeRoute's table.
      const outcome = await handle(parsed.data);
      for (const p of outcome.paths) revalidatePath(p);
      return Response.json(outcome.body, { status: outcome.status });
    },
  );
}
