// Holds a database's write lock, as a second process (a command-line import, say)
// would: `node lock-holder.mjs <file | postgresql://…> <ms | until-released>
// [commit | rollback] [lock key]`. On SQLite it takes the file's write lock; on
// PostgreSQL the advisory lock a write to an indicator takes (the key from
// lib/store/postgres.ts indicatorLockKey). Prints "locked" once it holds the lock.
// After <ms>, or with `until-released` when a line arrives on stdin (or stdin closes),
// it ends its transaction, committing or rolling back a marker row (entity ZZL),
// prints "released" and exits. `until-released` lets a test hold the lock for exactly
// as long as it needs, without depending on timing.
import Database from 'better-sqlite3';
import pg from 'pg';

const [target, hold, end = 'commit', key = 'sourced:indicator:population-density'] =
  process.argv.slice(2);

let finish;
if (/^postgres(ql)?:\/\//.test(target)) {
  const client = new pg.Client({ connectionString: target });
  await client.connect();
  await client.query('BEGIN');
  await client.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [key]);
  await client.query(
    `INSERT INTO "Entity" (code, name) VALUES ('ZZL', 'Lock holder') ON CONFLICT (code) DO NOTHING`,
  );
  finish = async () => {
    await client.query(end === 'rollback' ? 'ROLLBACK' : 'COMMIT');
    await client.end();
  };
} else {
  const db = new Database(target, { timeout: 10_000 });
  db.exec('BEGIN IMMEDIATE');
  db.prepare(`INSERT OR IGNORE INTO "Entity" (code, name) VALUES ('ZZL', 'Lock holder')`).run();
  finish = async () => {
    db.exec(end === 'rollback' ? 'ROLLBACK' : 'COMMIT');
    db.close();
  };
}
console.log('locked');

let released = false;
const release = async () => {
  if (released) return;
  released = true;
  await finish();
  console.log('released');
  process.exit(0);
};
if (hold === 'until-released') {
  process.stdin.on('data', release);
  process.stdin.on('end', release);
} else {
  setTimeout(release, Number(hold));
}
