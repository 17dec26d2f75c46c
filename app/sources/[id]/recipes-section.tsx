import type { RecipeOption } from '@/lib/import/recipe-options';
import { describeRecipe } from '@/lib/import/recipe-text';

/** The source's saved import recipes: how its files are read, for next year's file. */
export function RecipesSection({ recipes, editor }: { recipes: RecipeOption[]; editor: boolean }) {
  if (recipes.length === 0) return null;
  return (
    <>
      <h2>Import recipes</h2>
      <ul data-testid="source-recipes">
        {recipes.map((r) => (
          <li key={r.id}>
            <strong>{r.name}</strong>{' '}
            <span className="meta">
              (recipe {r.id}, saved {r.updatedAt.slice(0, 10)})
            </span>
            : {describeRecipe(r)}
          </li>
        ))}
      </ul>
      {editor && (
        <p className="hint">
          Choose one on <a href="/data/new">Add data</a>, or send <code>meta.recipe</code> to{' '}
          <code>POST /api/imports</code> (<code>npm run import -- file --recipe &lt;name&gt;</code>
          ).
        </p>
      )}
    </>
  );
}
