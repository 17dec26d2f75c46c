// Holds SQLite's write lock on a database for a while, as a second process (a
// command-line import, say) would: `node lock-holder.mjs <file> <ms>`. Prints
// "locked" once it holds the lock.
import Database from 'better-sqlite3';

const [file, ms] = process.argv.slice(2);
const db = new Database(file, { timeout: 10_000 });
db.exec('BEGIN IMMEDIATE');
db.prepare(`INSERT INTO "Entity" (code, name) VALUES ('ZZL', 'Lock holder')`).run();
console.log('locked');
setTimeout(() => {
  db.exec('COMMIT');
  db.close();
}, Number(ms));
