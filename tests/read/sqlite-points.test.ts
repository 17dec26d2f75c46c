// The SQLite store's chart points (lib/read/sqlite.ts, seriesPoints): each series' ids
// and periods cross from SQLite as joined strings and its values as numbers in period
// order, from a statement of their own; they are downsampled, and the points
// kept are read whole. They must be exactly what downsample() keeps of the rows read
// one by one in (series, period) order, with the same counts, whatever the values
// (doubles that only read back exactly from their shortest text, ties, extremes) and
// whatever order SQLite's index hands them over in (an as-of date reading revisions).
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { downsample } from '@/lib/domain/downsample';
import { seriesPoints, seriesStats } from '@/lib/read/sqlite';
import type { PointRow, YearRange } from '@/lib/read/types';

let db: Database.Database;

const AWKWARD = [
  0.1 + 0.2,
  1e-300,
  -2.7653677891824248e-301,
  5e-324,
  -0,
  1.7976931348623157e308,
  -1.7976931348623157e308,
  123456789.12345679,
  2 ** 53 + 2,
];

function day(i: number) {
  return new Date(Date.UTC(2001, 0, 1) + i * 86_400_000).toISOString().slice(0, 10);
}

beforeAll(() => {
  db = new Database(':memory:');
  db.exec(`CREATE TABLE "Observation" (
    id INTEGER PRIMARY KEY AUTOINCREMENT, "seriesId" INTEGER NOT NULL, period TEXT NOT NULL,
    "precision" TEXT NOT NULL, value REAL NOT NULL, low REAL, high REAL, note TEXT,
    "recordedAt" DATETIME NOT NULL, "supersededAt" DATETIME);
    CREATE INDEX o_live ON "Observation"("seriesId", "supersededAt", period);`);
  const insert = db.prepare(
    `INSERT INTO "Observation" ("seriesId", period, "precision", value, low, high, "recordedAt", "supersededAt")
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  let seed = 7;
  const random = () => ((seed = (seed * 16807) % 2147483647) - 1) / 2147483646;
  db.transaction(() => {
    // Series 1: 3,000 days of noise with awkward doubles and repeated values (ties).
    for (let i = 0; i < 3000; i++) {
      const v = i % 97 === 0 ? AWKWARD[i % AWKWARD.length]! : Math.round(random() * 50) / 7;
      insert.run(
        1,
        day(i),
        'day',
        v,
        i % 5 === 0 ? v - 1 : null,
        null,
        '2020-01-01 00:00:00',
        null,
      );
    }
    // Series 2: fewer values than buckets (passes whole), yearly and daily mixed.
    for (let y = 0; y < 30; y++)
      insert.run(2, String(1990 + y), 'year', y * 1.5, null, y, '2020-01-01 00:00:00', null);
    // Series 3: 800 days, every other one revised later, so that at an as-of date
    // between the two writes the live rows come from both sides of the index.
    for (let i = 0; i < 800; i++) {
      const revised = i % 2 === 0;
      insert.run(
        3,
        day(i),
        'day',
        Math.sin(i / 9) * 100,
        null,
        null,
        '2020-01-01 00:00:00',
        revised ? '2021-01-01 00:00:00' : null,
      );
      if (revised)
        insert.run(
          3,
          day(i),
          'day',
          Math.cos(i / 9) * 100,
          null,
          null,
          '2021-01-01 00:00:00',
          null,
        );
    }
    // Series 4: in one run, 0.3 then 0.1 + 0.2, which only its 17th digit tells apart.
    for (let i = 0; i < 40; i++) {
      const v = i === 12 ? 0.3 : i === 15 ? 0.1 + 0.2 : 0.2;
      insert.run(4, day(i), i === 39 ? 'month' : 'day', v, null, null, '2020-01-01 00:00:00', null);
    }
  })();
});

afterAll(() => db.close());

/** What the store answered before: rows read one by one, in order, then downsampled. */
function reference(ids: number[], range: YearRange, asOf: Date | null, buckets: number) {
  const stats = seriesStats(db, ids, range, asOf);
  const t = asOf?.toISOString().replace('T', ' ').slice(0, 19);
  const live = asOf
    ? `o."recordedAt" <= '${t}' AND (o."supersededAt" IS NULL OR o."supersededAt" > '${t}')`
    : 'o."supersededAt" IS NULL';
  const from = range.from === null ? '' : ` AND o.period >= '${range.from}'`;
  const to = range.to === null ? '' : ` AND o.period < '${range.to + 1}'`;
  const rows = db
    .prepare(
      `SELECT o."seriesId" AS "seriesId", o.period, o."precision", o.value, o.low, o.high
       FROM "Observation" o WHERE o."seriesId" IN (${ids.join(',')}) AND ${live}${from}${to}
       ORDER BY o."seriesId", o.period`,
    )
    .all() as PointRow[];
  const counts = new Map([...stats].map(([id, s]) => [id, s.count]));
  return { points: [...downsample(rows, counts, buckets)], stats };
}

describe('seriesPoints on SQLite', () => {
  const cases: [string, number[], YearRange, Date | null, number][] = [
    ['every series, all time', [1, 2, 3, 4], { from: null, to: null }, null, 100],
    ['one series, few buckets', [1], { from: null, to: null }, null, 10],
    ['a range', [1, 3], { from: 2002, to: 2003 }, null, 40],
    [
      'as of a date between two writes',
      [3, 1],
      { from: null, to: null },
      new Date('2020-06-01T00:00:00Z'),
      50,
    ],
    [
      'as of a date after both writes',
      [3],
      { from: null, to: null },
      new Date('2022-01-01T00:00:00Z'),
      50,
    ],
    ['more buckets than values', [2, 3], { from: null, to: null }, null, 5000],
    ['nothing in range', [1, 2], { from: 1800, to: 1801 }, null, 100],
  ];

  it.each(cases)('keeps what downsample() keeps: %s', (_name, ids, range, asOf, buckets) => {
    const got = seriesPoints(db, ids, range, asOf, buckets);
    const want = reference(ids, range, asOf, buckets);
    expect(got.points).toEqual(want.points);
    expect(got.stats).toEqual(want.stats);
    // Exactly the stored doubles, -0 included (toEqual tells 0 from -0).
    for (const [i, p] of got.points.entries())
      expect(Object.is(p.value, want.points[i]!.value)).toBe(true);
  });

  it('tells apart doubles that differ in their last digit', () => {
    const got = seriesPoints(db, [4], { from: null, to: null }, null, 4);
    expect(got.points.map((p) => p.period)).toContain(day(15));
    expect(got.points.map((p) => p.period)).not.toContain(day(12));
  });

  it('reads the awkward doubles back exactly', () => {
    const got = seriesPoints(db, [1], { from: null, to: null }, null, 5000);
    const values = new Set(got.points.map((p) => p.value));
    for (const v of AWKWARD) expect(values.has(v), String(v)).toBe(true);
    expect(got.points).toHaveLength(3000);
  });
});

describe('statements on the SQLite read connection', () => {
  /** Counts the statements `run` compiles on `db`. */
  function compiled(run: () => void): number {
    const prepare = db.prepare;
    let n = 0;
    db.prepare = ((sql: string) => (n++, prepare.call(db, sql))) as typeof db.prepare;
    try {
      run();
    } finally {
      db.prepare = prepare;
    }
    return n;
  }

  it('compiles a view’s statements once and answers the same from the kept ones', () => {
    // A range and an as-of date: statements no test above has made.
    const range = { from: 2001, to: 2004 };
    const asOf = new Date('2020-06-01T00:00:00Z');
    const first = compiled(() => seriesPoints(db, [1, 3], range, asOf, 30));
    let again: ReturnType<typeof seriesPoints> | undefined;
    const second = compiled(() => (again = seriesPoints(db, [1, 3], range, asOf, 30)));
    expect(first).toBeGreaterThan(0);
    expect(second).toBe(0);
    expect(again).toEqual(reference([1, 3], range, asOf, 30));
  });

  it('stays right past the number of statements it keeps', () => {
    // A list of ids makes a statement per length: 300 lengths, then the first again.
    const ids = Array.from({ length: 300 }, (_, i) => i + 1);
    for (let n = 1; n <= ids.length; n++)
      seriesStats(db, ids.slice(0, n), { from: null, to: null }, null);
    const stats = seriesStats(db, [1, 2], { from: null, to: null }, null);
    expect([...stats.keys()]).toEqual([1, 2]);
    expect(stats.get(2)!.count).toBe(30);
  });
});
