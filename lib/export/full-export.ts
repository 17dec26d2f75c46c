// The long export, one row per current observation with its provenance, streamed
// from SQLite row by row: a million observations never sit in memory at once.
import type { WriterDb } from '../db';
import { formatCitation } from '../domain/citation';
import { CSV_BOM, csvField, csvRow, formatCsvNumber } from './csv';

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

type SeriesRow = {
  id: number;
  slug: string;
  entity: string;
  code: string;
  unit: string;
  kind: string;
  label: string;
  publisher: string;
  title: string;
  volume: string | null;
  issue: string | null;
  publishedOn: string | null;
  url: string | null;
  citation: string | null;
  accessedOn: string | null;
};

const SERIES_SQL = `
SELECT s.id, i.slug, e.name AS entity, e.code, COALESCE(s.unit, i."unitLong") AS unit, s.kind, s.label,
       src.publisher, src.title, src.volume, src.issue, src."publishedOn", src.url, src.citation, src."accessedOn"
FROM "Series" s
JOIN "Indicator" i ON i.id = s."indicatorId"
JOIN "Entity" e ON e.id = s."entityId"
JOIN "Source" src ON src.id = s."sourceId"
WHERE s."archivedAt" IS NULL`;

// Ordered by series then period, which the (seriesId, period, revision) index
// delivers without a sort, so the first row streams out at once. Only what varies
// per observation is read per row; the series' columns are written once per series.
// Archived series are skipped by their absence from the series map, not by a join.
const OBSERVATIONS_SQL = `
SELECT o."seriesId", o.period, o.value, q.text, q."citedOutlet", o."recordedAt", o.revision
FROM "Observation" o
LEFT JOIN "Quote" q ON q.id = o."quoteId"
WHERE o."supersededAt" IS NULL`;

type ObservationRow = [
  seriesId: number,
  period: string,
  value: number,
  quote: string | null,
  citedOutlet: string | null,
  recordedAt: string,
  revision: number,
];

const CHUNK = 64 * 1024;

/**
 * The full CSV, as chunks of about 64 KB: the BOM and header first, then the rows,
 * read from SQLite one at a time. Memory holds the series' descriptions (one line
 * each) and one chunk, however many observations there are.
 */
export function* fullExportCsv(
  db: WriterDb,
  slug?: string,
  options: { bom?: boolean } = {},
): Generator<string> {
  yield (options.bom === false ? '' : CSV_BOM) + csvRow(FULL_CSV_HEADER);
  const seriesFilter = slug
    ? ' AND s."indicatorId" = (SELECT id FROM "Indicator" WHERE slug = ?)'
    : '';
  const observationFilter = slug
    ? ' AND o."seriesId" IN (SELECT id FROM "Series" WHERE "indicatorId" = (SELECT id FROM "Indicator" WHERE slug = ?))'
    : '';
  const args = slug ? [slug] : [];
  // The text before and after the per-row cells of each series, escaped once.
  const pieces = new Map<number, [before: string, after: string]>();
  for (const r of db.prepare(`${SERIES_SQL}${seriesFilter}`).all(...args) as SeriesRow[]) {
    const citation = formatCitation({ ...r, citation: r.citation });
    pieces.set(r.id, [
      `${csvField(r.slug)},${csvField(r.entity)},${csvField(r.code)},`,
      `,${csvField(r.unit)},${csvField(r.kind)},${csvField(r.label)},${csvField(r.publisher)},${csvField(citation)},`,
    ]);
  }
  const rows = db
    .prepare(`${OBSERVATIONS_SQL}${observationFilter} ORDER BY o."seriesId", o.period`)
    .raw(true)
    .iterate(...args) as IterableIterator<ObservationRow>;
  let chunk = '';
  // One import writes one timestamp for all its rows: format it once.
  let lastStamp = '';
  let lastStampField = '';
  for (const [seriesId, period, value, quote, outlet, recordedAt, revision] of rows) {
    const piece = pieces.get(seriesId);
    if (!piece) continue; // an archived series
    const [before, after] = piece;
    if (recordedAt !== lastStamp) {
      lastStamp = recordedAt;
      lastStampField = csvField(recordedAt.replace('+00:00', 'Z'));
    }
    chunk +=
      before +
      // Periods are stored as validated ISO prefixes (digits and hyphens): nothing to escape.
      period +
      ',' +
      formatCsvNumber(value) +
      after +
      (quote === null ? '' : csvField(quote)) +
      ',' +
      (outlet === null ? '' : csvField(outlet)) +
      ',' +
      lastStampField +
      ',' +
      revision +
      '\r\n';
    if (chunk.length >= CHUNK) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk) yield chunk;
}

/** The whole full CSV as one string, for small exports (the ZIP, tests). */
export function fullExportText(
  db: WriterDb,
  slug?: string,
  options: { bom?: boolean } = {},
): string {
  let text = '';
  for (const chunk of fullExportCsv(db, slug, options)) text += chunk;
  return text;
}
