// Builds the databases of the scale bench (scripts/bench/scale.ts): the article as a
// fresh install has it, plus generated indicators written straight into the tables
// with one prepared INSERT per row (the import path is timed by the import bench;
// here only the reads are measured, so the data is laid down as fast as SQLite can).
//
//   big:    one indicator of `entities` × `days` daily values (250 × 4,000 = 1M)
//   spread: `indicators` indicators of `entities` × `days` (40 × 250 × 1,000 = 10M)
//   wide:   four yearly indicators of 500 entities each, 2,000 live series in all
import { openWriterConnection } from '../../lib/db/client';
import { sqliteTimestamp } from '../../lib/db/timestamp';
import { mulberry32, prepareDb, syntheticCodes } from './lib';

export type ScaleShape = {
  /** Indicators of daily values, each entities × days. */
  daily: { indicators: number; entities: number; days: number };
  /** Yearly indicators with many series each (the "1,000 live series" case). */
  wide: { indicators: number; entities: number; years: number };
};

export const SHAPES = {
  '1M': {
    daily: { indicators: 1, entities: 250, days: 4000 },
    wide: { indicators: 4, entities: 500, years: 10 },
  },
  '10M': {
    daily: { indicators: 40, entities: 250, days: 1000 },
    wide: { indicators: 4, entities: 500, years: 10 },
  },
} satisfies Record<string, ScaleShape>;

export type ScaleDb = {
  url: string;
  observations: number;
  liveSeries: number;
  /** A slug, series ids and a source id to request. */
  probe: {
    bigSlug: string;
    threeSeries: number[];
    seriesId: number;
    sourceId: number;
    /** Every daily indicator, each with its series ids, for random selections. */
    daily: { slug: string; series: number[] }[];
    /** The years the daily values span. */
    years: { from: number; to: number };
  };
};

function isoDay(start: number, offset: number): string {
  return new Date(start + offset * 86_400_000).toISOString().slice(0, 10);
}

export async function buildScaleDb(file: string, shape: ScaleShape): Promise<ScaleDb> {
  const url = await prepareDb(file);
  const db = openWriterConnection(url);
  const now = sqliteTimestamp(new Date());
  const random = mulberry32(42);
  const maxEntities = Math.max(shape.daily.entities, shape.wide.entities);
  const codes = syntheticCodes(maxEntities);
  let observations = 0;
  let liveSeries = 0;
  const probe: ScaleDb['probe'] = {
    bigSlug: '',
    threeSeries: [],
    seriesId: 0,
    sourceId: 0,
    daily: [],
    years: { from: 2010, to: 2010 + Math.floor((shape.daily.days - 1) / 365.25) },
  };
  try {
    db.pragma('synchronous = OFF');
    const tx = db.transaction(() => {
      const source = db
        .prepare(
          `INSERT INTO "Source" (title, publisher, url, license, "accessedOn", "createdAt")
           VALUES ('Scale bench data', 'Sourced bench', 'https://example.org/bench', 'CC BY 4.0', '2026-11-30', ?)`,
        )
        .run(now);
      const sourceId = Number(source.lastInsertRowid);
      probe.sourceId = sourceId;
      const entityIds = codes.map((code) => {
        const existing = db.prepare('SELECT id FROM "Entity" WHERE code = ?').get(code) as
          { id: number } | undefined;
        if (existing) return existing.id;
        return Number(
          db.prepare('INSERT INTO "Entity" (code, name) VALUES (?, ?)').run(code, `Entity ${code}`)
            .lastInsertRowid,
        );
      });
      const addIndicator = db.prepare(
        `INSERT INTO "Indicator" (slug, title, description, "unitLong", "unitShort", decimals, "createdAt")
         VALUES (?, ?, ?, 'index points', 'pts', 1, ?)`,
      );
      const addSeries = db.prepare(
        `INSERT INTO "Series" ("indicatorId", "entityId", kind, label, "sourceId", "recordedAt")
         VALUES (?, ?, 'observed', ?, ?, ?)`,
      );
      const addObservation = db.prepare(
        `INSERT INTO "Observation" ("seriesId", period, precision, value, revision, "recordedAt")
         VALUES (?, ?, ?, ?, 1, ?)`,
      );
      const start = Date.UTC(2010, 0, 1);
      const fill = (
        kind: 'daily' | 'wide',
        n: number,
        entities: number,
        points: number,
        precision: 'day' | 'year',
      ) => {
        for (let i = 0; i < n; i++) {
          const slug = `scale-${kind}-${i + 1}`;
          const indicatorId = Number(
            addIndicator.run(
              slug,
              `Scale ${kind} ${i + 1}`,
              `Generated ${kind} values for the scale bench.`,
              now,
            ).lastInsertRowid,
          );
          if (kind === 'daily' && i === 0) probe.bigSlug = slug;
          const ids: number[] = [];
          if (kind === 'daily') probe.daily.push({ slug, series: ids });
          for (let e = 0; e < entities; e++) {
            const seriesId = Number(
              addSeries.run(indicatorId, entityIds[e], `Bench ${kind}`, sourceId, now)
                .lastInsertRowid,
            );
            liveSeries++;
            ids.push(seriesId);
            if (kind === 'daily' && i === 0 && probe.threeSeries.length < 3)
              probe.threeSeries.push(seriesId);
            if (!probe.seriesId) probe.seriesId = seriesId;
            let value = 100 + random() * 50;
            for (let d = 0; d < points; d++) {
              value += (random() - 0.5) * 4;
              const period = precision === 'day' ? isoDay(start, d) : String(2010 + d);
              addObservation.run(seriesId, period, precision, Number(value.toFixed(3)), now);
              observations++;
            }
          }
        }
      };
      fill('daily', shape.daily.indicators, shape.daily.entities, shape.daily.days, 'day');
      fill('wide', shape.wide.indicators, shape.wide.entities, shape.wide.years, 'year');
    });
    tx();
    db.pragma('synchronous = NORMAL');
    db.exec('ANALYZE');
  } finally {
    db.close();
  }
  return { url, observations, liveSeries, probe };
}
