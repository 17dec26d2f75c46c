// Saved import recipes: how a source's file is read (its mapping and the meta fields that
// describe the file, not its values), stored under a name per source so that next year's
// file imports in one step. `meta.recipe` (a name or an id) is expanded here into the meta
// it stands for before the meta is validated; fields the request names override the recipe's.
import { z } from 'zod';
import type { Store, StoreReader, StoreWriter } from '../store/types';
import { WriteRefused } from '../documents/writes';
import { columnMappingSchema, text, type FieldError, type ImportMeta } from '../schemas';
import type { ImportReport } from './report';

/** The meta fields a recipe keeps: what the file holds and how to read it, not where it came from. */
const RECIPE_FIELDS = [
  'indicator',
  'kind',
  'unit',
  'format',
  'valueColumn',
  'entity',
  'period',
  'entities',
  'label',
  'mapping',
] as const;

export type Recipe = Partial<Pick<ImportMeta, (typeof RECIPE_FIELDS)[number]>>;

export type RecipeRow = {
  id: number;
  sourceId: number;
  name: string;
  recipe: Recipe;
  updatedAt: string;
};

export const recipeNameSchema = text(100);
/** A recipe named in a request: its id, or its name. */
export const recipeRefSchema = z.union([z.number().int().positive(), recipeNameSchema]);

/** What a recipe keeps of an import's meta; a new indicator is kept as its slug. */
export function recipeOf(meta: ImportMeta): Recipe {
  const recipe: Record<string, unknown> = {};
  for (const field of RECIPE_FIELDS) {
    const value = meta[field];
    if (value !== undefined) recipe[field] = value;
  }
  if (typeof meta.indicator === 'object') recipe.indicator = meta.indicator.slug;
  return recipe as Recipe;
}

/**
 * The request's meta over the recipe's: a field the request names wins, and so does each
 * mapping field it names (a recipe's filters stay unless the request sends its own). A request
 * without a source imports as the recipe's source.
 */
export function applyRecipe(
  recipe: Recipe,
  source: Record<string, unknown>,
  raw: Record<string, unknown>,
): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...recipe, source, ...raw };
  const mapping = raw.mapping;
  if (recipe.mapping && mapping && typeof mapping === 'object')
    merged.mapping = { ...recipe.mapping, ...mapping };
  delete merged.recipe;
  return merged;
}

type SourceRow = {
  id: number;
  title: string;
  publisher: string;
  url: string | null;
  citation: string | null;
  license: string | null;
  publishedOn: string | null;
};

type StoredRecipe = {
  id: number;
  sourceId: number;
  name: string;
  recipe: string;
  updatedAt: unknown;
};

const recipeColumns = 'id, "sourceId", name, recipe, "updatedAt"';

function rowOf(r: StoredRecipe): RecipeRow {
  // Each store reads a timestamp its own way: a Date, epoch milliseconds or SQLite's text (UTC).
  const at = r.updatedAt;
  const updated =
    at instanceof Date
      ? at
      : typeof at === 'number'
        ? new Date(at)
        : new Date(
            /[zZ]|[+-]\d\d:?\d\d$/.test(String(at))
              ? String(at)
              : `${String(at).replace(' ', 'T')}Z`,
          );
  return {
    id: Number(r.id),
    sourceId: Number(r.sourceId),
    name: r.name,
    recipe: JSON.parse(r.recipe) as Recipe,
    updatedAt: Number.isNaN(updated.getTime()) ? String(r.updatedAt) : updated.toISOString(),
  };
}

/** A source's recipes, by name. */
export async function recipesOf(db: StoreReader, sourceId: number): Promise<RecipeRow[]> {
  const rows = await db.query<StoredRecipe>(
    `SELECT ${recipeColumns} FROM "ImportRecipe" WHERE "sourceId" = ? ORDER BY name`,
    [sourceId],
  );
  return rows.map(rowOf);
}

export type RecipeLookup =
  | { ok: true; meta: Record<string, unknown>; recipe: RecipeRow | null }
  | { ok: false; status: 400 | 404; errors: FieldError[] };

const notFound = (message: string): RecipeLookup => ({
  ok: false,
  status: 404,
  errors: [{ path: 'recipe', message }],
});

/**
 * The recipe a request names: an id, or a name, which is looked for first among the recipes
 * of the request's own source (title and producer), then among every source's; a name that
 * several sources use is asked about (by id), never guessed.
 */
async function findRecipe(
  db: StoreReader,
  ref: number | string,
  source: unknown,
): Promise<RecipeRow | RecipeLookup> {
  if (typeof ref === 'number') {
    const [row] = await db.query<StoredRecipe>(
      `SELECT ${recipeColumns} FROM "ImportRecipe" WHERE id = ?`,
      [ref],
    );
    return row ? rowOf(row) : notFound(`there is no recipe with id ${ref}`);
  }
  const rows = (
    await db.query<StoredRecipe>(`SELECT ${recipeColumns} FROM "ImportRecipe" WHERE name = ?`, [
      ref,
    ])
  ).map(rowOf);
  const own = await sourceIdOf(db, source);
  const mine = rows.find((r) => r.sourceId === own);
  if (mine) return mine;
  if (rows.length === 1) return rows[0]!;
  if (rows.length === 0) return notFound(`there is no recipe named "${ref}"`);
  return {
    ok: false,
    status: 400,
    errors: [
      {
        path: 'recipe',
        message: `${rows.length} sources have a recipe named "${ref}": give its id (${rows.map((r) => r.id).join(', ')})`,
      },
    ],
  };
}

