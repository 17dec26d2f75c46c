import fs from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '@/lib/store';
import { commitImport, previewImport } from '@/lib/import/import-data';
import { valuesFromFile, valuesFromObservations } from '@/lib/import/sources';
import { importMetaSchema, type ImportMetaInput } from '@/lib/schemas';
import { WB_FIXTURE } from '../support/fixtures';
import { createScratchDb, type ScratchDb } from '../support/scratch-db';

const wbFile = fs.readFileSync(WB_FIXTURE);

const source = {
  title: 'World Development Indicators',
  producer: 'World Bank',
  url: 'https://data.worldbank.org/indicator/SP.POP.GROW',
  license: 'CC BY 4.0',
};
const growthMeta: ImportMetaInput = {
  indicator: {
    slug: 'population-growth',
    title: 'Population growth',
    unitLong: 'annual %',
    unitShort: '%',
    decimals: 2,
  },
  kind: 'observed',
  unit: '%',
  entities: ['CHN', 'KAZ'],
  source,
};

/** Every row of every table, to prove a failed write changed nothing. */
async function snapshot(scratch: ScratchDb) {
  const tables = ['Source', 'Quote', 'Indicator', 'Entity', 'Series', 'Observation'];
  return Object.fromEntries(
    await Promise.all(
      tables.map(async (t) => [t, await scratch.query(`SELECT * FROM "${t}" ORDER BY id`)]),
    ),
  );
}

