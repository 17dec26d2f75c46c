// The full CSV export (lib/export/full-export.ts) on PostgreSQL. The server prints each
// row's value with its own float output (the shortest text that reads back as the
// same double, as JavaScript's String() writes it) next to its period, and streams the
// rows as binary COPY, which hands over that text as exact bytes behind a 4-byte
// length, and the ids, time and revision as plain integers. The encoder adds the
// columns each series and quote repeat, escaped once in JavaScript as on SQLite. Per
// row, JavaScript only copies a few byte ranges: no number printing, no text decoding
// or unescaping, no splitting of lines, which is where the time went when every field
// came as COPY text (about 5× slower than the server's own COPY of the same rows).
//
// float8's output switches to exponent form below 1e-4 and from 1e15 on ("1e-05",
// where the CSV writes 0.00001) and writes -0 as "-0": those rows, rare in real data,
// are written by formatCsvNumber itself, from the value sent alongside in binary. A
// CASE in SQL doing the same check cost a quarter of the query's time on the server.
import type pg from 'pg';
import copyStreams from 'pg-copy-streams';
import {
  FULL_EXPORT_QUOTES_SQL,
  FULL_EXPORT_SERIES_SQL,
  FullCsvEncoder,
  fullExportFilters,
  type ExportOptions,
  type FullExportSeriesRow,
} from './full-export';
import { formatCsvNumber } from './csv';
import { BinaryCopyReader } from './binary-copy';

/** Milliseconds from 1970 to PostgreSQL's timestamp epoch, 2000-01-01. */
const PG_EPOCH_MS = 946_684_800_000;

/**
 * One row's fields: series id, quote id (or NULL), `period,value` as text, the value
 * as float8, the recording time (µs since 2000, UTC as the column holds it) and the
 * revision. In (series, period) order, which the (seriesId, period, revision) index
 * delivers without a sort.
 */
export function postgresExportSql(filter: string): string {
  return `SELECT o."seriesId", o."quoteId", o.period || ',' || o.value::text, o.value,
       o."recordedAt", o.revision
FROM "Observation" o
WHERE 1 = 1${filter}
ORDER BY o."seriesId", o.period`;
}

/** Whether float8's shortest output for `v` is what formatCsvNumber writes: plain decimal. */
export function serverTextIsCsvNumber(v: number): boolean {
  return v >= 1e-4 ? v < 1e15 : v <= -1e-4 && v > -1e15;
}

/**
 * The full CSV from a connection inside a read-only transaction (the store's read
 * session, one snapshot for all three queries). `onAbandon` is called when the stream
 * stops before the COPY has ended (the download was cancelled, or a row failed): the
 * connection is then in the middle of a COPY and must be closed, not reused.
 */
export async function* fullExportFromPostgres(
  client: pg.ClientBase,
  slug: string | undefined,
  options: ExportOptions,
  onAbandon: () => void,
): AsyncGenerator<Uint8Array> {
  const filters = fullExportFilters(slug, options.asOf, (i) => `$${i}`);
  const series = await client.query<FullExportSeriesRow>(
    `${FULL_EXPORT_SERIES_SQL}${filters.series}`,
    filters.args,
  );
  const quotes = await client.query<{ id: number; text: string; citedOutlet: string | null }>(
    FULL_EXPORT_QUOTES_SQL,
  );
  const encoder = new FullCsvEncoder(series.rows, quotes.rows);
  yield encoder.header(options);
  // The shortest exact text, whatever the server's or the role's setting (below 1,
  // float8 is rounded to 15 digits); LOCAL ends with the session's transaction.
  await client.query('SET LOCAL extra_float_digits = 1');
  // COPY takes no parameters: the filter's values (a slug, timestamps) are inlined as
  // escaped literals.
  const literal = fullExportFilters(slug, options.asOf, (i) =>
    client.escapeLiteral(String(filters.args[i - 1])),
  );
  const ready: Uint8Array[] = [];
  // One import records one time for all its rows: it is printed once per run of rows.
  let stampHigh = NaN;
  let stampLow = NaN;
  let stamp = '';
  const reader = new BinaryCopyReader(6, (buf) => {
    const { start, length } = reader;
    const high = buf.readInt32BE(start[4]!);
    const low = buf.readUInt32BE(start[4]! + 4);
    if (high !== stampHigh || low !== stampLow) {
      stampHigh = high;
      stampLow = low;
      stamp = new Date((high * 2 ** 32 + low) / 1000 + PG_EPOCH_MS).toISOString();
    }
    let src = buf;
    let from = start[2]!;
    let to = from + length[2]!;
    const value = buf.readDoubleBE(start[3]!);
    if (!serverTextIsCsvNumber(value)) {
      const period = buf.toString('utf8', from, buf.lastIndexOf(0x2c, to - 1));
      src = Buffer.from(`${period},${formatCsvNumber(value)}`);
      from = 0;
      to = src.length;
    }
    const chunk = encoder.pushText(
      buf.readInt32BE(start[0]!),
      length[1]! < 0 ? null : buf.readInt32BE(start[1]!),
      src,
      from,
      to,
      stamp,
      buf.readInt32BE(start[5]!),
    );
    if (chunk) ready.push(chunk);
  });
  let ended = false;
  try {
    const stream = client.query(
      copyStreams.to(`COPY (${postgresExportSql(literal.observations)}) TO STDOUT (FORMAT binary)`),
    );
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      reader.push(chunk);
      for (const c of ready) yield c;
      ready.length = 0;
    }
    ended = true;
    reader.finish();
  } finally {
    if (!ended) onAbandon();
  }
  const last = encoder.end();
  if (last) yield last;
}
