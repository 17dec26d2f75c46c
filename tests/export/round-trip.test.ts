import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '@/lib/store';
import { FULL_CSV_HEADER } from '@/lib/export/full-export';
import { fullExportText } from '@/lib/export/full-export-stream';
import { commitImport, commitImports } from '@/lib/import/import-data';
import { groupsFromFullExport, isFullExport } from '@/lib/import/full-csv-import';
import { setArchived } from '@/lib/import/series-writes';
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
  let dbA: Store;
  let dbB: Store;
  beforeEach(async () => {
    [a, b] = await Promise.all([createScratchDb({ seed: true }), createScratchDb()]);
    dbA = a.store;
    dbB = b.store;
  });
  afterEach(() => Promise.all([a.cleanup(), b.cleanup()]));

  it('exports the full CSV, imports it into an empty database, and gets the same observations', async () => {
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
    expect((await commitImport(dbA, growth, valuesFromFile(wb, growth))).ok).toBe(true);
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
      (
        await commitImport(
          dbA,
          awkward,
          valuesFromObservations('CHN', [
            { period: '2020', value: 14225.5 },
            { period: '2021', value: -0.3 },
          ]),
        )
      ).ok,
    ).toBe(true);

    const exported = await fullExportText(dbA);
    expect(isFullExport(exported)).toBe(true);
    const groups = groupsFromFullExport(exported);
    expect(groups.ok).toBe(true);
    if (!groups.ok) return;
    const reports = await commitImports(dbB, groups.items);
    expect(reports.every((r) => r.ok && r.committed)).toBe(true);

    const again = await fullExportText(dbB);
    const before = observations(exported);
    expect(before.length).toBe(6 + 3 * 63 + 2);
    expect(observations(again)).toEqual(before);
    // Korea's name has a comma; the awkward label keeps its text through the round trip.
    expect(before.some((r) => r.includes('Korea, Rep.|KOR'))).toBe(true);
    // The exported cell is neutralised; the imported series got the label back without the apostrophe.
    expect(before.some((r) => r.includes(`|'ok\n=cmd|" /C calc"!A0, a label with "quotes"|`))).toBe(
      true,
    );
    const [label] = await b.query<{ label: string }>(
      `SELECT label FROM "Series" WHERE label LIKE 'ok%'`,
    );
    expect(label!.label).toBe('ok\n=cmd|" /C calc"!A0, a label with "quotes"');
  });

  it('is a no-op when imported into the database it came from', async () => {
    const exported = await fullExportText(dbA);
    const groups = groupsFromFullExport(exported);
    if (!groups.ok) throw new Error(JSON.stringify(groups.problems));
    const reports = await commitImports(dbA, groups.items);
    expect(reports.reduce((n, r) => n + r.counts.added + r.counts.changed, 0)).toBe(0);
    expect(await fullExportText(dbA)).toBe(exported);
  });
});

const root = path.resolve(import.meta.dirname, '..', '..');

/** `npm run import -- <args>` against another database, as a user runs it. */
function npmImport(databaseUrl: string, ...args: string[]) {
  const run = spawnSync('npm', ['run', '--silent', 'import', '--', ...args], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: databaseUrl },
    encoding: 'utf8',
  });
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

/** The rows of a full CSV, keyed by indicator, code, period and series. */
function rowsByKey(csv: string): Map<string, string[]> {
  const [header, ...rows] = parse(csv, { bom: true }) as string[][];
  expect(header).toEqual([...FULL_CSV_HEADER]);
  const byKey = new Map<string, string[]>();
  for (const r of rows) byKey.set([r[0], r[2], r[3], r[7]].join('|'), r);
  expect(byKey.size).toBe(rows.length);
  return byKey;
}

const col = (name: (typeof FULL_CSV_HEADER)[number]) => FULL_CSV_HEADER.indexOf(name);

