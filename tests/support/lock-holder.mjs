// Holds SQLite's write lock on a database, as a second process (a command-line import,
// say) would: `node lock-holder.mjs <file> <ms | until-released> [commit | rollback]`.
// Prints "locked" once it holds the lock. After <ms>, or with `until-released` when a
// line arrives on stdin (or stdin closes), it ends its transaction, committing or
// rolling back a marker row (entity ZZL), prints "released" and exits.
// `until-released` lets a test hold the lock for exactly as long as it needs, without
// depending on timing; a fixed time suits a caller that blocks while it waits.
import Database from 'better-sqlite3';

const [file, hold, end = 'commit'] = process.argv.slice(2);
const db = new Database(file, { timeout: 10_000 });
db.exec('BEGIN IMMEDIATE');
db.prepare(`INSERT OR IGNORE INTO "Entity" (code, name) VALUES ('ZZL', 'Lock holder')`).run();
console.log('locked');

let released = false;
const release = () => {
  if (released) return;
  released = true;
  db.exec(end === 'rollback' ? 'ROLLBACK' : 'COMMIT');
  db.close();
  console.log('released');
  process.exit(0);
};
if (hold === 'until-released') {
  process.stdin.on('data', release);
  process.stdin.on('end', release);
} else {
  setTimeout(release, Number(hold));
}
