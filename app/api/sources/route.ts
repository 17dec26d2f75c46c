import { jsonWriteRoute, runClaimWrite } from '@/lib/claims/routes';
import { documentInputSchema } from '@/lib/claims/schemas';
import type { createDocument } from '@/lib/documents/writes';

/** POST a document with its text or excerpt (editor token); claims are then quoted from it. */
export const POST = jsonWriteRoute(documentInputSchema, async (input) => {
  const doc = await runClaimWrite<Awaited<ReturnType<typeof createDocument>>>({
    type: 'document',
    input,
  });
  return {
    status: 201,
    body: { source: { id: doc.id, contentSha256: doc.contentSha256, url: `/sources/${doc.id}` } },
    paths: [],
  };
});
