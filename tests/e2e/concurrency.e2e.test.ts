// Many writers at once against one SQLite file: 20 API clients, a second process
// holding the write lock for a while, and a command-line import, all together.
// Every write is either acknowledged and kept, or refused with a clear message.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, inject, it } from 'vitest';
import { densityRows, worldBankFile } from './support/files';

const baseUrl = inject('baseUrl');
const token = inject('editorToken');
const databaseUrl = inject('databaseUrl');
const databaseFile = databaseUrl.replace(/^file:/, '');
const root = path.resolve(import.meta.dirname, '..', '..');

function run(args: string[], env: Record<string, string> = {}) {
  const child = spawn(process.execPath, args, {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  return {
    child,
    output: () => out,
    exit: new Promise<number>((resolve) => child.on('exit', (code) => resolve(code ?? 1))),
  };
}

describe('concurrent writers', () => {
  it('20 API writers, a lock holder and a CLI import: nothing acknowledged is lost', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sourced-concurrency-'));
    const file = path.join(dir, 'API_EN.POP.DNST_DS2_en_csv_v2_9.csv');
    fs.writeFileSync(file, worldBankFile(densityRows()));

    // Another process takes the write lock first and keeps it for 1.5 s.
    const holder = run([
      path.join(root, 'tests', 'support', 'lock-holder.mjs'),
      databaseFile,
      '1500',
    ]);
    await new Promise<void>((resolve) =>
      holder.child.stdout.on('data', (d) => String(d).includes('locked') && resolve()),
    );

    const cli = run(
      [
        '--import',
        'tsx',
        'scripts/import.ts',
        file,
        '--indicator',
        'population-density',
        '--unit',
        'people per km²',
        '--entities',
        'CHN,KAZ',
        '--label',
        'Concurrency CLI import',
        '--source-title',
        'Concurrency CLI import',
        '--producer',
        'World Bank',
        '--url',
        'https://data.worldbank.org/indicator/EN.POP.DNST',
      ],
      { DATABASE_URL: databaseUrl },
    );

    const writers = Array.from({ length: 20 }, (_, i) =>
      fetch(`${baseUrl}/api/series`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({
          indicator: 'population-density',
          entity: i % 2 ? 'CHN' : 'KAZ',
          kind: 'projection',
          label: `Concurrent writer ${i}`,
          unit: 'people per km²',
          source: {
            title: 'Concurrency test',
            producer: 'Sourced tests',
            url: 'https://example.org/concurrency',
          },
          observations: Array.from({ length: 50 }, (_, y) => ({
            period: String(2030 + y),
            value: i * 1000 + y,
          })),
        }),
      }).then(async (res) => ({
        status: res.status,
        body: (await res.json()) as { error?: string; counts?: { added: number } },
      })),
    );
    const results = await Promise.all(writers);
    const [cliExit] = await Promise.all([cli.exit, holder.exit]);

    for (const r of results) {
      expect([201, 503]).toContain(r.status);
      expect(JSON.stringify(r.body)).not.toMatch(/database is locked|SQLITE_BUSY/i);
      if (r.status === 503) expect(r.body.error).toMatch(/busy/);
    }
    const acknowledged = results.filter((r) => r.status === 201);
    expect(cliExit, cli.output()).toBe(0);

    const db = new Database(databaseFile, { readonly: true });
    try {
      const stored = db
        .prepare(
          `SELECT s.label, COUNT(o.id) AS n FROM "Series" s JOIN "Observation" o ON o."seriesId" = s.id
           WHERE s.label LIKE 'Concurrent writer %' GROUP BY s.label`,
        )
        .all() as { label: string; n: number }[];
      expect(stored).toHaveLength(acknowledged.length);
      for (const s of stored) expect(s.n).toBe(50);
      const cliRows = db
        .prepare(
          `SELECT COUNT(*) AS n FROM "Observation" o JOIN "Series" s ON s.id = o."seriesId" JOIN "Source" src ON src.id = s."sourceId"
           WHERE src.title = 'Concurrency CLI import'`,
        )
        .get() as { n: number };
      expect(cliRows.n).toBe(128);
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    } finally {
      db.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
    // With a 1.5 s lock and a 5 s busy timeout, every writer should get through.
    expect(acknowledged).toHaveLength(20);
  });
});