async function sourceIdOf(db: StoreReader, source: unknown): Promise<number | null> {
  if (!source || typeof source !== 'object') return null;
  const { title, producer } = source as Record<string, unknown>;
  if (typeof title !== 'string' || typeof producer !== 'string') return null;
  return db.sourceId(title.trim(), producer.trim());
}

/** The source a recipe belongs to, as an import's `source` field. */
async function sourceInputOf(db: StoreReader, sourceId: number) {
  const [s] = await db.query<SourceRow>(
    'SELECT id, title, publisher, url, citation, license, "publishedOn" FROM "Source" WHERE id = ?',
    [sourceId],
  );
  if (!s) return {};
  const input: Record<string, unknown> = { title: s.title, producer: s.publisher };
  if (s.url) input.url = s.url;
  if (s.citation) input.citation = s.citation;
  if (s.license) input.license = s.license;
  if (s.publishedOn) input.publishedAt = s.publishedOn;
  return input;
}

/** Expands `meta.recipe` into the meta it stands for; a meta without one is returned as is. */
export async function expandRecipe(db: Store, raw: unknown): Promise<RecipeLookup> {
  if (!raw || typeof raw !== 'object' || !('recipe' in raw) || raw.recipe === undefined)
    return { ok: true, meta: raw as Record<string, unknown>, recipe: null };
  const meta = raw as Record<string, unknown>;
  const ref = recipeRefSchema.safeParse(
    typeof meta.recipe === 'string' && /^\d+$/.test(meta.recipe.trim())
      ? Number(meta.recipe)
      : meta.recipe,
  );
  if (!ref.success)
    return {
      ok: false,
      status: 400,
      errors: ref.error.issues.map((i) => ({ path: 'recipe', message: i.message })),
    };
  return db.read(async (reader) => {
    const found = await findRecipe(reader, ref.data, meta.source);
    if ('ok' in found) return found;
    const source = await sourceInputOf(reader, found.sourceId);
    return { ok: true, meta: applyRecipe(found.recipe, source, meta), recipe: found };
  });
}

/**
 * Saves (or replaces) a source's recipe of this name, as part of the write it runs in. The
 * source is the one the import wrote to, named by its title and producer.
 */
export async function saveRecipe(
  db: StoreWriter,
  source: { title: string; producer: string },
  name: string,
  meta: ImportMeta,
  now: Date,
): Promise<{ id: number; name: string; sourceId: number }> {
  const sourceId = await db.sourceId(source.title, source.producer);
  if (sourceId === null)
    throw new WriteRefused(404, [
      { path: 'source', message: `“${source.title}” by ${source.producer} is not stored` },
    ]);
  const recipe = JSON.stringify(recipeOf(meta));
  const [existing] = await db.query<{ id: number }>(
    'SELECT id FROM "ImportRecipe" WHERE "sourceId" = ? AND name = ?',
    [sourceId, name],
  );
  if (existing) {
    // RETURNING (both stores have it) makes the update a statement that answers rows.
    await db.query(
      'UPDATE "ImportRecipe" SET recipe = ?, "updatedAt" = ? WHERE id = ? RETURNING id',
      [recipe, now, Number(existing.id)],
    );
    return { id: Number(existing.id), name, sourceId };
  }
  const id = await db.insert(
    'INSERT INTO "ImportRecipe" ("sourceId", name, recipe, "createdAt", "updatedAt") VALUES (?, ?, ?, ?, ?)',
    [sourceId, name, recipe, now, now],
  );
  return { id, name, sourceId };
}

/** Saves a recipe in a write of its own (the Add data page's "Save as recipe", after an import). */
export function saveRecipeJob(
  store: Store,
  input: { name: string; meta: ImportMeta },
  now = new Date(),
) {
  return store.write([], (db) => saveRecipe(db, input.meta.source, input.name, input.meta, now));
}

/**
 * A committed import asked to be saved as a recipe (`meta.saveRecipe`): saved once the values
 * are, with the mapping as the file was read (detection and answers alike), so that the next
 * vintage is read the same way. Adds the recipe to the report.
 */
export async function saveImportRecipe(db: Store, meta: ImportMeta, report: ImportReport) {
  if (!meta.saveRecipe || !report.committed) return;
  // The encoding is detected again for each vintage unless the request chose one.
  const { encoding: _detected, ...read } = report.file?.mapping ?? {};
  const mapping = columnMappingSchema.safeParse({ ...read, ...meta.mapping });
  const saved = await saveRecipeJob(db, {
    name: meta.saveRecipe,
    meta: mapping.success ? { ...meta, mapping: mapping.data } : meta,
  });
  report.savedRecipe = saved;
  report.message += ` Saved the recipe “${saved.name}”.`;
}
