// The long export, one row per current observation with its provenance, streamed
// from SQLite row by row: a million observations never sit in memory at once.
import type { WriterDb } from '../db';
import { formatCitation } from '../domain/citation';
import { CSV_BOM, csvField, csvRow, formatCsvNumber } from './csv';
import { sqliteTimestamp } from '../writer';

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
WHERE 1 = 1`;

// Ordered by series then period, which the (seriesId, period, revision) index
// delivers without a sort, so the first row streams out at once. Only what varies
// per observation is read per row; the series' columns are written once per series.
// Archived series are skipped by their absence from the series map, and quotes come
// from a map too: joins per row cost more than the lookups.
const OBSERVATIONS_SQL = `
SELECT o."seriesId", o.period, o.value, o."quoteId", o."recordedAt", o.revision
FROM "Observation" o
WHERE 1 = 1`;

type ObservationRow = [
  seriesId: number,
  period: string,
  value: number,
  quoteId: number | null,
  recordedAt: string,
  revision: number,
];

const CHUNK = 64 * 1024;

/**
 * The full CSV as UTF-8 chunks of about 64 KB: the BOM and header first, then the
 * rows, read from SQLite one at a time. Memory holds each series' description (one
 * line) and one chunk, however many observations there are. Each series' columns are
 * escaped and encoded once, and copied as bytes into every row: the citation is long
 * and not ASCII, so encoding it per row would cost more than the rest of the row.
 */
export function* fullExportCsv(
  db: WriterDb,
  slug?: string,
  options: { bom?: boolean; asOf?: Date | null } = {},
): Generator<Uint8Array> {
  yield Buffer.from((options.bom === false ? '' : CSV_BOM) + csvRow(FULL_CSV_HEADER));
  const stamp = options.asOf ? sqliteTimestamp(options.asOf) : null;
  // As known at `asOf`: series recorded by then and not archived by then, each
  // period's revision that was current then.
  const seriesLive =
    stamp === null
      ? ' AND s."archivedAt" IS NULL'
      : ' AND s."recordedAt" <= ? AND (s."archivedAt" IS NULL OR s."archivedAt" > ?)';
  const observationLive =
    stamp === null
      ? ' AND o."supersededAt" IS NULL'
      : ' AND o."recordedAt" <= ? AND (o."supersededAt" IS NULL OR o."supersededAt" > ?)';
  const stampArgs = stamp === null ? [] : [stamp, stamp];
  const seriesFilter = slug
    ? ' AND s."indicatorId" = (SELECT id FROM "Indicator" WHERE slug = ?)'
    : '';
  const observationFilter = slug
    ? ' AND o."seriesId" IN (SELECT id FROM "Series" WHERE "indicatorId" = (SELECT id FROM "Indicator" WHERE slug = ?))'
    : '';
  const args = slug ? [...stampArgs, slug] : stampArgs;
  const pieces = new Map<number, [before: Buffer, after: Buffer]>();
  for (const r of db
    .prepare(`${SERIES_SQL}${seriesLive}${seriesFilter}`)
    .all(...args) as SeriesRow[]) {
    const citation = formatCitation({ ...r, citation: r.citation });
    pieces.set(r.id, [
      Buffer.from(`${csvField(r.slug)},${csvField(r.entity)},${csvField(r.code)},`),
      Buffer.from(
        `,${csvField(r.unit)},${csvField(r.kind)},${csvField(r.label)},${csvField(r.publisher)},${csvField(citation)},`,
      ),
    ]);
  }
  // Quotes are sentences of documents: few, whatever the number of observations.
  const quotes = new Map<number, Buffer>();
  for (const q of db.prepare('SELECT id, text, "citedOutlet" FROM "Quote"').all() as {
    id: number;
    text: string;
    citedOutlet: string | null;
  }[]) {
    quotes.set(
      q.id,
      Buffer.from(`${csvField(q.text)},${q.citedOutlet === null ? '' : csvField(q.citedOutlet)}`),
    );
  }
  const noQuote = Buffer.from(',');
  const rows = db
    .prepare(
      `${OBSERVATIONS_SQL}${observationLive}${observationFilter} ORDER BY o."seriesId", o.period`,
    )
    .raw(true)
    .iterate(...args) as IterableIterator<ObservationRow>;

  let buf = Buffer.allocUnsafe(CHUNK);
  let at = 0;
  // One import writes one timestamp for all its rows: format it once.
  let lastStamp = '';
  let stampTail = Buffer.alloc(0);
  let lastSeries = -1;
  let piece: [Buffer, Buffer] | undefined;
  for (const [seriesId, period, value, quoteId, recordedAt, revision] of rows) {
    if (seriesId !== lastSeries) {
      lastSeries = seriesId;
      piece = pieces.get(seriesId);
    }
    if (!piece) continue; // an archived series
    const [before, after] = piece;
    if (recordedAt !== lastStamp) {
      lastStamp = recordedAt;
      stampTail = Buffer.from(`,${csvField(recordedAt.replace('+00:00', 'Z'))},`);
    }
    const quote = quoteId === null ? noQuote : (quotes.get(quoteId) ?? noQuote);
    // Periods are validated ISO prefixes and numbers are ASCII: written as latin1.
    const number = String(value);
    // String() is exact and shortest; only exponent forms need the CSV writer's care.
    const middle = `${period},${number.includes('e') || value === 0 ? formatCsvNumber(value) : number}`;
    const tail = `${revision}\r\n`;
    const size =
      before.length + middle.length + after.length + quote.length + stampTail.length + tail.length;
    if (at + size > buf.length) {
      if (at > 0) yield buf.subarray(0, at);
      buf = Buffer.allocUnsafe(Math.max(CHUNK, size));
      at = 0;
    }
    at += before.copy(buf, at);
    at += buf.write(middle, at, 'latin1');
    at += after.copy(buf, at);
    at += quote.copy(buf, at);
    at += stampTail.copy(buf, at);
    at += buf.write(tail, at, 'latin1');
  }
  if (at > 0) yield buf.subarray(0, at);
}

/** The whole full CSV as one string, for small exports (the ZIP, tests). */
export function fullExportText(
  db: WriterDb,
  slug?: string,
  options: { bom?: boolean; asOf?: Date | null } = {},
): string {
  return Buffer.concat([...fullExportCsv(db, slug, options)]).toString('utf8');
}
