import { errorResponse } from '@/lib/api/routes';
import { parseId } from '@/lib/domain/ids';
import { getSourceJson } from '@/lib/documents/read';
import { listRecipeOptions } from '@/lib/import/recipe-options';

type Params = { params: Promise<{ id: string }> };

/** GET a source: the document, its citation, and its quotes with their offsets. */
export async function GET(_request: Request, { params }: Params) {
  const { id } = await params;
  const sourceId = parseId(id);
  const source = sourceId === null ? null : await getSourceJson(sourceId);
  if (!source) return errorResponse(404, `No source with id ${id}`);
  // How this source's files are read (lib/import/recipes.ts); the source itself is above.
  const recipes = (await listRecipeOptions(sourceId!)).map(({ source: _s, ...r }) => r);
  return Response.json({ ...source, recipes });
}
