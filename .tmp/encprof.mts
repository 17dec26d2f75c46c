import Database from 'better-sqlite3';
import { fullExportCsv } from '../lib/export/full-export.ts';
const db = new Database('/work/scale/1M.db', { readonly: true });
db.exec('BEGIN');
for (let r = 0; r < 2; r++) {
  const t = performance.now();
  let n = 0;
  for (const c of fullExportCsv(db, undefined, {})) n += c.length;
  console.log('encode', (performance.now() - t).toFixed(0), 'ms', n);
}
const t = performance.now();
let k = 0;
for (const row of db.prepare('SELECT o."seriesId", o.period, o.value, o."quoteId", o."recordedAt", o.revision FROM "Observation" o WHERE o."supersededAt" IS NULL ORDER BY o."seriesId", o.period').raw(true).iterate()) k++;
console.log('iterate only (ordered)', (performance.now() - t).toFixed(0), k);
const t2 = performance.now(); k = 0;
for (const row of db.prepare('SELECT id,"seriesId",period,value,revision FROM "Observation"').raw(true).iterate()) k++;
console.log('iterate only (raw cols, scan)', (performance.now() - t2).toFixed(0), k);
