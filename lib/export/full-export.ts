// The long export, one row per current observation with its provenance, streamed
// from SQLite row by row: a million observations never sit in memory at once.
import type { WriterDb } from '../db';
import { formatCitation } from '../domain/citation';
import type { CsvCell } from './csv';

/** Frozen: renaming or reordering a column breaks users' scripts. */
export const FULL_CSV_HEADER = [
  'indicator',
  'entity',
  'code',
  'period',
  'value',
  'unit',
  'kind',
  'series',
  'source',
  'citation',
  'quote',
  'cited_outlet',
  'recorded_at',
  'revision',
] as const;

type Raw = [
  slug: string,
  entity: string,
  code: string,
  period: string,
  value: number,
  unit: string,
  kind: string,
  series: string,
  sourceId: number,
  publisher: string,
  title: string,
  volume: string | null,
  issue: string | null,
  publishedOn: string | null,
  url: string | null,
  citation: string | null,
  accessedOn: string | null,
  quote: string | null,
  citedOutlet: string | null,
  recordedAt: string,
  revision: number,
];

// Ordered by series then period, which the (seriesId, period, revision) index
// delivers without a sort, so the first row streams out at once.
const SQL = `
SELECT i.slug, e.name, e.code, o.period, o.value, COALESCE(s.unit, i."unitLong"), s.kind, s.label,
       src.id, src.publisher, src.title, src.volume, src.issue, src."publishedOn", src.url, src.citation, src."accessedOn",
       q.text, q."citedOutlet", o."recordedAt", o.revision
FROM "Observation" o
JOIN "Series" s ON s.id = o."seriesId"
JOIN "Indicator" i ON i.id = s."indicatorId"
JOIN "Entity" e ON e.id = s."entityId"
JOIN "Source" src ON src.id = s."sourceId"
LEFT JOIN "Quote" q ON q.id = o."quoteId"
WHERE o."supersededAt" IS NULL AND s."archivedAt" IS NULL`;

/** Rows of the full export, lazily; `slug` limits it to one indicator. */
export function* fullExportRows(db: WriterDb, slug?: string): Generator<CsvCell[]> {
  const statement = db
    .prepare(`${SQL}${slug ? ' AND i.slug = ?' : ''} ORDER BY o."seriesId", o.period`)
    .raw(true);
  const citations = new Map<number, string>();
  const rows = (slug ? statement.iterate(slug) : statement.iterate()) as IterableIterator<Raw>;
  for (const r of rows) {
    let citation = citations.get(r[8]);
    if (citation === undefined) {
      citation = formatCitation({
        publisher: r[9],
        title: r[10],
        volume: r[11],
        issue: r[12],
        publishedOn: r[13],
        url: r[14],
        citation: r[15],
        accessedOn: r[16],
      });
      citations.set(r[8], citation);
    }
    yield [
      r[0],
      r[1],
      r[2],
      r[3],
      r[4],
      r[5],
      r[6],
      r[7],
      r[9],
      citation,
      r[17],
      r[18],
      r[19].replace('+00:00', 'Z'),
      r[20],
    ];
  }
}
