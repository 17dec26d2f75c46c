// The rows of the chart download, streamed from SQLite in the order the wide CSV
// needs (entity, then period), so any number of them passes through constant memory.
import type { WriterDb } from '../db';
import type { YearRange } from '../indicator-store';
import { sqliteTimestamp } from '../writer';

export function* chartRows(
  db: WriterDb,
  ids: number[],
  range: YearRange,
  asOf: Date | null,
): Generator<[seriesId: number, period: string, value: number]> {
  if (ids.length === 0) return;
  const where: string[] = [`o."seriesId" IN (${ids.map(() => '?').join(',')})`];
  const args: (string | number)[] = [...ids];
  if (asOf) {
    const stamp = sqliteTimestamp(asOf);
    where.push('o."recordedAt" <= ? AND (o."supersededAt" IS NULL OR o."supersededAt" > ?)');
    args.push(stamp, stamp);
  } else {
    where.push('o."supersededAt" IS NULL');
  }
  if (range.from !== null) {
    where.push('o.period >= ?');
    args.push(String(range.from));
  }
  if (range.to !== null) {
    where.push('o.period < ?');
    args.push(String(range.to + 1));
  }
  yield* db
    .prepare(
      `SELECT o."seriesId", o.period, o.value FROM "Observation" o
       JOIN "Series" s ON s.id = o."seriesId" JOIN "Entity" e ON e.id = s."entityId"
       WHERE ${where.join(' AND ')}
       ORDER BY e.name, e.code, o.period, o."seriesId"`,
    )
    .raw(true)
    .iterate(...args) as IterableIterator<[number, string, number]>;
}
