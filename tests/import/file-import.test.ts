// Files read through a column mapping, through the write path: several series from one file,
// the mapping and encoding in the report, and the scale check.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '@/lib/store';
import { commitFileImport, previewFileImport } from '@/lib/import/file-import';
import { scaleWarnings, suspiciousFactor } from '@/lib/import/scale-check';
import { importsFromFile } from '@/lib/import/sources';
import { importMetaSchema, type ImportMetaInput } from '@/lib/schemas';
import { runWriteJob } from '@/lib/write/write-job';
import { createScratchDb, type ScratchDb } from '../support/scratch-db';

const fixture = (name: string) =>
  new Uint8Array(fs.readFileSync(path.join(__dirname, '..', 'formats', 'fixtures', name)));

const energy: ImportMetaInput = {
  indicator: {
    slug: 'energy-consumption',
    title: 'Energy consumption',
    unitLong: 'exajoules',
    unitShort: 'EJ',
    decimals: 2,
  },
  kind: 'observed',
  unit: 'EJ',
  entities: ['CHN', 'KAZ'],
  source: {
    title: 'Statistical Review of World Energy',
    producer: 'Energy Institute',
    url: 'https://www.energyinst.org/statistical-review',
  },
};

describe('importing files read through a mapping', () => {
  let scratch: ScratchDb;
  let db: Store;
  beforeEach(async () => {
    scratch = await createScratchDb({ seed: true });
    db = scratch.store;
  });
  afterEach(() => scratch.cleanup());

  it('imports two panel columns as two series per entity, in one transaction', async () => {
    const meta = importMetaSchema.parse({
      ...energy,
      mapping: { values: ['oilcons_ej', 'gascons_ej'] },
    });
    const file = importsFromFile(fixture('panel-energy.csv'), meta);
    expect(file.items.map((i) => [i.input.series, i.input.values.length])).toEqual([
      ['oilcons_ej', 6],
      ['gascons_ej', 6],
    ]);
    const preview = await previewFileImport(db, file);
    expect(preview.message).toBe('Ready to save 8 new values in 4 series.');
    expect(preview.file?.mapping).toEqual({
      entity: 'Country',
      code: 'ISO3166_alpha3',
      period: 'Year',
      values: ['oilcons_ej', 'gascons_ej'],
    });
    const report = await commitFileImport(db, file);
    expect(report).toMatchObject({ ok: true, committed: true, format: 'panel' });
    expect(report.entities.map((e) => [e.seriesLabel, e.added])).toEqual([
      ['Energy Institute: oilcons_ej (China)', 2],
      ['Energy Institute: oilcons_ej (Kazakhstan)', 2],
      ['Energy Institute: gascons_ej (China)', 2],
      ['Energy Institute: gascons_ej (Kazakhstan)', 2],
    ]);
    // The world row (no code) was outside the chosen entities, and counted as skipped.
    expect(report.counts).toEqual({ added: 8, changed: 0, unchanged: 0, skipped: 4 });
    const stored = await scratch.query(
      `SELECT s.label, o.period, o.value FROM "Observation" o JOIN "Series" s ON s.id = o."seriesId"
         WHERE s.label LIKE 'Energy Institute: gascons_ej (Kazakhstan)' ORDER BY o.period`,
    );
    expect(stored).toEqual([
      { label: 'Energy Institute: gascons_ej (Kazakhstan)', period: '2020', value: 0.58 },
      { label: 'Energy Institute: gascons_ej (Kazakhstan)', period: '2021', value: 0.62 },
    ]);
    // The same file and mapping again changes nothing.
    expect(
      (await commitFileImport(db, importsFromFile(fixture('panel-energy.csv'), meta))).message,
    ).toBe('Nothing to change: all 8 values are already stored.');
  });

  it('says in the report which encoding, delimiter and numbers were read', async () => {
    const meta = importMetaSchema.parse({
      ...energy,
      indicator: 'population-density',
      unit: 'people per km²',
      entities: undefined,
      createEntities: true,
    });
    const report = await previewFileImport(
      db,
      importsFromFile(fixture('undata-syb-population.csv'), {
        ...meta,
        mapping: { series: ['Population density'] },
      }),
    );
    expect(report.file).toMatchObject({
      encoding: 'windows-1252',
      encodingHow: 'detected',
      delimiter: ',',
      thousands: ',',
      headerRow: 2,
    });
    expect(report.entities.map((e) => [e.code, e.values])).toEqual([
      ['CHN', 2],
      ['CIV', 1],
      ['KAZ', 2],
    ]);
    expect(report.warnings.map((w) => w.reason)).toContain(
      'skipped 1 values of aggregate rows (regions, income groups); name them in "entities" to import them',
    );
  });

  it('refuses a mapping that names no column of the file, saying which there are', async () => {
    const meta = importMetaSchema.parse({ ...energy, mapping: { values: ['coal_ej'] } });
    const report = await previewFileImport(db, importsFromFile(fixture('panel-energy.csv'), meta));
    expect(report.ok).toBe(false);
    expect(report.errors[0]?.reason).toMatch(
      /^mapping\.values: there is no column "coal_ej"; the columns are "Country", "Year"/,
    );
  });

  it('warns in the preview when values are 1000× the stored ones for the same entity', async () => {
    const meta = importMetaSchema.parse({
      indicator: 'population-density',
      kind: 'observed',
      unit: 'people per km²',
      source: energy.source,
    });
    const file = new TextEncoder().encode('country,year,value\nChina,2005,131000\n');
    const outcome = await runWriteJob(db, { type: 'import', meta, file, dryRun: true });
    if (!('report' in outcome)) throw new Error('no report');
    expect(outcome.report.ok).toBe(true);
    expect(outcome.report.warnings.map((w) => w.reason)).toEqual([
      expect.stringMatching(
        /^the new values for CHN are about 1,000× the stored "EDM 2004: .*\(China\)" \(thousands against units\): 2004 is 130 there and 131,000 here\. Check the unit before saving\.$/,
      ),
    ]);
  });

  it('rejects the whole file when one of its series cannot be saved', async () => {
    const meta = importMetaSchema.parse({
      ...energy,
      entities: undefined,
      mapping: { values: ['oilcons_ej', 'gascons_ej'] },
    });
    const before = await scratch.query('SELECT COUNT(*) AS n FROM "Observation"');
    // "Total World" has no code and matches no entity: nothing of either series is saved.
    const report = await commitFileImport(db, importsFromFile(fixture('panel-energy.csv'), meta));
    expect(report.committed).toBe(false);
    expect(report.errors[0]?.reason).toBe(
      '"Total World" has no ISO 3166 alpha-3 code and matches no known entity',
    );
    expect(await scratch.query('SELECT COUNT(*) AS n FROM "Observation"')).toEqual(before);
  });
});

