// HTTP responses for downloads: CSV with its frozen header, streamed at any size,
// and the indicator's downloads rendered from its one view (lib/views/indicator.ts).
import 'server-only';
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { strToU8, Zip } from 'fflate';
import { ThreadedZipDeflate } from './zip-deflate';
import { getStore } from '../store';
import { fullExportStream } from './full-export-stream';
import { getReadStore, type ChartRow } from '../read';
import {
  loadChartDownload,
  loadIndicatorView,
  type ChartDownload,
  type IndicatorView,
} from '../views/indicator';
import { chartViewFromSearch, type ChartView } from '../domain/chart-view';
import { convertFinite } from '../domain/units';
import { transformer } from '../domain/transform';
import { chartCsvText } from './chart-csv';
import { CSV_BOM } from './csv';
import { exportMetadata, exportReadme } from './metadata';
import { publicOrigin } from '../web/forwarding';
import { databaseProvider, readEnv } from '../db/env';
import { getReader } from '../db/client';
import { exportThreadFree, fullExportOnThread } from './export-thread';
import { gzipChunks } from './export-output';
import { acceptsGzip } from './gzip-parts';
import { precompressedHeaders } from '../web/precompressed';
import { cached } from '../read/cache';
import { loadOverviewCards } from '../views/overview';
import { parseAsOf } from '../domain/as-of';
import { isStaticChartSize, STATIC_CHART_SIZES, staticChartSvg } from '../chart/static-chart';

/** `?bom=0` leaves out the byte-order mark (for tools that do not expect one). */
export function wantsBom(url: URL): boolean {
  return !['0', 'false', 'no'].includes(url.searchParams.get('bom') ?? '');
}

/** The chart view from a download URL: the page's own query parameters. */
export function viewFromUrl(url: URL): ChartView {
  return chartViewFromSearch(url.searchParams);
}

function attachment(type: string, filename: string): HeadersInit {
  return {
    'Content-Type': type,
    'Content-Disposition': `attachment; filename="${filename}"`,
    'Cache-Control': 'no-store',
  };
}

export function notFoundResponse(slug: string) {
  return Response.json({ error: `No indicator with slug "${slug}"` }, { status: 404 });
}

const CHUNK = 64 * 1024;

/** Joins pieces of CSV text into UTF-8 chunks of about 64 KB. */
async function* chunked(pieces: AsyncIterable<string>): AsyncGenerator<Uint8Array> {
  let parts: string[] = [];
  let size = 0;
  for await (const piece of pieces) {
    parts.push(piece);
    size += piece.length;
    if (size >= CHUNK) {
      yield Buffer.from(parts.join(''));
      parts = [];
      size = 0;
    }
  }
  if (parts.length) yield Buffer.from(parts.join(''));
}

/** What the chart CSV is written from: the download's own view, or the page's (in the ZIP). */
type ChartCsvView = Pick<
  ChartDownload,
  'chart' | 'factors' | 'dated' | 'asOf' | 'view' | 'indicator' | 'transform'
>;

/** The chart CSV: every value of the series in view, in the range in view, in the unit shown. */
export async function* chartCsvChunks(
  v: ChartCsvView,
  bom: boolean,
  rows: AsyncIterable<ChartRow[]> = getReadStore().chartRows(
    v.chart.map((c) => c.id),
    { from: v.view.from, to: v.view.to },
    v.asOf,
  ),
): AsyncGenerator<Uint8Array> {
  const places = Math.max(v.indicator.decimals, 0) + 1;
  // The view's transform, fed each series' values in period order as the rows stream.
  const transform = transformer(v.transform.id);
  const series = v.chart.map((c) => {
    const factor = v.factors.get(c.id) ?? 1;
    return {
      ...c,
      // A value too large for the shown unit leaves its cell empty, not the download broken.
      convert: (x: number) => {
        if (factor === 1) return transform(c.id, x);
        const converted = convertFinite(x, factor);
        return converted === null ? null : transform(c.id, Number(converted.toFixed(places)));
      },
    };
  });
  async function* withBom() {
    if (bom) yield CSV_BOM;
    yield* chartCsvText(series, v.dated, rows, v.transform.id !== 'absolute');
  }
  yield* chunked(withBom());
}

/**
 * A response body pulled from an async generator; a cancelled download stops it. It
 * reads up to READ_AHEAD chunks ahead of the client, so that making the next chunk
 * (on this thread) overlaps with compressing and sending the last ones (on zlib's
 * threads), instead of each waiting for the other.
 */
