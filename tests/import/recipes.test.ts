// Saved import recipes (lib/import/recipes.ts): a mapped import saved as a recipe of its
// source, and next year's file imported with `meta.recipe` alone, as revisions of the same
// series. Runs on SQLite, or on PostgreSQL with TEST_DATABASE set.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ChunkQueue } from '@/lib/write/upload';
import { runUploadJob, runWriteJob, type WriteOutcome } from '@/lib/write/write-job';
import { applyRecipe, recipeOf, recipesOf } from '@/lib/import/recipes';
import { importMetaSchema } from '@/lib/schemas';
import { createScratchDb, type ScratchDb } from '../support/scratch-db';

// A national office's file: one country, day-first dates, a second measure to filter out.
const vintage2024 = [
  'Datum;Merkmal;Wert',
  '31.12.2021;Einwohner;83,2',
  '31.12.2022;Einwohner;84,1',
  '31.12.2022;Haushalte;41,0',
].join('\n');
const vintage2025 = [
  'Datum;Merkmal;Wert',
  '31.12.2021;Einwohner;83,2',
  '31.12.2022;Einwohner;84,4',
  '31.12.2023;Einwohner;84,7',
  '31.12.2023;Haushalte;41,3',
].join('\n');

const meta = {
  indicator: {
    slug: 'recipe-test',
    title: 'Recipe test',
    unitLong: 'million people',
    unitShort: 'M',
  },
  kind: 'observed',
  unit: 'million people',
  entity: 'DEU',
  createEntities: true,
  mapping: {
    period: 'Datum',
    values: ['Wert'],
    filters: [{ column: 'Merkmal', values: ['Einwohner'] }],
  },
  source: { title: 'Bevölkerungsstand', producer: 'Destatis', url: 'https://example.org/destatis' },
};

async function multipart(parts: [string, string | Blob][]) {
  const form = new FormData();
  for (const [name, value] of parts) form.append(name, value);
  const response = new Response(form);
  const bytes = new Uint8Array(await response.arrayBuffer());
  const queue = new ChunkQueue();
  queue.push(bytes);
  queue.end();
  return { body: queue, contentType: response.headers.get('content-type')! };
}

const report = (o: WriteOutcome) => {
  if (!o.ok || !('report' in o)) throw new Error(`not a report: ${JSON.stringify(o)}`);
  return o.report;
};

describe('recipes, pure', () => {
  it('keeps how the file is read and not where it came from', () => {
    const parsed = importMetaSchema.parse({ ...meta, label: 'Destatis (DEU)', saveRecipe: 'x' });
    const recipe = recipeOf(parsed);
    expect(recipe).toEqual({
      indicator: 'recipe-test',
      kind: 'observed',
      unit: 'million people',
      entity: 'DEU',
      label: 'Destatis (DEU)',
      mapping: meta.mapping,
    });
    expect(recipe).not.toHaveProperty('source');
    expect(recipe).not.toHaveProperty('saveRecipe');
  });

  it('lets the request override a field and each mapping field it names', () => {
    const merged = applyRecipe(
      { unit: 'people', entity: 'DEU', mapping: { period: 'Datum', dates: 'dmy' } },
      { title: 'T', producer: 'P' },
      { recipe: 'r', entity: 'AUT', mapping: { dates: 'mdy' } },
    );
    expect(merged).toEqual({
      unit: 'people',
      entity: 'AUT',
      mapping: { period: 'Datum', dates: 'mdy' },
      source: { title: 'T', producer: 'P' },
    });
  });
});

