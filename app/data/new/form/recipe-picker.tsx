'use client';

import type { RecipeOption } from '@/lib/import/recipe-options';
import { describeRecipe } from '@/lib/import/recipe-text';

type Props = {
  recipes: RecipeOption[];
  chosen: RecipeOption | null;
  onChoose: (recipe: RecipeOption | null) => void;
};

/**
 * A saved recipe fills the form as the last import of its file was filled (indicator, unit,
 * entity, provenance, the column mapping): next year's file then needs only Preview and Save.
 * Every field stays editable, and what is changed overrides the recipe.
 */
export function RecipePicker({ recipes, chosen, onChoose }: Props) {
  if (recipes.length === 0) return null;
  return (
    <fieldset>
      <legend>Saved recipe</legend>
      <label className="field">
        Read the file as a saved recipe
        <select
          name="recipe"
          data-testid="recipe"
          value={chosen ? String(chosen.id) : ''}
          onChange={(e) =>
            onChoose(recipes.find((r) => String(r.id) === e.currentTarget.value) ?? null)
          }
        >
          <option value="">None</option>
          {recipes.map((r) => (
            <option key={r.id} value={r.id}>
              {r.source.producer}: {r.name} ({r.source.title})
            </option>
          ))}
        </select>
      </label>
      {chosen && (
        <p className="hint" data-testid="recipe-summary">
          {describeRecipe(chosen)}
        </p>
      )}
      {chosen && (
        <input
          type="hidden"
          name="recipeMeta"
          value={JSON.stringify({
            format: chosen.recipe.format,
            valueColumn: chosen.recipe.valueColumn,
            period: chosen.recipe.period,
          })}
        />
      )}
    </fieldset>
  );
}
