// The long export, one row per current observation with its provenance, streamed
// from the database row by row: a million observations never sit in memory at once.
import type { WriterDb } from '../db/client';
import { formatCitation } from '../domain/citation';
import { CSV_BOM, csvField, csvRow, formatCsvNumber } from './csv';
import { sqliteTimestamp } from '../db/timestamp';

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

export type FullExportSeriesRow = {
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

/** Portable SQL (both stores): the live series with what each row repeats. */
export const FULL_EXPORT_SERIES_SQL = `
SELECT s.id, i.slug, e.name AS entity, e.code, COALESCE(s.unit, i."unitLong") AS unit, s.kind, s.label,
       src.publisher, src.title, src.volume, src.issue, src."publishedOn", src.url, src.citation, src."accessedOn"
FROM "Series" s
JOIN "Indicator" i ON i.id = s."indicatorId"
JOIN "Entity" e ON e.id = s."entityId"
JOIN "Source" src ON src.id = s."sourceId"
WHERE 1 = 1`;

export const FULL_EXPORT_QUOTES_SQL = 'SELECT id, text, "citedOutlet" FROM "Quote"';

/**
 * The WHERE clauses of the series and observation queries, in either store's
 * parameter style (`param(i)` names the i-th parameter), with their arguments: live
 * now, or as known at `asOf` (series recorded by then and not archived by then,
 * each period's revision that was current then); of one indicator, or of all.
 */
export function fullExportFilters(
  slug: string | undefined,
  asOf: Date | null | undefined,
  param: (i: number) => string,
) {
  const stamp = asOf ? sqliteTimestamp(asOf) : null;
  let series = '';
  let observations = '';
  const args: string[] = [];
  if (stamp === null) {
    series += ' AND s."archivedAt" IS NULL';
    observations += ' AND o."supersededAt" IS NULL';
  } else {
    const [a, b] = [param(1), param(2)];
    series += ` AND s."recordedAt" <= ${a} AND (s."archivedAt" IS NULL OR s."archivedAt" > ${b})`;
    observations += ` AND o."recordedAt" <= ${a} AND (o."supersededAt" IS NULL OR o."supersededAt" > ${b})`;
    args.push(stamp, stamp);
  }
  if (slug) {
    const p = param(args.length + 1);
    series += ` AND s."indicatorId" = (SELECT id FROM "Indicator" WHERE slug = ${p})`;
    observations += ` AND o."seriesId" IN (SELECT id FROM "Series" WHERE "indicatorId" = (SELECT id FROM "Indicator" WHERE slug = ${p}))`;
    args.push(slug);
  }
  return { series, observations, args };
}

/**
 * The observations, ordered by series then period, which the (seriesId, period,
 * revision) index delivers without a sort, so the first row streams out at once.
 * Only what varies per observation is read per row; the series' columns are written
 * once per series. Archived series are skipped by their absence from the series
 * map, and quotes come from a map too: joins per row cost more than the lookups.
 * `recordedAt` is the store's expression for the ISO 8601 text of the time.
 */
export function fullExportObservationsSql(recordedAt: string, filter: string): string {
  return `SELECT o."seriesId", o.period, o.value, o."quoteId", ${recordedAt}, o.revision
FROM "Observation" o
WHERE 1 = 1${filter}
ORDER BY o."seriesId", o.period`;
}

export type ExportOptions = { bom?: boolean; asOf?: Date | null };

export type FullExportObservationRow = [
  seriesId: number,
  period: string,
  value: number,
  quoteId: number | null,
  /** ISO 8601, ending in `Z` or `+00:00`. */
  recordedAt: string,
  revision: number,
];

const CHUNK = 64 * 1024;

/**
 * The encoder's chunk buffers, handed back once their bytes are used (compressed, on
 * an export thread), so that a million rows do not leave 225 MB of buffers for the
 * garbage collector, which frees them only after they have piled up.
 */
export class ChunkPool {
  private readonly free: Buffer[] = [];

  take(size: number): Buffer {
    if (size > CHUNK) return Buffer.allocUnsafe(size);
    return this.free.pop() ?? Buffer.allocUnsafe(CHUNK);
  }

  /** A chunk the encoder gave out, no longer read. */
  give(chunk: Uint8Array) {
    if (chunk.byteOffset !== 0 || chunk.buffer.byteLength !== CHUNK) return;
    this.free.push(Buffer.from(chunk.buffer, 0, CHUNK));
  }
}

/** A series' columns before the value, after it, and after it with no quote. */
type Piece = [before: Buffer, after: Buffer, afterWithoutQuote: Buffer];

function rowSize(piece: Piece, middle: number, quote: Buffer | null, tail: Buffer): number {
  const [before, after, afterWithoutQuote] = piece;
  return (
    before.length +
    middle +
    (quote ? after.length + quote.length : afterWithoutQuote.length) +
    tail.length
  );
}

/**
 * Turns the rows of the three queries into the full CSV, in UTF-8 chunks of about
 * 64 KB: the BOM and header first, then the rows. Memory holds each series'
 * description (one line) and one chunk, however many observations there are. Each
 * series' columns are escaped and encoded once, and copied as bytes into every row:
 * the citation is long and not ASCII, so encoding it per row would cost more than
 * the rest of the row. Both stores drive it; only the reading differs.
 */
export class FullCsvEncoder {
  private readonly pieces = new Map<number, Piece>();
  private readonly quotes = new Map<number, Buffer>();
  private buf: Buffer;
  private at = 0;
  // One import writes one timestamp for all its rows: format it once.
  private lastSeries = -1;
  private piece: Piece | undefined;
  // Line endings (`,recorded_at,revision` CRLF) for the current time, by revision: one
  // import writes one time for all its rows, so it is escaped once.
  private stamp: string | null = null;
  private tails: Buffer[] = [];
  private static readonly noQuote = Buffer.from(',');

  constructor(
    series: Iterable<FullExportSeriesRow>,
    quotes: Iterable<{ id: number; text: string; citedOutlet: string | null }>,
    private readonly pool: ChunkPool | null = null,
  ) {
    this.buf = this.newBuffer(CHUNK);
    for (const r of series) {
      const citation = formatCitation({ ...r, citation: r.citation });
      const after = `,${csvField(r.unit)},${csvField(r.kind)},${csvField(r.label)},${csvField(r.publisher)},${csvField(citation)},`;
      this.pieces.set(r.id, [
        Buffer.from(`${csvField(r.slug)},${csvField(r.entity)},${csvField(r.code)},`),
        Buffer.from(after),
        // Most rows have no quote: its two empty columns are added to `after` once.
        Buffer.from(`${after},`),
      ]);
    }
    // Quotes are sentences of documents: few, whatever the number of observations.
    for (const q of quotes) {
      this.quotes.set(
        q.id,
        Buffer.from(`${csvField(q.text)},${q.citedOutlet === null ? '' : csvField(q.citedOutlet)}`),
      );
    }
  }

  /** The BOM (unless turned off) and the header line. */
  header(options: { bom?: boolean } = {}): Uint8Array {
    return Buffer.from((options.bom === false ? '' : CSV_BOM) + csvRow(FULL_CSV_HEADER));
  }

  /** Adds one observation; returns a full chunk when one is ready. */
  push(
    seriesId: number,
    period: string,
    value: number,
    quoteId: number | null,
    recordedAt: string,
    revision: number,
  ): Uint8Array | null {
    const piece = this.pieceOf(seriesId);
    if (!piece) return null; // an archived series
    // Periods are validated ISO prefixes and numbers are ASCII: written as latin1.
    const number = String(value);
    // String() is exact and shortest; only exponent forms need the CSV writer's care.
    const middle = `${period},${number.includes('e') || value === 0 ? formatCsvNumber(value) : number}`;
    const tail = this.tailOf(recordedAt, revision);
    const quote = this.quoteOf(quoteId);
    const out = this.makeRoom(rowSize(piece, middle.length, quote, tail));
    let at = this.writeStart(piece);
    at += this.buf.write(middle, at, 'latin1');
    this.writeEnd(at, piece, quote, tail);
    return out;
  }

  /**
   * Adds one row whose `period,value` text is already written, as bytes: the
   * PostgreSQL export has the server print it (./postgres-export.ts), exactly
   * as `push` would. `src[start, end)` holds it; `recordedAt` is passed as the same
   * string for rows that share a time, so it is compared and escaped once per import.
   */
  pushText(
    seriesId: number,
    quoteId: number | null,
    src: Buffer,
    start: number,
    end: number,
    recordedAt: string,
    revision: number,
  ): Uint8Array | null {
    const piece = this.pieceOf(seriesId);
    if (!piece) return null; // an archived series
    const tail = this.tailOf(recordedAt, revision);
    const quote = this.quoteOf(quoteId);
    const out = this.makeRoom(rowSize(piece, end - start, quote, tail));
    const buf = this.buf;
    let at = this.writeStart(piece);
    for (let i = start; i < end; i++) buf[at++] = src[i]!;
    this.writeEnd(at, piece, quote, tail);
    return out;
  }

  private tailOf(recordedAt: string, revision: number): Buffer {
    if (recordedAt !== this.stamp) {
      this.stamp = recordedAt;
      this.tails = [];
    }
    return (this.tails[revision] ??= Buffer.from(
      `,${csvField(recordedAt.replace('+00:00', 'Z'))},${revision}\r\n`,
    ));
  }

  private quoteOf(quoteId: number | null): Buffer | null {
    return quoteId === null ? null : (this.quotes.get(quoteId) ?? FullCsvEncoder.noQuote);
  }

  /**
   * A million rows make a million calls: the pieces are copied with TypedArray `set`,
   * which costs less than Buffer.copy's checks and views for a few dozen bytes.
   */
  private writeStart([before]: Piece): number {
    this.buf.set(before, this.at);
    return this.at + before.length;
  }

  private writeEnd(
    at: number,
    [, after, afterWithoutQuote]: Piece,
    quote: Buffer | null,
    tail: Buffer,
  ) {
    const buf = this.buf;
    if (quote) {
      buf.set(after, at);
      at += after.length;
      buf.set(quote, at);
      at += quote.length;
    } else {
      buf.set(afterWithoutQuote, at);
      at += afterWithoutQuote.length;
    }
    buf.set(tail, at);
    this.at = at + tail.length;
  }

  /** A series' pieces, looked up once per run of its rows; undefined for an archived series. */
  private pieceOf(seriesId: number) {
    if (seriesId !== this.lastSeries) {
      this.lastSeries = seriesId;
      this.piece = this.pieces.get(seriesId);
    }
    return this.piece;
  }

  /** Room for `size` more bytes: the full chunk when a new one had to be started. */
  private makeRoom(size: number): Uint8Array | null {
    if (this.at + size <= this.buf.length) return null;
    const out = this.at > 0 ? this.buf.subarray(0, this.at) : null;
    this.buf = this.newBuffer(Math.max(CHUNK, size));
    this.at = 0;
    return out;
  }

  /**
   * What is written so far, as a chunk of its own (null when nothing is): at the end,
   * and where a thread's range of series ends. The next row starts a new buffer, so
   * the chunk may be moved to another thread.
   */
  end(): Uint8Array | null {
    if (this.at === 0) return null;
    const out = this.buf.subarray(0, this.at);
    this.buf = this.newBuffer(CHUNK);
    this.at = 0;
    return out;
  }

  private newBuffer(size: number): Buffer {
    return this.pool ? this.pool.take(size) : Buffer.allocUnsafe(size);
  }
}

/** The encoder of a SQLite export: each series' and quote's columns, read once. */
function sqliteEncoder(
  db: WriterDb,
  filters: ReturnType<typeof fullExportFilters>,
  pool: ChunkPool | null = null,
) {
  return new FullCsvEncoder(
    db
      .prepare(`${FULL_EXPORT_SERIES_SQL}${filters.series}`)
      .all(...filters.args) as FullExportSeriesRow[],
    db.prepare(FULL_EXPORT_QUOTES_SQL).all() as {
      id: number;
      text: string;
      citedOutlet: string | null;
    }[],
    pool,
  );
}

/**
 * The full CSV from a SQLite connection, read one row at a time: a million
 * observations never sit in memory at once.
 */
export function* fullExportCsv(
  db: WriterDb,
  slug?: string,
  options: ExportOptions = {},
): Generator<Uint8Array> {
  const whole: SeriesRange[] = [[0, Number.MAX_SAFE_INTEGER]];
  for (const item of fullExportPartsCsv(db, slug, options, whole, () => true, true)) {
    if (typeof item !== 'number') yield item;
  }
}

/** Series ids `[first, last]`: a part of the export that one thread writes. */
export type SeriesRange = [first: number, last: number];

/**
 * Rows a part aims at: about 2.5 MB of CSV, less than a thread may write ahead of the
 * client (lib/export/export-thread.ts), so that one thread can finish its next part
 * while the other's is being sent.
 */
export const EXPORT_PART_ROWS = 10_000;

/**
 * Live rows per series in id order (of one indicator, or all), read from the index
 * alone: only the sizes of the parts depend on it, so rows of an `asOf` export that
 * are superseded now are not counted, and parts are cut around them just the same.
 */
export function fullExportCounts(db: WriterDb, slug?: string): [seriesId: number, rows: number][] {
  const bySlug = slug
    ? ` AND o."seriesId" IN (SELECT id FROM "Series" WHERE "indicatorId" = (SELECT id FROM "Indicator" WHERE slug = ?))`
    : '';
  return db
    .prepare(
      `SELECT o."seriesId", COUNT(*) FROM "Observation" o
       WHERE o."supersededAt" IS NULL${bySlug} GROUP BY o."seriesId" ORDER BY o."seriesId"`,
    )
    .raw(true)
    .all(...(slug ? [slug] : [])) as [number, number][];
}

/**
 * Cuts the export into parts of whole series of about `rows` rows each. The parts
 * cover every id, counted or not (series added in between, or an `asOf` export's
 * series whose rows are all superseded now), so no row can fall between two parts.
 */
export function planExportParts(
  counts: Iterable<[seriesId: number, rows: number]>,
  rows = EXPORT_PART_ROWS,
): SeriesRange[] {
  const starts: number[] = [];
  let filled = rows;
  for (const [seriesId, n] of counts) {
    if (filled >= rows) {
      starts.push(seriesId);
      filled = 0;
    }
    filled += n;
  }
  if (starts.length === 0) return [[0, Number.MAX_SAFE_INTEGER]];
  return starts.map((start, i) => [
    i === 0 ? 0 : start,
    i + 1 < starts.length ? starts[i + 1]! - 1 : Number.MAX_SAFE_INTEGER,
  ]);
}

/**
 * The parts `take` selects, in order, as chunks; after each part its index, once its
 * last row is out (so that the server can stitch two threads' parts in order). The
 * header comes first when `header` is set.
 */
export function* fullExportPartsCsv(
  db: WriterDb,
  slug: string | undefined,
  options: ExportOptions,
  parts: SeriesRange[],
  take: (index: number) => boolean,
  header: boolean,
  /** Where the chunks come from, when they are handed back. */
  pool: ChunkPool | null = null,
): Generator<Uint8Array | number> {
  const filters = fullExportFilters(slug, options.asOf, () => '?');
  const encoder = sqliteEncoder(db, filters, pool);
  if (header) yield encoder.header(options);
  const statement = db
    .prepare(
      fullExportObservationsSql(
        'o."recordedAt"',
        `${filters.observations} AND o."seriesId" BETWEEN ? AND ?`,
      ),
    )
    .raw(true);
  for (let index = 0; index < parts.length; index++) {
    if (!take(index)) continue;
    const [first, last] = parts[index]!;
    const rows = statement.iterate(
      ...filters.args,
      first,
      last,
    ) as IterableIterator<FullExportObservationRow>;
    for (const [seriesId, period, value, quoteId, recordedAt, revision] of rows) {
      const chunk = encoder.push(seriesId, period, value, quoteId, recordedAt, revision);
      if (chunk) yield chunk;
    }
    const rest = encoder.end();
    if (rest) yield rest;
    yield index;
  }
}
