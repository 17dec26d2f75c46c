// A small PostgreSQL part of `npm run bench` (scripts/bench/postgres.ts), on the test
// server: the import runs, both raw baselines and the export, checked for correctness
// only (the same rows in the raw baseline, the same bytes as the SQLite export).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runPostgresBench } from '@/scripts/bench/postgres';
import { testServer } from '../support/scratch-db';

describe.skipIf(!testServer)('the PostgreSQL benchmark, small', () => {
  it('imports, exports and measures both baselines without a problem', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sourced-bench-pg-'));
    try {
      const result = await runPostgresBench({
        server: testServer!,
        values: 3000,
        dir,
        log: () => {},
      });
      expect(result.problems).toEqual([]);
      expect(result.export.sameAsSqlite).toBe(true);
      expect(result.export.rawRows).toBe(result.export.rows);
      // The baseline writes the same data: a file of the same order of size.
      expect(result.export.rawBytes).toBeGreaterThan(result.export.bytes / 2);
      expect(result.export.narrowBytes).toBeLessThan(result.export.rawBytes);
      expect(result.import.values).toBeGreaterThan(2500);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
