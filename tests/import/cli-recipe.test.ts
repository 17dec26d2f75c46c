// `npm run import --save-recipe` saves how a file was read; `--recipe` imports next year's
// file with nothing else named, as revisions of the same series.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createScratchDb, type ScratchDb } from '../support/scratch-db';

const root = path.resolve(import.meta.dirname, '..', '..');

describe('npm run import with recipes', () => {
  let scratch: ScratchDb;
  let dir: string;
  beforeAll(async () => {
    scratch = await createScratchDb();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sourced-cli-recipe-'));
  });
  afterAll(async () => {
    await scratch.cleanup();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const write = (name: string, lines: string[]) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, lines.join('\n') + '\n');
    return file;
  };
  const run = (args: string[]) =>
    spawnSync('npm', ['run', '--silent', 'import', '--', ...args], {
      cwd: root,
      env: { ...process.env, DATABASE_URL: scratch.url },
      encoding: 'utf8',
    });
  const count = async (sql: string) => Number((await scratch.query<{ n: number }>(sql))[0]!.n);

  it('saves a recipe, then imports the next vintage with --recipe alone', async () => {
    const first = write('2024.csv', ['Jahr;Wert', '2021;1,5', '2022;2,5']);
    const saved = run([
      first,
      '--meta',
      write('meta.json', [
        JSON.stringify({
          indicator: {
            slug: 'cli-recipe',
            title: 'CLI recipe',
            unitLong: 'percent',
            unitShort: '%',
          },
          unit: '%',
          entity: 'AUT',
          createEntities: true,
          mapping: { period: 'Jahr', values: ['Wert'] },
          source: {
            title: 'CLI recipe table',
            producer: 'Statistik Austria',
            url: 'https://example.org/at',
          },
        }),
      ]),
      '--save-recipe',
      'yearly',
    ]);
    expect(saved.stderr).toBe('');
    expect(saved.stdout).toContain('Saved the recipe “yearly”.');
    expect(await count('SELECT COUNT(*) AS n FROM "ImportRecipe"')).toBe(1);

    const second = write('2025.csv', ['Jahr;Wert', '2021;1,5', '2022;2,75', '2023;3,0']);
    const again = run([second, '--recipe', 'yearly']);
    expect(again.stderr).toBe('');
    expect(again.stdout).toContain('Recipe “yearly”');
    expect(again.stdout).toContain('AUT Austria: 1 new, 1 revised, 1 unchanged');
    expect(again.status).toBe(0);
    expect(await count('SELECT COUNT(*) AS n FROM "Series"')).toBe(1);
    expect(await count('SELECT COUNT(*) AS n FROM "Observation" WHERE revision = 2')).toBe(1);
  });

  it('names a recipe it does not have and saves nothing', async () => {
    const before = await count('SELECT COUNT(*) AS n FROM "Observation"');
    const result = run([write('x.csv', ['Jahr;Wert', '2030;1']), '--recipe', 'nope']);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('recipe: there is no recipe named "nope"');
    expect(await count('SELECT COUNT(*) AS n FROM "Observation"')).toBe(before);
  });
});
