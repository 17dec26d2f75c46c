// `npm run import` reads the file as a stream: a file past the first megabyte imports whole,
// and a bad row near its end is named (row, field, reason) with nothing saved.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DAILY_ENTITIES } from '../support/fixtures';
import { createScratchDb, type ScratchDb } from '../support/scratch-db';

const root = path.resolve(import.meta.dirname, '..', '..');

const meta = {
  indicator: { slug: 'cli-daily', title: 'CLI daily', unitLong: 'index points', unitShort: 'pts' },
  kind: 'observed',
  unit: 'index points',
  createEntities: true,
  source: { title: 'CLI test', producer: 'Sourced tests', url: 'https://example.org/cli' },
};

const DAYS = 6000;
const day = (d: number) =>
  new Date(Date.UTC(2000, 0, 1) + d * 86_400_000).toISOString().slice(0, 10);

describe('npm run import on a large file', () => {
  let scratch: ScratchDb;
  let dir: string;
  beforeAll(async () => {
    scratch = await createScratchDb({ seed: true });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sourced-cli-'));
    fs.writeFileSync(path.join(dir, 'meta.json'), JSON.stringify(meta));
  });
  afterAll(async () => {
    await scratch.cleanup();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const write = (name: string, rows: string[]) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, ['entity,code,period,value', ...rows].join('\n') + '\n');
    return file;
  };
  const rows = () => {
    const out: string[] = [];
    for (const [name, code] of DAILY_ENTITIES)
      for (let d = 0; d < DAYS; d++) out.push(`${name},${code},${day(d)},${(d * 0.25).toFixed(2)}`);
    return out;
  };
  const run = (file: string, env: Record<string, string> = {}) =>
    spawnSync(
      'npm',
      ['run', '--silent', 'import', '--', file, '--meta', path.join(dir, 'meta.json')],
      {
        cwd: root,
        env: { ...process.env, DATABASE_URL: scratch.url, ...env },
        encoding: 'utf8',
      },
    );
  const stored = async () =>
    (
      await scratch.query<{ n: number }>(
        `SELECT COUNT(*) AS n FROM "Observation" o JOIN "Series" s ON s.id = o."seriesId"
         JOIN "Indicator" i ON i.id = s."indicatorId" WHERE i.slug = 'cli-daily'`,
      )
    )[0]!.n;

  it('names a bad row near the end of the file and saves nothing', async () => {
    const lines = rows();
    lines[lines.length - 3] = `Chile,CHL,${day(DAYS - 3)},about 4`;
    const file = write('bad.csv', lines);
    expect(fs.statSync(file).size).toBeGreaterThan(1024 * 1024);
    const result = run(file);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(
      `error: row ${lines.length - 1}, column "value": "about 4" is not a number`,
    );
    expect(await stored()).toBe(0);
  });

  it('imports every row of it', async () => {
    const file = write('good.csv', rows());
    // A local file is not an upload: the server's size and row limits do not apply to it.
    const result = run(file, { SOURCED_MAX_UPLOAD_MB: '1', SOURCED_MAX_ROWS: '1000' });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain(
      `Saved ${(8 * DAYS).toLocaleString('en-US')} new values in 8 series.`,
    );
    expect(await stored()).toBe(8 * DAYS);
    // Again: every value is already stored.
    const again = run(file);
    expect(again.stdout).toContain(
      `Nothing to change: all ${(8 * DAYS).toLocaleString('en-US')} values are already stored.`,
    );
    expect(await stored()).toBe(8 * DAYS);
  });
});
