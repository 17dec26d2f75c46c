import { errorResponse, parseJson, validationResponse, writeRoute } from '@/lib/api/routes';
import { runClaimWrite } from '@/lib/claims/routes';
import { documentInputSchema, MAX_DOCUMENT_CHARS } from '@/lib/claims/schemas';
import { MAX_DOCUMENT_FILE_BYTES, parseDocument } from '@/lib/documents/parse';
import type { createDocument } from '@/lib/documents/writes';

/** JSON fields, or a multipart form whose `file` part is read into the document's text. */
async function documentCandidate(
  request: Request,
  body: Uint8Array,
): Promise<{ ok: true; candidate: unknown } | { ok: false; response: Response }> {
  const type = request.headers.get('content-type') ?? '';
  if (!type.toLowerCase().startsWith('multipart/form-data')) {
    const json = parseJson(body);
    return json.ok ? { ok: true, candidate: json.json } : json;
  }
  let form: FormData;
  try {
    form = await new Response(Buffer.from(body), { headers: { 'content-type': type } }).formData();
  } catch {
    return { ok: false, response: errorResponse(400, 'The body is not a valid multipart form') };
  }
  const fields = Object.fromEntries(
    [...form.entries()].filter((e): e is [string, string] => typeof e[1] === 'string'),
  );
  const file = form.get('file');
  if (!(file instanceof File)) return { ok: true, candidate: fields };
  const parsed = await parseDocument(
    { name: file.name, type: file.type, bytes: new Uint8Array(await file.arrayBuffer()) },
    { maxChars: MAX_DOCUMENT_CHARS },
  );
  if (!parsed.ok)
    return {
      ok: false,
      response: errorResponse(400, 'The request is not valid', {
        errors: [{ path: 'file', message: parsed.error }],
      }),
    };
  return {
    ok: true,
    candidate: { title: parsed.title ?? undefined, ...fields, text: parsed.text },
  };
}

/**
 * POST a document (editor token): JSON with its text or excerpt, or a multipart form with
 * the same fields and a `file` (.txt, .html, .pdf, .docx) read into its text. Claims are
 * then quoted from it.
 */
export const POST = writeRoute(
  {
    contentTypes: ['application/json', 'multipart/form-data'],
    limit: MAX_DOCUMENT_FILE_BYTES + 64 * 1024,
  },
  async ({ request, body }) => {
    const c = await documentCandidate(request, body);
    if (!c.ok) return c.response;
    const parsed = documentInputSchema.safeParse(c.candidate);
    if (!parsed.success) return validationResponse(parsed.error);
    // A refusal (409 for a stored title, 400 naming a field) is answered by writeRoute's table.
    const doc = await runClaimWrite<Awaited<ReturnType<typeof createDocument>>>({
      type: 'document',
      input: parsed.data,
    });
    const url = `/sources/${doc.id}`;
    return Response.json(
      { source: { id: doc.id, contentSha256: doc.contentSha256, url, api: `/api${url}` } },
      { status: 201 },
    );
  },
);