describe('the import write path', () => {
  let scratch: ScratchDb;
  let db: Store;
  beforeEach(async () => {
    scratch = await createScratchDb({ seed: true });
    db = scratch.store;
  });
  afterEach(() => scratch.cleanup());

  it('imports a World Bank file for the chosen entities, one series each', async () => {
    const meta = importMetaSchema.parse(growthMeta);
    const report = await commitImport(db, meta, valuesFromFile(wbFile, meta));
    expect(report.errors).toEqual([]);
    expect(report).toMatchObject({ ok: true, committed: true, format: 'worldbank' });
    expect(report.entities.map((e) => [e.code, e.added])).toEqual([
      ['CHN', 63],
      ['KAZ', 63],
    ]);
    const china2010 = (
      await scratch.query(`SELECT o.value FROM "Observation" o JOIN "Series" s ON s.id = o."seriesId" JOIN "Entity" e ON e.id = s."entityId" JOIN "Indicator" i ON i.id = s."indicatorId"
         WHERE i.slug = 'population-growth' AND e.code = 'CHN' AND o.period = '2010'`)
    )[0] as { value: number };
    // Column "2010" of the CHN row in the fixture.
    expect(china2010.value).toBe(0.482959688678361);
  });

  it('changes nothing when the same file comes again, and says so', async () => {
    const meta = importMetaSchema.parse(growthMeta);
    await commitImport(db, meta, valuesFromFile(wbFile, meta));
    const before = await snapshot(scratch);
    const again = await commitImport(db, meta, valuesFromFile(wbFile, meta));
    expect(again.counts).toMatchObject({ added: 0, changed: 0, unchanged: 126 });
    expect(again.message).toBe('Nothing to change: all 126 values are already stored.');
    expect(await snapshot(scratch)).toEqual(before);
  });

  it('records a changed value as a new revision and keeps the old one', async () => {
    const meta = importMetaSchema.parse({ ...growthMeta, entities: ['KAZ'] });
    await commitImport(db, meta, valuesFromFile(wbFile, meta));
    const edited = Buffer.from(
      wbFile.toString('utf8').replace(/("Kazakhstan","KAZ",[^\n]*?)"([0-9.-]+)",$/m, '$1"9.5",'),
    );
    const preview = await previewImport(db, meta, valuesFromFile(edited, meta));
    // The other 265 rows hold 16,600 values, skipped as outside the chosen entity.
    expect(preview.counts).toEqual({ added: 0, changed: 1, unchanged: 62, skipped: 16600 });
    // Column "2023" of the KAZ row, line 126 of the fixture, before the edit.
    expect(preview.changes).toEqual([
      { entity: 'KAZ', period: '2023', row: 126, old: 1.34158039345206, new: 9.5, revision: 2 },
    ]);
    await commitImport(db, meta, valuesFromFile(edited, meta));
    const rows = await scratch.query(
      `SELECT value, revision, CASE WHEN "supersededAt" IS NOT NULL THEN 1 ELSE 0 END AS superseded FROM "Observation" WHERE period = '2023' AND "seriesId" = (SELECT MAX(id) FROM "Series") ORDER BY revision`,
    );
    expect(rows).toEqual([
      { value: 1.34158039345206, revision: 1, superseded: 1 },
      { value: 9.5, revision: 2, superseded: 0 },
    ]);
  });

  it('refuses a unit that does not match and writes nothing', async () => {
    const before = await snapshot(scratch);
    const meta = importMetaSchema.parse({
      ...growthMeta,
      indicator: 'population-density',
      unit: 'kb/d',
    });
    const report = await commitImport(db, meta, valuesFromFile(wbFile, meta));
    expect(report.ok).toBe(false);
    expect(report.errors).toContainEqual(
      expect.objectContaining({
        column: 'unit',
        reason: expect.stringMatching(/cannot be converted/),
      }),
    );
    expect(await snapshot(scratch)).toEqual(before);
  });

  it('offers to create unknown entities instead of failing silently', async () => {
    const meta = importMetaSchema.parse({ ...growthMeta, entities: ['DEU'] });
    const refused = await previewImport(db, meta, valuesFromFile(wbFile, meta));
    expect(refused.ok).toBe(false);
    expect(refused.unknownEntities).toEqual([
      { code: 'DEU', name: 'Germany', row: expect.any(Number) },
    ]);
    expect(refused.errors[0]!.reason).toBe(
      'unknown entity code "DEU" (Germany): confirm creating it',
    );
    const accepted = await commitImport(
      db,
      { ...meta, createEntities: true },
      valuesFromFile(wbFile, meta),
    );
    expect(accepted.ok).toBe(true);
    expect((await scratch.query(`SELECT name FROM "Entity" WHERE code = 'DEU'`))[0]).toEqual({
      name: 'Germany',
    });
  });

  it('skips aggregates unless they are asked for', async () => {
    const meta = importMetaSchema.parse({
      ...growthMeta,
      entities: undefined,
      createEntities: true,
    });
    const report = await previewImport(db, meta, valuesFromFile(wbFile, meta));
    expect(report.entities.some((e) => e.code === 'ARB')).toBe(false);
    expect(report.warnings.some((w) => /aggregate/.test(w.reason))).toBe(true);
    expect(report.entities.length).toBeGreaterThan(200);
  });

  it('imports an aggregate that is named in "entities" (World, WLD)', async () => {
    const meta = importMetaSchema.parse({ ...growthMeta, entities: ['WLD'] });
    const offered = await previewImport(db, meta, valuesFromFile(wbFile, meta));
    // Offered for creation like any unknown entity, not skipped as an aggregate.
    expect(offered.unknownEntities).toEqual([{ code: 'WLD', name: 'World', row: 265 }]);
    expect(offered.warnings).toEqual([]);

    const report = await commitImport(
      db,
      { ...meta, createEntities: true },
      valuesFromFile(wbFile, meta),
    );
    expect(report.errors).toEqual([]);
    expect(report).toMatchObject({ ok: true, committed: true });
    expect(report.entities.map((e) => [e.code, e.name, e.isNew, e.added])).toEqual([
      ['WLD', 'World', true, 63],
    ]);
    const world =
      await scratch.query(`SELECT o.period, o.value FROM "Observation" o JOIN "Series" s ON s.id = o."seriesId" JOIN "Entity" e ON e.id = s."entityId"
         WHERE e.code = 'WLD' AND o.period IN ('1961', '2010', '2023') ORDER BY o.period`);
    // Columns "1961", "2010" and "2023" of the WLD row in the fixture.
    expect(world).toEqual([
      { period: '1961', value: 1.35089537062012 },
      { period: '2010', value: 1.22409058593971 },
      { period: '2023', value: 0.923105251247762 },
    ]);
  });

  it('leaves the database exactly as it was when a write fails part-way', async () => {
    await scratch.exec(
      scratch.provider === 'sqlite'
        ? `CREATE TRIGGER fail_late BEFORE INSERT ON "Observation" WHEN NEW.period = '2020' BEGIN SELECT RAISE(ABORT, 'simulated failure'); END`
        : `CREATE FUNCTION fail_late() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF NEW.period = '2020' THEN RAISE EXCEPTION 'simulated failure'; END IF; RETURN NEW; END $$;
           CREATE TRIGGER fail_late BEFORE INSERT ON "Observation" FOR EACH ROW EXECUTE FUNCTION fail_late();`,
    );
    const before = await snapshot(scratch);
    const meta = importMetaSchema.parse(growthMeta);
    await expect(commitImport(db, meta, valuesFromFile(wbFile, meta))).rejects.toThrow(
      /simulated failure/,
    );
    expect(await snapshot(scratch)).toEqual(before);
  });

  it('checks JSON observations for periods and duplicates with row numbers', async () => {
    const meta = importMetaSchema.parse({
      ...growthMeta,
      entities: undefined,
      indicator: 'population-density',
      unit: 'people per km²',
    });
    const report = await previewImport(
      db,
      meta,
      valuesFromObservations('CHN', [
        { period: '2020', value: 150 },
        { period: '20x1', value: 1 },
        { period: '2020', value: 151 },
      ]),
    );
    expect(report.errors.map((e) => [e.row, e.column])).toEqual([
      [2, 'period'],
      [3, 'period'],
    ]);
    expect(report.errors[1]!.reason).toBe('CHN 2020 appears twice (first in row 1)');
  });
});
