// Many writers at once against one database (a SQLite file, or PostgreSQL with
// TEST_DATABASE): API clients split across two app servers on that database, a second
// process holding the write lock (SQLite's, or PostgreSQL's advisory lock on the
// indicator), and a command-line import. Every write is either acknowledged and kept,
// or refused whole with 503 and a retry hint.
//
// Neither case depends on timing. A write waits for another process's lock up to the
// busy timeout (5 s), three times (lib/store/sqlite.ts), or PostgreSQL's lock timeout
// (SOURCED_PG_LOCK_TIMEOUT_MS, 15 s): 15 s in all. The first case lets
// the lock go about a second after its writers are sent, far inside that; the second
// holds it until the refused write has been answered.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { indicatorLockKey } from '../../lib/store/postgres';
import { queryDatabase } from './support/db';
import { densityRows, worldBankFile } from './support/files';

const baseUrl = inject('baseUrl');
const secondUrl = inject('secondUrl');
const token = inject('editorToken');
const databaseUrl = inject('databaseUrl');
const onSqlite = databaseUrl.startsWith('file:');
const root = path.resolve(import.meta.dirname, '..', '..');

function run(args: string[], env: Record<string, string> = {}) {
  const child = spawn(process.execPath, args, {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
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

/** A second process that holds the write lock until `release()`. */
async function holdWriteLock(end: 'commit' | 'rollback') {
  const holder = run([
    path.join(root, 'tests', 'support', 'lock-holder.mjs'),
    onSqlite ? databaseUrl.replace(/^file:/, '') : databaseUrl,
    'until-released',
    end,
    indicatorLockKey('population-density'),
  ]);
  await new Promise<void>((resolve, reject) => {
    holder.child.stdout.on('data', () => holder.output().includes('locked') && resolve());
    holder.exit.then((code) =>
      reject(new Error(`lock holder exited (${code}): ${holder.output()}`)),
    );
  });
  return {
    release: async () => {
      holder.child.stdin.end('release\n');
      expect(await holder.exit, holder.output()).toBe(0);
      expect(holder.output()).toContain('released');
    },
  };
}

function query<T>(sql: string): Promise<T[]> {
  return queryDatabase<T>(databaseUrl, sql);
}

/** Every row of every table, to prove a refused write changed nothing. */
async function snapshot() {
  const tables = ['Source', 'Quote', 'Indicator', 'Entity', 'Series', 'Observation'];
  const rows = [];
  for (const t of tables) rows.push([t, await query(`SELECT * FROM "${t}" ORDER BY id`)]);
  return Object.fromEntries(rows);
}

function seriesBody(label: string, entity: string, base: number) {
  return JSON.stringify({
    indicator: 'population-density',
    entity,
    kind: 'projection',
    label,
    unit: 'people per km²',
    source: {
      title: 'Concurrency test',
      producer: 'Sourced tests',
      url: 'https://example.org/concurrency',
    },
    observations: Array.from({ length: 50 }, (_, y) => ({
      period: String(2030 + y),
      value: base + y,
    })),
  });
}

function postSeries(body: string, server = baseUrl) {
  return fetch(`${server}/api/series`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body,
  });
}

describe('concurrent writers', () => {
  it('20 API writers on two servers and a CLI import wait out another process’s lock, and all are kept', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sourced-concurrency-'));
    const file = path.join(dir, 'API_EN.POP.DNST_DS2_en_csv_v2_9.csv');
    fs.writeFileSync(file, worldBankFile(densityRows()));

    const lock = await holdWriteLock('commit');
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
      // Odd writers go through the second app server on the same database.
      postSeries(
        seriesBody(`Concurrent writer ${i}`, i % 2 ? 'CHN' : 'KAZ', i * 1000),
        i % 2 ? secondUrl : baseUrl,
      ).then(async (res) => ({
        status: res.status,
        body: (await res.json()) as { error?: string },
      })),
    );
    await new Promise((r) => setTimeout(r, 1000));
    await lock.release();
    const results = await Promise.all(writers);
    const cliExit = await cli.exit;

    try {
      expect(results.map((r) => [r.status, r.body.error])).toEqual(
        Array.from({ length: 20 }, () => [201, undefined]),
      );
      expect(cliExit, cli.output()).toBe(0);
      expect(cli.output()).toContain('Saved 128 new values in 2 series.');
      const stored = await query<{ label: string; n: number }>(
        `SELECT s.label, COUNT(o.id) AS n FROM "Series" s JOIN "Observation" o ON o."seriesId" = s.id
         WHERE s.label LIKE 'Concurrent writer %' GROUP BY s.label ORDER BY s.label`,
      );
      expect(stored).toHaveLength(20);
      expect(stored.every((s) => s.n === 50)).toBe(true);
      const cliRows = await query<{ n: number }>(
        `SELECT COUNT(*) AS n FROM "Observation" o JOIN "Series" s ON s.id = o."seriesId" JOIN "Source" src ON src.id = s."sourceId"
         WHERE src.title = 'Concurrency CLI import'`,
      );
      expect(cliRows).toEqual([{ n: 128 }]);
      // The lock holder's own write was kept too.
      expect(await query(`SELECT code, name FROM "Entity" WHERE code = 'ZZL'`)).toEqual([
        { code: 'ZZL', name: 'Lock holder' },
      ]);
      if (onSqlite)
        expect(await query(`PRAGMA integrity_check`)).toEqual([{ integrity_check: 'ok' }]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('answers 503 with Retry-After and writes nothing while another process keeps the lock', async () => {
    const before = await snapshot();
    const body = seriesBody('Refused while busy', 'CHN', 0);
    const lock = await holdWriteLock('rollback');
    let refused: Response;
    try {
      refused = await postSeries(body);
    } finally {
      await lock.release();
    }
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('2');
    expect(await refused.json()).toEqual({
      error:
        'The database is busy with another write (an import may be running). Nothing was saved; try again shortly.',
    });
    expect(await snapshot()).toEqual(before);

    // Once the lock is gone, the same request goes through.
    const retried = await postSeries(body);
    expect(retried.status).toBe(201);
    expect(
      await query(
        `SELECT COUNT(*) AS n FROM "Observation" o JOIN "Series" s ON s.id = o."seriesId" WHERE s.label = 'Refused while busy'`,
      ),
    ).toEqual([{ n: 50 }]);
  });
});