describe('full export round trip through `npm run import`', () => {
  let a: ScratchDb;
  let b: ScratchDb;
  beforeEach(async () => {
    // b is a database as `npm start` leaves it: migrated, with the article loaded.
    [a, b] = await Promise.all([createScratchDb({ seed: true }), createScratchDb({ seed: true })]);
  });
  afterEach(() => Promise.all([a.cleanup(), b.cleanup()]));

  it('reproduces every column of every row, quotes and cited outlets included', async () => {
    const dbA = a.writer();
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
    expect((await commitImport(dbA, growth, valuesFromFile(wb, growth))).ok).toBe(true);
    // A revised value: A holds it as revision 2.
    const revised = await commitImport(
      dbA,
      { ...growth, entities: undefined, entity: 'KAZ' },
      valuesFromObservations('KAZ', [{ period: '2023', value: 1.5 }]),
    );
    expect(revised.counts).toMatchObject({ added: 0, changed: 1 });
    const awkward = importMetaSchema.parse({
      indicator: 'oil-consumption',
      kind: 'projection',
      unit: 'kb/d',
      entity: 'CHN',
      label: '=HYPERLINK("x") «Ак Жол» 中国, a label with "quotes"\nand two lines',
      source: {
        title: 'Statistical Review, 2024',
        producer: '@Energy Institute',
        citation: '-1 "odd" citation\n=second line',
      },
    });
    expect(
      (
        await commitImport(
          dbA,
          awkward,
          valuesFromObservations('CHN', [
            { period: '2021-03', value: -0.3 },
            { period: '2021-03-15', value: 1e-7 },
            { period: '2022', value: 2.5e21 },
            { period: '2023', value: 14225.5 },
          ]),
        )
      ).ok,
    ).toBe(true);
    // An archived series is not exported, so it does not arrive either.
    const hidden = await commitImport(
      dbA,
      { ...awkward, label: 'Archived before the export' },
      valuesFromObservations('CHN', [{ period: '2020', value: 1 }]),
    );
    await setArchived(dbA, hidden.entities[0]!.seriesId!, true);

    const exported = await fullExportText(dbA);
    const file = path.join(
      fs.mkdtempSync(path.join(os.tmpdir(), 'sourced-round-trip-')),
      'data-full.csv',
    );
    fs.writeFileSync(file, exported);

    const started = new Date();
    const first = npmImport(b.url, file);
    const finished = new Date();
    expect(first.status, first.output).toBe(0);
    // One import per series: the article's six were already there, the rest are new.
    const count = (text: string, line: string) => text.split(line).length - 1;
    expect(count(first.output, 'Nothing to change')).toBe(6);
    expect(count(first.output, 'Saved 63 new values in 1 series.')).toBe(3);
    expect(count(first.output, 'Saved 4 new values in 1 series.')).toBe(1);
    expect(first.output).not.toMatch(/error/i);

    await b.db.$disconnect();
    const fromA = rowsByKey(exported);
    const inB = rowsByKey(await fullExportText(b.writer()));
    // The article's 6, 3 × 63 World Bank values, the 4 awkward ones.
    expect(fromA.size).toBe(6 + 189 + 4);
    expect([...inB.keys()].sort()).toEqual([...fromA.keys()].sort());

    // Spot checks, written out: the exported rows carry what the round trip must keep.
    expect(
      fromA.get('population-density|KAZ|2004|EDM 2004: Chinese foreign minister (Kazakhstan)'),
    ).toEqual([
      'population-density',
      'Kazakhstan',
      'KAZ',
      '2004',
      '5',
      'people per km²',
      'reported',
      'EDM 2004: Chinese foreign minister (Kazakhstan)',
      'Eurasia Daily Monitor',
      'Eurasia Daily Monitor, “China’s Relations With Kazakhstan Are Warming, But To What End?”, Volume 1, Issue 43 (2004).',
      'As the Chinese foreign minister commented to members of the Kazakhstan parliament, “We have 130 people per square kilometer, whereas you have only five” (Ak Zhol Kazakstan, June 11).',
      'Ak Zhol Kazakstan, June 11',
      '2004-06-29T00:00:00.000Z',
      '1',
    ]);
    const label = `'=HYPERLINK("x") «Ак Жол» 中国, a label with "quotes"\nand two lines`;
    expect(fromA.get(`oil-consumption|CHN|2022|${label}`)!.slice(0, 12)).toEqual([
      'oil-consumption',
      'China',
      'CHN',
      '2022',
      '2.5e+21',
      'thousand barrels per day',
      'projection',
      label,
      "'@Energy Institute",
      `'-1 "odd" citation\n=second line`,
      '',
      '',
    ]);
    expect(fromA.get(`oil-consumption|CHN|2021-03-15|${label}`)![col('value')]).toBe('0.0000001');
    expect(fromA.get('population-growth|KAZ|2023|World Bank (Kazakhstan)')!.slice(-1)).toEqual([
      '2',
    ]);
    expect(fromA.get('population-growth|KOR|2010|World Bank (Korea, Rep.)')!.slice(1, 5)).toEqual([
      'Korea, Rep.',
      'KOR',
      '2010',
      '0.49822508440111',
    ]);

    // Every column of every row. Indicator through cited outlet are the same. When and
    // in which revision a row was recorded is this database's history: the article's
    // rows were already here (2004-06-29, revision 1); the imported ones were recorded
    // by this import, as revision 1.
    for (const [key, rowA] of fromA) {
      const rowB = inB.get(key)!;
      expect(rowB.slice(0, col('recorded_at')), key).toEqual(rowA.slice(0, col('recorded_at')));
      if (rowA[col('recorded_at')] === '2004-06-29T00:00:00.000Z') {
        expect(rowB.slice(col('recorded_at')), key).toEqual(['2004-06-29T00:00:00.000Z', '1']);
      } else {
        const at = new Date(rowB[col('recorded_at')]!);
        expect(at >= new Date(started.getTime() - 1000) && at <= finished, key).toBe(true);
        expect(rowB[col('revision')], key).toBe('1');
      }
    }

    // Importing the same file again changes nothing.
    const again = npmImport(b.url, file);
    expect(again.status, again.output).toBe(0);
    expect(count(again.output, 'Nothing to change')).toBe(10);
    expect(again.output).not.toContain('Saved');
  });
});