describe('the scale check', () => {
  it('names round factors and unit factors, and nothing else', async () => {
    expect(suspiciousFactor(1000.4)).toEqual({ factor: 1000, what: ' (thousands against units)' });
    expect(suspiciousFactor(0.0011)).toEqual({ factor: 1000, what: ' (thousands against units)' });
    expect(suspiciousFactor(277.5)?.what).toBe(' (TWh against EJ)');
    expect(suspiciousFactor(2.6)?.what).toBe(' (per km² against per mi²)');
    expect(suspiciousFactor(1.15)).toBeNull();
    expect(suspiciousFactor(4.5)).toBeNull();
  });

  it('compares with the same entity, period by period or with the nearest stored year', async () => {
    const stored = [
      {
        entity: 'CHN',
        label: 'EDM 2004 (China)',
        points: [{ period: '2004', x: 2004, value: 130 }],
      },
      {
        entity: 'KAZ',
        label: 'EDM 2004 (Kazakhstan)',
        points: [{ period: '2004', x: 2004, value: 5 }],
      },
    ];
    const warnings = scaleWarnings(stored, [
      { entity: 'CHN', label: '', points: [{ period: '2005', x: 2005, value: 131_000 }] },
      { entity: 'KAZ', label: '', points: [{ period: '2004', x: 2004, value: 5.6 }] },
    ]);
    expect(warnings.map((w) => w.reason)).toEqual([
      'the new values for CHN are about 1,000× the stored "EDM 2004 (China)" (thousands against units): 2004 is 130 there and 131,000 here. Check the unit before saving.',
    ]);
  });
});