describe('recipes, on the store', () => {
  let scratch: ScratchDb;
  beforeEach(async () => {
    scratch = await createScratchDb();
  });
  afterEach(() => scratch.cleanup());

  const upload = async (m: unknown, csv: string, dryRun = false) => {
    const { body, contentType } = await multipart([
      ['meta', JSON.stringify(m)],
      ['file', new Blob([csv], { type: 'text/csv' })],
    ]);
    return runUploadJob(scratch.store, body, contentType, dryRun);
  };
  const count = async (table: string) =>
    Number((await scratch.query<{ n: number }>(`SELECT COUNT(*) AS n FROM "${table}"`))[0]!.n);

  it('saves a mapped import as a recipe and imports the next vintage with it, as revisions', async () => {
    const first = report(
      await upload({ ...meta, saveRecipe: 'Bevölkerung jährlich' }, vintage2024),
    );
    expect(first).toMatchObject({ ok: true, committed: true, counts: { added: 2 } });
    expect(first.savedRecipe).toMatchObject({ name: 'Bevölkerung jährlich' });
    const sourceId = first.savedRecipe!.sourceId;
    const [stored] = await scratch.store.read((r) => recipesOf(r, sourceId));
    expect(stored!.recipe).toMatchObject({
      indicator: 'recipe-test',
      entity: 'DEU',
      mapping: { filters: [{ column: 'Merkmal', values: ['Einwohner'] }] },
    });
    expect(stored!.updatedAt).toMatch(/^\d{4}-\d\d-\d\dT/);

    const series = await count('Series');
    const second = report(await upload({ recipe: 'Bevölkerung jährlich' }, vintage2025));
    expect(second).toMatchObject({
      ok: true,
      committed: true,
      counts: { added: 1, changed: 1, unchanged: 1 },
      recipe: { id: first.savedRecipe!.id, name: 'Bevölkerung jährlich' },
    });
    expect(second.changes).toEqual([
      expect.objectContaining({
        entity: 'DEU',
        period: '2022-12-31',
        old: 84.1,
        new: 84.4,
        revision: 2,
      }),
    ]);
    expect(await count('Series')).toBe(series);
  });

  it('finds a recipe by id too, and the request overrides its fields', async () => {
    const first = report(await upload({ ...meta, saveRecipe: 'r' }, vintage2024));
    const id = first.savedRecipe!.id;
    const preview = report(
      await upload(
        {
          recipe: String(id),
          mapping: { filters: [{ column: 'Merkmal', values: ['Haushalte'] }] },
        },
        vintage2025,
        true,
      ),
    );
    expect(preview).toMatchObject({
      ok: true,
      committed: false,
      valuesRead: 1,
      counts: { added: 1 },
    });
    expect(preview.file?.mapping?.filters).toEqual([{ column: 'Merkmal', values: ['Haushalte'] }]);
  });

  it('refuses a recipe it does not have, naming it, and writes nothing', async () => {
    const before = await count('Observation');
    const outcome = await upload({ recipe: 'nope' }, vintage2025);
    expect(outcome).toEqual({
      ok: false,
      kind: 'invalid',
      status: 400,
      error: 'The request is not valid',
      errors: [{ path: 'recipe', message: 'there is no recipe named "nope"' }],
    });
    expect(await count('Observation')).toBe(before);
  });

  it('asks for the id when two sources have a recipe of that name', async () => {
    report(await upload({ ...meta, saveRecipe: 'same' }, vintage2024));
    const other = {
      ...meta,
      source: { ...meta.source, title: 'Andere Tabelle' },
      saveRecipe: 'same',
    };
    report(await upload(other, vintage2024));
    const outcome = await upload({ recipe: 'same' }, vintage2025, true);
    expect(outcome).toMatchObject({ ok: false, status: 400 });
    expect(JSON.stringify(outcome)).toContain(
      '2 sources have a recipe named \\"same\\": give its id',
    );
    // The request's own source settles it.
    const mine = report(await upload({ recipe: 'same', source: other.source }, vintage2025, true));
    expect(mine.source).toMatchObject({ title: 'Andere Tabelle', isNew: false });
  });

  it('saves a recipe again under the same name by replacing it', async () => {
    const first = report(await upload({ ...meta, saveRecipe: 'r' }, vintage2024));
    const parsed = importMetaSchema.parse({ ...meta, unit: 'people' });
    const again = await runWriteJob(scratch.store, { type: 'recipe', name: 'r', meta: parsed });
    expect(again).toEqual({ ok: true, recipe: { ...first.savedRecipe } });
    const rows = await scratch.store.read((r) => recipesOf(r, first.savedRecipe!.sourceId));
    expect(rows.map((r) => [r.name, r.recipe.unit])).toEqual([['r', 'people']]);
  });

  it('refuses to save a recipe for a source that is not stored', async () => {
    const parsed = importMetaSchema.parse({ ...meta, source: { ...meta.source, title: 'Nie' } });
    const outcome = await runWriteJob(scratch.store, { type: 'recipe', name: 'r', meta: parsed });
    expect(outcome).toMatchObject({ ok: false, kind: 'refused', status: 404 });
    expect(await count('ImportRecipe')).toBe(0);
  });
});
