import { errorResponse } from '@/lib/api/routes';
import { parseId } from '@/lib/domain/ids';
import { getSourceJson } from '@/lib/documents/read';

type Params = { params: Promise<{ id: string }> };

/** GET a source: the document, its citation, and its quotes with their offsets. */
export async function GET(_request: Request, { params }: Params) {
  const { id } = await params;
  const sourceId = parseId(id);
  const source = sourceId === null ? null : await getSourceJson(sourceId);
  if (!source) return errorResponse(404, `No source with id ${id}`);
  return Response.json(source);
}
