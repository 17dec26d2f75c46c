import { handleJsonWrite } from '@/lib/claim-routes';
import { documentInputSchema } from '@/lib/claim-schemas';
import { createDocument } from '@/lib/document-writes';

/** POST a document with its text or excerpt (editor token); claims are then quoted from it. */
export async function POST(request: Request) {
  return handleJsonWrite(request, documentInputSchema, (db, input) => {
    const doc = createDocument(db, input);
    return {
      status: 201,
      body: { source: { id: doc.id, contentSha256: doc.contentSha256, url: `/sources/${doc.id}` } },
      paths: [],
    };
  });
}
