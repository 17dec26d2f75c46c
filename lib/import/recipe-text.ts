// A saved recipe in words, for the Add data page and the source's page (client and server).
import type { RecipeOption } from './recipe-options';

/** What a recipe does, in a line. */
export function describeRecipe(r: RecipeOption): string {
  const { recipe } = r;
  const parts = [
    recipe.indicator &&
      `into ${typeof recipe.indicator === 'string' ? recipe.indicator : recipe.indicator.slug}`,
    recipe.unit && `in ${recipe.unit}`,
    recipe.entity && `for ${recipe.entity}`,
    recipe.entities && `keeping ${recipe.entities.join(', ')}`,
    recipe.mapping?.filters?.length &&
      `filtered on ${recipe.mapping.filters.map((f) => `“${f.column}”`).join(', ')}`,
    recipe.mapping?.dates &&
      `dates ${recipe.mapping.dates === 'dmy' ? 'day first' : 'month first'}`,
    recipe.mapping?.encoding && `encoding ${recipe.mapping.encoding}`,
  ].filter(Boolean);
  return `Reads the file ${parts.join(', ')}; source “${r.source.title}” (${r.source.producer}).`;
}