async function streamOf(chunks: AsyncGenerator<Uint8Array>): Promise<ReadableStream<Uint8Array>> {
  // The first chunk before the response: a database that cannot be reached fails the
  // request while its status can still say so (503, lib/db/unavailable.ts), not
  // a 200 whose body breaks off.
  const first = await chunks.next();
  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        if (first.done) controller.close();
        else controller.enqueue(first.value);
      },
      async pull(controller) {
        try {
          const next = await chunks.next();
          if (next.done) controller.close();
          else controller.enqueue(next.value);
        } catch (error) {
          controller.error(error);
        }
      },
      async cancel() {
        await chunks.return(undefined);
      },
    },
    { highWaterMark: READ_AHEAD },
  );
}

/** Chunks (of about 64 KB) a download is made ahead of what the client has taken. */
const READ_AHEAD = 16;

/**
 * The full CSV as a response, gzipped for a client that takes gzip: on SQLite by the
 * threads that write it, otherwise here as it streams (gzipChunks).
 */
export async function fullCsvResponse(options: {
  slug?: string;
  bom: boolean;
  asOf: Date | null;
  filename: string;
  /** The request's Accept-Encoding. */
  acceptEncoding: string | null;
}): Promise<Response> {
  const url = readEnv().DATABASE_URL;
  const exportOptions = { bom: options.bom, asOf: options.asOf };
  const headers = attachment('text/csv; charset=utf-8', options.filename);
  // On SQLite threads of their own write the rows; PostgreSQL formats them itself.
  if (databaseProvider(url) === 'sqlite' && exportThreadFree()) {
    // A file that cannot be opened fails here, as a 503 that says so (lib/db/failures.ts),
    // rather than in the threads, whose failure reaches this thread without its cause.
    getReader();
    const gzip = acceptsGzip(options.acceptEncoding);
    const chunks = fullExportOnThread(url, options.slug, exportOptions, gzip);
    return new Response(await streamOf(chunks), {
      headers: gzip ? { ...headers, ...precompressedHeaders('gzip') } : headers,
    });
  }
  const chunks = fullExportStream(getStore(), options.slug, exportOptions);
  if (!acceptsGzip(options.acceptEncoding))
    return new Response(await streamOf(chunks), { headers });
  return new Response(await streamOf(gzipChunks(chunks)), {
    headers: { ...headers, ...precompressedHeaders('gzip') },
  });
}

/**
 * The ZIP: chart CSV, full CSV, metadata and readme, deflated while the CSVs stream
 * out of the database, so its size never sits in memory. The deflating runs on zlib's
 * thread pool and, on SQLite, the full CSV is written on an export thread, as for
 * data-full.csv: the event loop only moves chunks.
 */
function streamZip(v: IndicatorView, meta: ReturnType<typeof exportMetadata>, bom: boolean) {
  return streamOf(zipChunks(v, meta, bom));
}

async function* zipChunks(
  v: IndicatorView,
  meta: ReturnType<typeof exportMetadata>,
  bom: boolean,
): AsyncGenerator<Uint8Array> {
  {
    const out: Uint8Array[] = [];
    let done = false;
    const zip = new Zip((error, data, final) => {
      if (error) throw error;
      out.push(data);
      if (final) done = true;
    });
    function* drain() {
      while (out.length) yield out.shift()!;
    }
    const names = v.fileNames;
    const url = readEnv().DATABASE_URL;
    const exportOptions = { bom, asOf: v.asOf };
    const full =
      databaseProvider(url) === 'sqlite' && exportThreadFree()
        ? fullExportOnThread(url, v.indicator.slug, exportOptions, false)
        : fullExportStream(getStore(), v.indicator.slug, exportOptions);
    const entries: [string, Iterable<Uint8Array> | AsyncIterable<Uint8Array>][] = [
      [names.chart, chartCsvChunks(v, bom)],
      [names.full, full],
      [names.metadata, [strToU8(JSON.stringify(meta, null, 2))]],
      ['readme.md', [strToU8(exportReadme(meta, names))]],
    ];
    for (const [name, chunks] of entries) {
      const file = new ThreadedZipDeflate(name, 6);
      zip.add(file);
      for await (const chunk of chunks) {
        await file.write(chunk);
        yield* drain();
      }
      await file.end();
      yield* drain();
    }
    zip.end();
    yield* drain();
    if (!done) throw new Error('the ZIP did not finish');
  }
}

/**
 * Chart downloads of up to this many values are built whole once and kept until the
 * next write (the read cache): the same view asked again costs a copy, not a query.
 * Larger ones stream, uncached, at any size.
 */
export const CACHED_CHART_CSV_VALUES = 50_000;

