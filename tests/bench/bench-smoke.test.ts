// A small `npm run bench` (scripts/bench/run.ts): the same generated World Bank file, the
// same import runs and the same raw baseline, checked for correctness only. Timings
// on a CI machine mean nothing, so none is asserted.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDataFile } from '@/lib/formats';
import {
  checkImportRuns,
  checkRawPhase,
  prepareDb,
  rowsFor,
  runImportPhase,
  runRawPhase,
  writeBenchFiles,
  YEARS,
  type BenchFiles,
  type ImportRuns,
} from '@/scripts/bench/lib';

const VALUES = 2000;

describe('the import benchmark, small', () => {
  let dir: string;
  let files: BenchFiles;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sourced-bench-test-'));
    files = writeBenchFiles(dir, VALUES);
  });
  afterAll(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('generates a file in the World Bank download format', () => {
    const bytes = fs.readFileSync(files.base);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = bytes.toString('utf8').slice(1).split('\n');
    expect(lines.slice(0, 4)).toEqual([
      '"Data Source","World Development Indicators",',
      '',
      '"Last Updated Date","2024-06-28",',
      '',
    ]);
    expect(lines[4]).toMatch(
      /^"Country Name","Country Code","Indicator Name","Indicator Code","1960",.*"2023",$/,
    );
    expect(lines[5]).toMatch(
      /^"Benchland AAA","AAA","Bench indicator \(annual %\)","BENCH.IND",(".*",)+$/,
    );
    expect(files.rows).toBe(rowsFor(VALUES));
    expect(files.cells).toBe(files.rows * YEARS);
    // About 2% missing, about 1% of the rest changed in the revised file.
    expect(files.values).toBeGreaterThan(files.cells * 0.95);
    expect(files.values).toBeLessThan(files.cells);
    expect(files.changed).toBeGreaterThan(0);
    expect(files.changed).toBeLessThan(files.values * 0.05);

    const parsed = parseDataFile(bytes);
    expect(parsed.format).toBe('worldbank');
    expect(parsed.problems).toEqual([]);
    expect(parsed.values).toHaveLength(files.values);
    expect(parsed.meta.missing).toBe(files.cells - files.values);
    expect(parsed.values.some((v) => v.isAggregate)).toBe(false);
  });

  it('imports, re-imports and revises through the real path, and the raw baseline inserts the same rows', async () => {
    const importUrl = await prepareDb(path.join(dir, 'import.db'));
    const rawUrl = await prepareDb(path.join(dir, 'raw.db'));
    const runs: ImportRuns = {
      first: await runImportPhase(importUrl, files.base, 'first'),
      identical: await runImportPhase(importUrl, files.base, 'identical'),
      revised: await runImportPhase(importUrl, files.revised, 'revised'),
    };
    const expected = { values: files.values, changed: files.changed };
    expect(checkImportRuns(runs, expected)).toEqual([]);
    expect(runs.first.result.counts.added).toBe(files.values);
    expect(runs.revised.result.counts.changed).toBe(files.changed);

    const raw = runRawPhase(rawUrl, VALUES);
    expect(raw.rows).toBe(files.values);
    expect(checkRawPhase(raw, runs.first, expected)).toEqual([]);
  });

  // A child process that runs the whole small benchmark: a minute on a busy machine.
  it('runs as a command and reports JSON', { timeout: 180_000 }, () => {
    const child = spawnSync(
      process.execPath,
      [
        '--experimental-wasm-modules',
        '--disable-warning=ExperimentalWarning',
        '--import',
        'tsx',
        path.resolve(import.meta.dirname, '..', '..', 'scripts', 'bench', 'run.ts'),
        '--only',
        'import',
        '--values',
        String(VALUES),
        '--json',
      ],
      { encoding: 'utf8' },
    );
    expect(child.stderr).toBe('');
    expect(child.status).toBe(0);
    const output = JSON.parse(child.stdout) as {
      import: {
        file: { values: number; changedInRevised: number };
        revisedReimport: { counts: { changed: number } };
        import: { counts: { added: number }; totalMs: number };
        raw: { rows: number; insertMs: number };
        ratio: number;
        problems: string[];
      };
      export: null;
    };
    expect(output.export).toBeNull();
    const result = output.import;
    expect(result.problems).toEqual([]);
    expect(result.import.counts.added).toBe(result.file.values);
    expect(result.revisedReimport.counts.changed).toBe(result.file.changedInRevised);
    expect(result.raw.rows).toBe(result.file.values);
    // The ratio is the real import's time over the raw insert's, both of the same rows.
    expect(result.ratio).toBe(result.import.totalMs / result.raw.insertMs);
  });
});
