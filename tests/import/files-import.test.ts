// The fixtures of tests/fixtures/files through the import path, answered as a user would in the
// mapping step: skipped rows counted in the report, one entity for a whole file, new entities
// named, and a second vintage landing as revisions of the first.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '@/lib/store';
import { commitFileImport, previewFileImport } from '@/lib/import/file-import';
import { importsFromFile } from '@/lib/import/sources';
import { importMetaSchema, type ImportMetaInput } from '@/lib/schemas';
import { createScratchDb, type ScratchDb } from '../support/scratch-db';

const DIR = path.join(__dirname, '../fixtures/files');
const file = (name: string) => new Uint8Array(fs.readFileSync(path.join(DIR, name)));

const base: ImportMetaInput = {
  indicator: {
    slug: 'test-population',
    title: 'Population (test)',
    unitLong: 'thousand people',
    unitShort: 'thousand',
    decimals: 1,
  },
  kind: 'observed',
  unit: 'thousand',
  createEntities: true,
  source: { title: 'Test table', producer: 'Test office', url: 'https://example.org/t' },
};

describe('real files through the import path', () => {
  let scratch: ScratchDb;
  let db: Store;
  beforeEach(async () => {
    scratch = await createScratchDb({ seed: true });
    db = scratch.store;
  });
  afterEach(() => scratch.cleanup());

  const run = async (name: string, input: Partial<ImportMetaInput>, commit = true) => {
    const meta = importMetaSchema.parse({ ...base, ...input });
    const imports = importsFromFile(file(name), meta);
    return commit ? commitFileImport(db, imports) : previewFileImport(db, imports);
  };

  it('imports only the countries of a file with regions and groups, counting the rest', async () => {
    const report = await run('regions-and-groups.csv', {
      mapping: {
        entity: 'Region, subregion, country or area',
        code: 'ISO3 Alpha-code',
        period: 'Year',
        values: ['Total population (thousands)'],
        countriesOnly: true,
      },
    });
    expect(report.errors).toEqual([]);
    expect(report.committed).toBe(true);
    expect(report.entities.map((e) => [e.code, e.added])).toEqual([
      ['DEU', 2],
      ['KAZ', 2],
    ]);
    // World ×2, Africa ×2, Sub-Saharan Africa, Low-income countries; the second Africa 2020.
    expect(report.counts.skipped).toBe(7);
    expect(report.warnings.map((w) => w.reason)).toEqual([
      'skipped 1 repeated row of entities the import leaves out (regions, groups, entities not chosen)',
      'skipped 3 values of aggregate rows (regions, income groups); name them in "entities" to import them',
      'skipped 3 values of rows that are not countries (regions, groups, names no country library knows)',
    ]);
  });

  it('imports a file about one country with German dates as days of that country', async () => {
    const report = await run('destatis-one-country.csv', {
      entity: 'DEU',
      mapping: { entity: '', period: 'Stichtag', values: ['Bevölkerung (Tausend)'] },
    });
    expect(report.errors).toEqual([]);
    const rows = await scratch.query(
      `SELECT o.period, o.precision, o.value FROM "Observation" o JOIN "Series" s ON s.id = o."seriesId" JOIN "Entity" e ON e.id = s."entityId" WHERE e.code = 'DEU' AND s.label = 'Test office (Germany)' ORDER BY o.period`,
    );
    expect(rows).toEqual([
      { period: '2018-12-31', precision: 'day', value: 83019.2 },
      { period: '2019-12-31', precision: 'day', value: 83166.7 },
      { period: '2020-12-31', precision: 'day', value: 83155 },
    ]);
  });

  it('stores quarters as quarters', async () => {
    const report = await run('quarterly.csv', {
      mapping: { code: 'country', period: 'quarter', values: ['gdp'] },
    });
    expect(report.errors).toEqual([]);
    const rows = await scratch.query(
      `SELECT o.period, o.precision FROM "Observation" o JOIN "Series" s ON s.id = o."seriesId" WHERE s.label = 'Test office (Germany)' ORDER BY o.period`,
    );
    expect(rows).toEqual([
      { period: '2004-Q3', precision: 'quarter' },
      { period: '2004-Q4', precision: 'quarter' },
      { period: '2005-Q1', precision: 'quarter' },
    ]);
  });

  it('names new entities from the country library when the file gives codes only', async () => {
    const report = await run('codes-only.csv', {}, false);
    expect(report.unknownEntities.map((e) => [e.code, e.name])).toEqual([
      ['DEU', 'Germany'],
      ['XKX', 'Kosovo'],
    ]);
    const named = await run('new-names.csv', {}, false);
    expect(named.unknownEntities.map((e) => [e.code, e.name])).toEqual([
      ['VAT', 'Holy See'],
      ['WLF', 'Wallis and Futuna Islands'],
      ['XKX', 'Kosovo'],
    ]);
  });

  it("lands next year's file from the same source as revisions of the same series", async () => {
    const meta = { entities: ['KAZ'] };
    const first = await run('vintage-2023.csv', meta);
    expect(first.errors).toEqual([]);
    expect(first.counts).toEqual({ added: 2, changed: 0, unchanged: 0, skipped: 1 });
    const second = await run('vintage-2024.csv', meta);
    expect(second.errors).toEqual([]);
    expect(second.counts).toEqual({ added: 1, changed: 1, unchanged: 1, skipped: 1 });
    expect(second.changes).toEqual([
      { entity: 'KAZ', period: '2022-07-01', row: 3, old: 19.6, new: 19.7, revision: 2 },
    ]);
    expect(second.entities[0]!.seriesId).toBe(first.entities[0]!.seriesId);
  });
});