async function chartCsvResponse(request: Request, slug: string) {
  const url = new URL(request.url);
  const v = await loadChartDownload(slug, viewFromUrl(url));
  if (!v) return notFoundResponse(slug);
  const bom = wantsBom(url);
  const headers = attachment('text/csv; charset=utf-8', v.fileName);
  if (v.total > CACHED_CHART_CSV_VALUES) {
    return new Response(await streamOf(chartCsvChunks(v, bom)), { headers });
  }
  // Kept gzipped too: a CSV of 50,000 values is about 1 MB, which compressing for every
  // download cost more than everything else the download does. Level 2, as the page
  // cache: a sixth larger than the default level, for a third of its time.
  const key = `chart-csv\u0000${v.indicator.slug}\u0000${v.query}\u0000${bom}`;
  const store = getReadStore();
  const file = await cached(store, key, async () => {
    const parts: Uint8Array[] = [];
    const rows = store.chartRows(
      v.chart.map((c) => c.id),
      { from: v.view.from, to: v.view.to },
      v.asOf,
      { few: true },
    );
    for await (const chunk of chartCsvChunks(v, bom, rows)) parts.push(chunk);
    const bytes = Buffer.concat(parts);
    return { bytes, gzip: gzipSync(bytes, { level: 2 }) };
  });
  if (acceptsGzip(request.headers.get('accept-encoding'))) {
    return new Response(new Uint8Array(file.gzip), {
      headers: { ...headers, ...precompressedHeaders('gzip') },
    });
  }
  return new Response(new Uint8Array(file.bytes), { headers });
}

export async function indicatorDownload(
  request: Request,
  slug: string,
  kind: 'chart' | 'full' | 'metadata' | 'zip',
): Promise<Response> {
  if (kind === 'chart') return chartCsvResponse(request, slug);
  const url = new URL(request.url);
  const v = await loadIndicatorView(slug, viewFromUrl(url));
  if (!v) return notFoundResponse(slug);
  const names = v.fileNames;
  const bom = wantsBom(url);
  if (kind === 'full')
    return fullCsvResponse({
      slug: v.indicator.slug,
      bom,
      asOf: v.asOf,
      filename: names.full,
      acceptEncoding: request.headers.get('accept-encoding'),
    });
  // Next.js builds request.url from its own listening address (localhost:<PORT>): links
  // meant for readers use the public URL, or the address the browser asked for.
  const meta = exportMetadata(v, new Date(), publicOrigin(request.headers, request.url));
  if (kind === 'metadata') {
    return new Response(JSON.stringify(meta, null, 2), {
      headers: attachment('application/json; charset=utf-8', names.metadata),
    });
  }
  return new Response(await streamZip(v, meta, bom), {
    headers: attachment('application/zip', names.zip),
  });
}

/**
 * The view's chart as the server draws it (`?size=` one of STATIC_CHART_SIZES, wide by
 * default), for the pages' <img> and as a file. Drawn once per view and data version;
 * the ETag lets a browser keep its copy until the data or the view changes.
 */
export async function indicatorChartSvg(request: Request, slug: string): Promise<Response> {
  const url = new URL(request.url);
  const size = url.searchParams.get('size') ?? 'wide';
  if (!isStaticChartSize(size)) {
    return Response.json(
      { error: `size: must be one of ${Object.keys(STATIC_CHART_SIZES).join(', ')}` },
      { status: 400 },
    );
  }
  const view = viewFromUrl(url);
  const store = getReadStore();
  const drawn = await cached(
    store,
    `svg\u0000${slug}\u0000${JSON.stringify(view)}\u0000${size}`,
    async () => {
      // The page's own view (table page 1): usually built already by the page's request.
      const v = await loadIndicatorView(slug, view, { tablePage: 1 }, store);
      if (!v) return null;
      const svg = staticChartSvg(v, size);
      return { svg, etag: `"${createHash('sha1').update(svg).digest('base64url')}"` };
    },
  );
  if (!drawn) return notFoundResponse(slug);
  return svgResponse(request, drawn);
}

/**
 * An SVG image, revalidated on every use: a saved change shows at once, an unchanged
 * image costs a 304.
 */
function svgResponse(request: Request, drawn: { svg: string; etag: string }): Response {
  const headers = {
    'Content-Type': 'image/svg+xml; charset=utf-8',
    'Cache-Control': 'no-cache',
    ETag: drawn.etag,
  };
  if (request.headers.get('if-none-match') === drawn.etag) {
    return new Response(null, { status: 304, headers });
  }
  return new Response(drawn.svg, { headers });
}

/** An overview card's sketch (`?asOf=` as the overview's), drawn with its card. */
export async function overviewSketchSvg(request: Request, slug: string): Promise<Response> {
  const asOf = parseAsOf(new URL(request.url).searchParams.get('asOf'));
  const cards = await loadOverviewCards(asOf);
  const card = cards.find((c) => c.view.indicator.slug === slug);
  if (!card) return notFoundResponse(slug);
  return svgResponse(request, card.sketch);
}
