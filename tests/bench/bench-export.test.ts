// A small export bench (scripts/bench/export.ts): the whole-database export with full
// provenance and the raw baseline, on a scratch database of a few thousand
// observations plus the founding article. Correctness only; no timing is asserted.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FULL_CSV_HEADER } from '@/lib/export/full-export';
import {
  checkFullExport,
  checkRawExport,
  prepareExportDb,
  runExportBench,
  runFullExport,
  runRawExport,
  scanCsv,
  type ExportDb,
} from '@/scripts/bench/export';

const VALUES = 2000;
const SLUG = 'bench-indicator';
const QUOTE = FULL_CSV_HEADER.indexOf('quote');

describe('the export benchmark, small', () => {
  let dir: string;
  let db: ExportDb;
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sourced-bench-export-test-'));
    db = await prepareExportDb(path.join(dir, 'export.db'), VALUES);
  });
  afterAll(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('fills a scratch database with the bench observations beside the article', () => {
    expect(db.values).toBe(VALUES);
    expect(db.series).toBe(Math.ceil(VALUES / 64));
    // The founding article: six current observations, each read from a quote.
    expect(db.otherCurrentRows).toBe(6);
    expect(db.quotedRows).toBe(6);
    expect(db.allRows).toBe(VALUES + db.otherCurrentRows);
  });

  it('exports the whole database with provenance, the article rows and their quotes included', () => {
    const out = path.join(dir, 'full.csv');
    const run = runFullExport(db.url, out);
    expect(run.phase).toBe('full');
    expect(run.bytes).toBe(fs.statSync(out).size);

    const text = fs.readFileSync(out, 'utf8');
    expect(text.startsWith('\uFEFF')).toBe(true);
    const records = parse(text.slice(1), { relaxColumnCount: true }) as string[][];
    expect(records[0]).toEqual([...FULL_CSV_HEADER]);
    const rows = records.slice(1);
    expect(rows).toHaveLength(VALUES + 6);
    expect(rows.every((r) => r.length === FULL_CSV_HEADER.length)).toBe(true);
    const bench = rows.filter((r) => r[0] === SLUG);
    expect(bench).toHaveLength(VALUES);
    // The bench's generator is seeded: its first three draws are written here as the
    // export must print them (full precision, no float noise).
    const citation = 'World Bank, “Bench WDI” (n.d.). https://example.org/bench';
    const columns = [SLUG, 'Benchland AAA', 'AAA'];
    const after = ['annual %', 'observed', 'bench AAA', 'World Bank', citation, '', ''];
    expect(bench.slice(0, 3).map((r) => r.slice(0, 12))).toEqual([
      [...columns, '1960', '0.488189965486526', ...after],
      [...columns, '1961', '2.41805180162191', ...after],
      [...columns, '1962', '4.3012652695179', ...after],
    ]);
    expect(bench[0]![13]).toBe('1');
    const article = rows.filter((r) => r[0] !== SLUG);
    expect(article).toHaveLength(6);
    expect(article.every((r) => r[QUOTE]!.length > 0)).toBe(true);

    // The bench's own scan counts the same as a real CSV parser.
    const scan = scanCsv(out, SLUG, QUOTE);
    expect(scan).toMatchObject({
      bom: true,
      header: FULL_CSV_HEADER.join(','),
      records: rows.length,
      firstFieldMatches: VALUES,
      filledQuoteField: 6,
      wrongWidth: 0,
      truncated: false,
    });
    expect(checkFullExport(scan, db)).toEqual([]);
  });

  it('writes the raw baseline: every observation row, comma-joined', () => {
    const out = path.join(dir, 'raw.csv');
    const run = runRawExport(db.url, out);
    expect(run.phase).toBe('raw');
    const lines = fs.readFileSync(out, 'utf8').split('\r\n');
    expect(lines[0]).toBe('seriesId,period,value,revision,recordedAt');
    expect(lines.at(-1)).toBe('');
    expect(lines).toHaveLength(db.allRows + 2);
    expect(checkRawExport(scanCsv(out, '', 0), db)).toEqual([]);
  });

  it('scans quoted fields with line breaks and doubled quotes as a CSV parser does', () => {
    const file = path.join(dir, 'tricky.csv');
    const text =
      'a,b,c\r\n' +
      'x,"line one\r\nline two",\r\n' +
      'x,"say ""hi"", then\nleave",q\r\n' +
      'xy,,\r\n' +
      '"x",1,2\r\n' +
      'x,1\r\n';
    fs.writeFileSync(file, text);
    const parsed = parse(text, { relaxColumnCount: true }) as string[][];
    expect(parsed).toHaveLength(6);
    expect(scanCsv(file, 'x', 2)).toEqual({
      bom: false,
      header: 'a,b,c',
      records: 5,
      // "xy" is not x, and a quoted "x" is not counted as the bare slug.
      firstFieldMatches: 3,
      filledQuoteField: 2,
      wrongWidth: 1,
      truncated: false,
    });
    fs.writeFileSync(file, 'a,b\r\nx,"open\r\n');
    expect(scanCsv(file, 'x', 1).truncated).toBe(true);
  });

  it('runs the whole export bench at two sizes and finds nothing wrong', async () => {
    const result = await runExportBench({ sizes: [500, VALUES], dir, inProcess: true });
    expect(result.problems).toEqual([]);
    expect(result.pass.correct).toBe(true);
    expect(result.sizes.map((x) => x.exportRows)).toEqual([506, VALUES + 6]);
    expect(result.sizes.map((x) => x.rawRows)).toEqual([506, VALUES + 6]);
    // Two alternating runs of each side by default; the fastest counts.
    for (const x of result.sizes) {
      expect(x.full.runsMs).toHaveLength(2);
      expect(x.full.ms).toBe(Math.min(...x.full.runsMs));
    }
    // The summary is the largest size's ratio, and peak RSS growth is largest ÷ smallest.
    const [small, large] = result.sizes;
    for (const x of result.sizes) expect(x.ratio).toBe(x.full.ms / x.raw.ms);
    expect(result.ratio).toBe(large!.ratio);
    expect(result.rssGrowth).toBe(large!.full.peakRssMB / small!.full.peakRssMB);
    expect(result.rawRssGrowth).toBe(large!.raw.peakRssMB / small!.raw.peakRssMB);
    expect(result.pass.ratio).toBe(result.ratio <= result.targets.ratio);
    // Only the scratch database of the first test is left.
    expect(fs.readdirSync(dir).filter((f) => f.startsWith('export-'))).toEqual([]);
  });

  it('runs as a command (bench.ts --only export) and reports JSON', () => {
    const child = spawnSync(
      process.execPath,
      [
        '--experimental-wasm-modules',
        '--disable-warning=ExperimentalWarning',
        '--import',
        'tsx',
        path.resolve(import.meta.dirname, '..', '..', 'scripts', 'bench', 'run.ts'),
        '--only',
        'export',
        '--export-sizes',
        String(VALUES),
        '--export-repeat',
        '1',
        '--json',
      ],
      { encoding: 'utf8' },
    );
    expect(child.stderr).toBe('');
    expect(child.status).toBe(0);
    const output = JSON.parse(child.stdout) as {
      import: null;
      export: {
        sizes: {
          values: number;
          exportRows: number;
          raw: { ms: number; runsMs: number[] };
          full: { ms: number; runsMs: number[] };
        }[];
        ratio: number;
        rssGrowth: number | null;
        problems: string[];
      };
    };
    expect(output.import).toBeNull();
    expect(output.export.problems).toEqual([]);
    expect(output.export.sizes).toHaveLength(1);
    expect(output.export.sizes[0]!.exportRows).toBe(VALUES + 6);
    expect(output.export.sizes[0]!.full.runsMs).toHaveLength(1);
    const [only] = output.export.sizes;
    expect(output.export.ratio).toBe(only!.full.ms / only!.raw.ms);
    expect(output.export.rssGrowth).toBeNull();
  });
});
