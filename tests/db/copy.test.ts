// `npm run db:copy`: a SQLite database moved up to PostgreSQL is the same database,
// down to the byte of its full export.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { claimInputSchema, derivationInputSchema, documentInputSchema } from '@/lib/claims/schemas';
import { createDerivation } from '@/lib/derivations/writes';
import { createClaim, createDocument } from '@/lib/documents/writes';
import { fullExportText } from '@/lib/export/full-export-stream';
import { commitImport } from '@/lib/import/import-data';
import { valuesFromObservations } from '@/lib/import/sources';
import { saveRecipeJob } from '@/lib/import/recipes';
import { importMetaSchema } from '@/lib/schemas';
import { copyDatabase, CopyRefusedError } from '@/lib/store/copy';
import { createScratchDb, testServer, type ScratchDb } from '../support/scratch-db';

const meta = (label: string, entity = 'CHN') =>
  importMetaSchema.parse({
    indicator: 'population-density',
    kind: 'observed',
    unit: 'people per km²',
    entity,
    entities: [entity],
    label,
    source: {
      title: 'Copy test, “quoted”\ttabbed',
      producer: 'Sourced tests',
      citation: 'A citation\nwith a second line and a backslash \\',
    },
  });

describe.skipIf(!testServer)('db:copy from SQLite to PostgreSQL', () => {
  let sqlite: ScratchDb;
  let postgres: ScratchDb;
  beforeEach(async () => {
    [sqlite, postgres] = await Promise.all([
      createScratchDb({ outcomes: true, provider: 'sqlite' }),
      createScratchDb({ provider: 'postgresql' }),
    ]);
    // Data beyond the article: revisions, bounds and notes, odd text, an archived series.
    await commitImport(
      sqlite.store,
      meta('Copy test'),
      valuesFromObservations('CHN', [
        { period: '2019', value: 146.7, low: 140, high: 150.25, note: 'tab\there' },
        { period: '2020-06', value: 1e-7 },
        { period: '2021-03-04', value: -0 },
      ]),
      new Date('2024-05-06T07:08:09.123Z'),
    );
    await commitImport(
      sqlite.store,
      meta('Copy test'),
      valuesFromObservations('CHN', [{ period: '2019', value: 0.1 + 0.2 }]),
      new Date('2024-06-01T00:00:00.000Z'),
    );
    const hidden = await commitImport(
      sqlite.store,
      meta('Archived', 'KAZ'),
      valuesFromObservations('KAZ', [{ period: '2019', value: 7 }]),
    );
    await sqlite.store.setArchived(hidden.entities[0]!.seriesId!, true, new Date());
    // A document with its text, a claim quoted from it, and a derivation.
    const doc = await createDocument(
      sqlite.store,
      documentInputSchema.parse({
        title: 'Copy test document',
        publisher: 'Sourced tests',
        publishedAt: '2020-03',
        text: 'Imports will cover "twelve" per cent of needs by 2030,\r\nthe ministry said.',
      }),
      new Date('2024-05-01T00:00:00.000Z'),
    );
    await createClaim(
      sqlite.store,
      claimInputSchema.parse({
        source: doc.id,
        quote: { text: 'Imports will cover "twelve" per cent of needs by 2030' },
        indicator: 'oil-import-share',
        entity: 'KAZ',
        kind: 'projection',
        period: '2030',
        value: 12,
      }),
    );
    // An import recipe of the document's source (lib/import/recipes.ts).
    await saveRecipeJob(
      sqlite.store,
      {
        name: 'Copy test recipe',
        meta: importMetaSchema.parse({
          indicator: 'oil-import-share',
          kind: 'observed',
          unit: '%',
          mapping: { period: 'Jahr', dates: 'dmy' },
          source: { title: 'Copy test document', producer: 'Sourced tests', citation: 'Copy test' },
        }),
      },
      new Date('2024-05-02T00:00:00.000Z'),
    );
    await createDerivation(
      sqlite.store,
      derivationInputSchema.parse({
        title: 'Kazakhstan: net import share',
        formula: 'share',
        a: { indicator: 'oil-production', entity: 'KAZ' },
        b: { indicator: 'oil-consumption', entity: 'KAZ' },
        target: { indicator: 'oil-import-share', entity: 'KAZ' },
      }),
    );
  });
  afterEach(() => Promise.all([sqlite.cleanup(), postgres.cleanup()]));

  it('copies every row with its id, and the full export is the same byte for byte', async () => {
    const result = await copyDatabase(sqlite.url, postgres.url);
    const counts = Object.fromEntries(result.tables.map((t) => [t.table, t.rows]));
    for (const table of Object.keys(counts)) {
      const [source] = await sqlite.query<{ n: number }>(`SELECT COUNT(*) AS n FROM "${table}"`);
      expect(counts[table], table).toBe(source!.n);
    }
    // The article's, the shipped outcomes', the test's; every table has rows.
    expect(counts.Observation).toBeGreaterThan(900);
    for (const table of Object.keys(counts)) expect(counts[table], table).toBeGreaterThan(0);
    expect(counts.Derivation).toBeGreaterThan(1);
    expect(await postgres.query('SELECT slug, formula FROM "Derivation" ORDER BY id')).toEqual(
      await sqlite.query('SELECT slug, formula FROM "Derivation" ORDER BY id'),
    );
    expect(
      await postgres.query('SELECT id, text, "contentSha256" FROM "Source" ORDER BY id'),
    ).toEqual(await sqlite.query('SELECT id, text, "contentSha256" FROM "Source" ORDER BY id'));
    expect(result.checksum).toMatch(/^[0-9a-f]{64}$/);

    const before = await fullExportText(sqlite.store);
    expect(await fullExportText(postgres.store)).toBe(before);
    for (const asOf of [new Date('2024-05-20T00:00:00Z'), new Date('2005-01-01T00:00:00Z')]) {
      expect(await fullExportText(postgres.store, undefined, { asOf })).toBe(
        await fullExportText(sqlite.store, undefined, { asOf }),
      );
    }
    expect(await postgres.query('SELECT id, code FROM "Entity" ORDER BY id')).toEqual(
      await sqlite.query('SELECT id, code FROM "Entity" ORDER BY id'),
    );

    // New rows continue after the copied ids.
    const more = await commitImport(
      postgres.store,
      meta('After the copy'),
      valuesFromObservations('CHN', [{ period: '2022', value: 1 }]),
    );
    expect(more.committed).toBe(true);
    const [max] = await sqlite.query<{ id: number }>('SELECT MAX(id) AS id FROM "Series"');
    expect(more.entities[0]!.seriesId).toBeGreaterThan(max!.id);
  });

  it('refuses a target with data in it unless forced, and writes nothing when refused', async () => {
    await copyDatabase(sqlite.url, postgres.url);
    await commitImport(
      postgres.store,
      meta('Only in the target'),
      valuesFromObservations('CHN', [{ period: '2022', value: 1 }]),
    );
    const before = await fullExportText(postgres.store);
    await expect(copyDatabase(sqlite.url, postgres.url)).rejects.toBeInstanceOf(CopyRefusedError);
    await expect(copyDatabase(sqlite.url, postgres.url)).rejects.toThrow(/not empty.*--force/);
    expect(await fullExportText(postgres.store)).toBe(before);

    await copyDatabase(sqlite.url, postgres.url, { force: true });
    expect(await fullExportText(postgres.store)).toBe(await fullExportText(sqlite.store));
  });
});
