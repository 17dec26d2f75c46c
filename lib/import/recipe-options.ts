// The saved recipes the Add data page offers and a source's page lists, with the source each
// belongs to (a recipe fills the form's provenance with it). Prisma reads, like the form's
// other small reads (lib/read/catalog.ts).
import 'server-only';
import { getDb, type PrismaClient } from '../db/client';
import type { Recipe } from './recipes';

export type RecipeOption = {
  id: number;
  name: string;
  sourceId: number;
  updatedAt: string;
  recipe: Recipe;
  source: {
    title: string;
    producer: string;
    url: string | null;
    citation: string | null;
    license: string | null;
  };
};

/** Every recipe (or one source's), by publisher, source and name. */
export async function listRecipeOptions(
  sourceId?: number,
  db: PrismaClient = getDb(),
): Promise<RecipeOption[]> {
  const rows = await db.importRecipe.findMany({
    where: sourceId === undefined ? {} : { sourceId },
    include: { source: true },
    orderBy: [{ source: { publisher: 'asc' } }, { source: { title: 'asc' } }, { name: 'asc' }],
  });
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    sourceId: r.sourceId,
    updatedAt: r.updatedAt.toISOString(),
    recipe: JSON.parse(r.recipe) as Recipe,
    source: {
      title: r.source.title,
      producer: r.source.publisher,
      url: r.source.url,
      citation: r.source.citation,
      license: r.source.license,
    },
  }));
}
