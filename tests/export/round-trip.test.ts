import fs from 'node:fs';
import { parse } from 'csv-parse/sync';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { WriterDb } from '@/lib/db';
import { FULL_CSV_HEADER, fullExportText } from '@/lib/export/full-export';
import { commitImport, commitImports } from '@/lib/import/import-data';
import { groupsFromFullExport, isFullExport } from '@/lib/import/full-csv-import';
import { valuesFromFile, valuesFromObservations } from '@/lib/import/sources';
import { importMetaSchema } from '@/lib/schemas';
import { WB_FIXTURE } from '../support/fixtures';
import { createScratchDb, type ScratchDb } from '../support/scratch-db';

const wb = fs.readFileSync(WB_FIXTURE);

/**
 * The observations of an export: indicator through citation. Left out: when and in
 * which revision they were written, and the article quotes, which link to Quote rows
 * only a database holding that source's quotes has.
 */
function observations(csv: string) {
  const [header, ...rows] = parse(csv, { bom: true }) as string[][];
  expect(header).toEqual([...FULL_CSV_HEADER]);
  return rows.map((r) => r.slice(0, 10).join('|')).sort();
}

describe('full export round trip', () => {
  let a: ScratchDb;
  let b: ScratchDb;
  let dbA: WriterDb;
  let dbB: WriterDb;
  beforeEach(async () => {
    [a, b] = await Promise.all([createScratchDb({ seed: true }), createScratchDb()]);
    dbA = a.writer();
    dbB = b.writer();
  });
  afterEach(() => Promise.all([a.cleanup(), b.cleanup()]));

  it('exports the full CSV, imports it into an empty database, and gets the same observations', () => {
    const growth = importMetaSchema.parse({
      indicator: {
        slug: 'population-growth',
        title: 'Population growth',
        unitLong: 'annual %',
        unitShort: '%',
        decimals: 2,
      },
      kind: 'observed',
      unit: '%',
      entities: ['CHN', 'KAZ', 'KOR'],
      createEntities: true,
      source: {
        title: 'World Development Indicators',
        producer: 'World Bank',
        url: 'https://data.worldbank.org',
        license: 'CC BY 4.0',
      },
    });
    expect(commitImport(dbA, growth, valuesFromFile(wb, growth)).ok).toBe(true);
    const awkward = importMetaSchema.parse({
      indicator: 'oil-consumption',
      kind: 'observed',
      unit: 'kb/d',
      entity: 'CHN',
      label: 'ok\n=cmd|" /C calc"!A0, a label with "quotes"',
      source: {
        title: 'Statistical Review, 2024',
        producer: '@Energy Institute',
        citation: '-1 "odd" citation\n=second line',
      },
    });
    expect(
      commitImport(
        dbA,
        awkward,
        valuesFromObservations('CHN', [
          { period: '2020', value: 14225.5 },
          { period: '2021', value: -0.3 },
        ]),
      ).ok,
    ).toBe(true);

    const exported = fullExportText(dbA);
    expect(isFullExport(exported)).toBe(true);
    const groups = groupsFromFullExport(exported);
    expect(groups.ok).toBe(true);
    if (!groups.ok) return;
    const reports = commitImports(dbB, groups.items);
    expect(reports.every((r) => r.ok && r.committed)).toBe(true);

    const again = fullExportText(dbB);
    const before = observations(exported);
    expect(before.length).toBe(6 + 3 * 63 + 2);
    expect(observations(again)).toEqual(before);
    // Korea's name has a comma; the awkward label keeps its text through the round trip.
    expect(before.some((r) => r.includes('Korea, Rep.|KOR'))).toBe(true);
    // The exported cell is neutralised; the imported series got the label back without the apostrophe.
    expect(before.some((r) => r.includes(`|'ok\n=cmd|" /C calc"!A0, a label with "quotes"|`))).toBe(
      true,
    );
    const label = dbB.prepare(`SELECT label FROM "Series" WHERE label LIKE 'ok%'`).get() as {
      label: string;
    };
    expect(label.label).toBe('ok\n=cmd|" /C calc"!A0, a label with "quotes"');
  });

  it('is a no-op when imported into the database it came from', () => {
    const exported = fullExportText(dbA);
    const groups = groupsFromFullExport(exported);
    if (!groups.ok) throw new Error(JSON.stringify(groups.problems));
    const reports = commitImports(dbA, groups.items);
    expect(reports.reduce((n, r) => n + r.counts.added + r.counts.changed, 0)).toBe(0);
    expect(fullExportText(dbA)).toBe(exported);
  });
});
