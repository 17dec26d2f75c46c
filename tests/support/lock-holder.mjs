// Holds SQLite's write lock on a database, as a second process (a command-line import,
// say) would, until told to let go: `node lock-holder.mjs <file> [commit|rollback]`.
// Prints "locked" once it holds the lock; a line on stdin (or stdin closing) ends its
// transaction (committing a marker row, or rolling it back) and it prints "released".
// Held until released, not for a fixed time, so tests do not depend on timing.
import Database from 'better-sqlite3';

const [file, end = 'commit'] = process.argv.slice(2);
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
process.stdin.on('data', release);
process.stdin.on('end', release);
