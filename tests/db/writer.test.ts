import { spawn } from 'node:child_process';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DatabaseBusyError } from '@/lib/db/errors';
import { SqliteStore } from '@/lib/store/sqlite';
import { createScratchDb, testProvider, type ScratchDb } from '../support/scratch-db';

const holder = path.resolve(import.meta.dirname, '..', 'support', 'lock-holder.mjs');

/** The production write store on the scratch file, with its connection's busy timeout. */
function storeOn(file: string, timeout: number): SqliteStore {
  return new SqliteStore(`file:${file}`, new Database(file, { timeout }));
}

const insert = (code: string) => (store: SqliteStore) =>
  store.write([], async () => {
    store.connection.prepare(`INSERT INTO "Entity" (code, name) VALUES (?, ?)`).run(code, code);
  });

/**
 * Starts a second process that holds the write lock for `ms`, or until `release()`;
 * `locked` resolves once it holds it.
 */
function holdLock(file: string, hold: number | 'until-released') {
  const child = spawn(process.execPath, [holder, file, String(hold)], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const locked = new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (d) => String(d).includes('locked') && resolve());
    child.on('exit', (code) => code !== 0 && reject(new Error(`lock holder exited ${code}`)));
  });
  const done = new Promise((r) => child.on('exit', r));
  const release = () => {
    child.stdin.end('release\n');
    return done;
  };
  return { locked, done, release };
}

// SQLite's own writer: PostgreSQL's busy and concurrent cases are in postgres-store.test.ts.
describe.skipIf(testProvider !== 'sqlite')('the serialized writer', () => {
  let scratch: ScratchDb;
  beforeEach(async () => {
    scratch = await createScratchDb();
  });
  afterEach(() => scratch.cleanup());

  it('waits for another process’s lock, then writes', async () => {
    // The write blocks this process while it waits, so the holder lets go on its own:
    // after 300 ms, against a 5 s busy timeout.
    const store = storeOn(scratch.file, 5000);
    const db = store.connection;
    const { locked, done } = holdLock(scratch.file, 300);
    await locked;
    await insert('AAA')(store);
    await done;
    expect(db.prepare('SELECT code FROM "Entity" ORDER BY code').all()).toEqual([
      { code: 'AAA' },
      { code: 'ZZL' },
    ]);
    db.close();
  });

  it('fails whole with a clear message when the lock is held too long, and keeps working after', async () => {
    // Held until the write has given up, however long its three attempts take.
    const store = storeOn(scratch.file, 50);
    const db = store.connection;
    const { locked, release } = holdLock(scratch.file, 'until-released');
    await locked;
    let caught: unknown;
    try {
      await insert('BBB')(store);
    } catch (error) {
      caught = error;
    }
    await release();
    expect(caught).toBeInstanceOf(DatabaseBusyError);
    expect(String((caught as Error).message)).not.toMatch(/locked/i);
    // The failure must not leave the connection inside a transaction (prisma/orm#29933).
    expect(db.inTransaction).toBe(false);
    await insert('CCC')(store);
    const other = new Database(scratch.file, { readonly: true });
    expect(other.prepare('SELECT code FROM "Entity" ORDER BY code').all()).toEqual([
      { code: 'CCC' },
      { code: 'ZZL' },
    ]);
    other.close();
    db.close();
  });

  it('rolls back everything when the work throws', async () => {
    const store = storeOn(scratch.file, 5000);
    const db = store.connection;
    await expect(
      store.write([], async () => {
        db.prepare(`INSERT INTO "Entity" (code, name) VALUES ('DDD', 'd')`).run();
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(db.prepare('SELECT COUNT(*) AS n FROM "Entity"').get()).toEqual({ n: 0 });
    db.close();
  });
});
