import { errorResponse, parseJson, validationResponse, writeRoute } from '@/lib/api/routes';
import { extractInputSchema } from '@/lib/claims/schemas';
import { extractionJson, extractOptions } from '@/lib/claims/proposals';
import { extractOffThread } from '@/lib/claims/extract-thread';
import { getDocument } from '@/lib/documents/read';
import { listIndicatorOptions } from '@/lib/read/catalog';

// A million characters of text, each escaped as JSON at worst into six bytes.
const MAX_BODY_BYTES = 6 * 1024 * 1024 + 1024;

/**
 * POST `{ text, documentDate? }` or `{ documentId }` (editor token): the quantities of the
 * text and the claims proposed from them, matched to the stored indicators. Nothing is
 * written; offsets are code points, as stored quotes' are.
 */
export const POST = writeRoute(
  { contentTypes: ['application/json'], limit: MAX_BODY_BYTES },
  async ({ body }) => {
    const json = parseJson(body);
    if (!json.ok) return json.response;
    const parsed = extractInputSchema.safeParse(json.json);
    if (!parsed.success) return validationResponse(parsed.error);
    const input = parsed.data;
    let text = input.text;
    let documentDate = input.documentDate;
    if (input.documentId !== undefined) {
      const doc = await getDocument(input.documentId);
      if (!doc) return errorResponse(404, `No source with id ${input.documentId}`);
      if (doc.text === null)
        return errorResponse(400, 'The request is not valid', {
          errors: [{ path: 'documentId', message: 'this source stores no text to read' }],
        });
      text = doc.text;
      documentDate ??= doc.publishedOn ?? undefined;
    }
    const indicators = await listIndicatorOptions();
    const extraction = await extractOffThread(text!, extractOptions(documentDate, indicators));
    return Response.json({
      ...(input.documentId !== undefined ? { source: { id: input.documentId } } : {}),
      documentDate: documentDate ?? null,
      ...extractionJson(text!, extraction),
    });
  },
);
