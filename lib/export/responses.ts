// HTTP responses for downloads: CSV with its frozen header, streamed at any size,
// and the indicator's downloads rendered from its one view (lib/indicator-view.ts).
import 'server-only';
import { strToU8, Zip, ZipDeflate } from 'fflate';
import { getStore } from '../db';
import { getReadStore, type ChartRow } from '../indicator-store';
import { loadIndicatorView, type IndicatorView } from '../indicator-view';
import { chartViewFromSearch, type ChartView } from '../domain/chart-view';
import { convertFinite } from '../domain/units';
import { transformer } from '../domain/transform';
import { chartCsvLines } from './chart-csv';
import { CSV_BOM, csvRow } from './csv';
import { exportMetadata, exportReadme } from './metadata';
import { publicOrigin } from '../forwarding';

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

/** Joins small CSV lines into chunks of about 64 KB. */
async function* chunked(lines: AsyncIterable<string>): AsyncGenerator<Uint8Array> {
  let parts: string[] = [];
  let size = 0;
  for await (const line of lines) {
    parts.push(line);
    size += line.length;
    if (size >= CHUNK) {
      yield Buffer.from(parts.join(''));
      parts = [];
      size = 0;
    }
  }
  if (parts.length) yield Buffer.from(parts.join(''));
}

/** The chart CSV: every value of the series in view, in the range in view, in the unit shown. */
export async function* chartCsvChunks(
  v: IndicatorView,
  bom: boolean,
  rows: AsyncIterable<ChartRow> = getReadStore().chartRows(
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
  async function* lines() {
    let first = true;
    for await (const cells of chartCsvLines(series, v.dated, rows, v.transform.id !== 'absolute')) {
      yield (first && bom ? CSV_BOM : '') + csvRow(cells);
      first = false;
    }
  }
  yield* chunked(lines());
}

/** A response body pulled from an async generator; a cancelled download stops it. */
function streamOf(chunks: AsyncGenerator<Uint8Array>): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>({
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
  });
}

/** The full CSV with provenance (of one indicator, or of everything), as known at `asOf`. */
export function streamFullCsv(
  slug: string | undefined,
  bom: boolean,
  asOf: Date | null = null,
): ReadableStream<Uint8Array> {
  // The store streams from one snapshot on a connection of its own, closed at the end.
  return streamOf(getStore().fullExport(slug, { bom, asOf }));
}

/**
 * The ZIP: chart CSV, full CSV, metadata and readme, deflated while the CSVs stream
 * out of the database, so its size never sits in memory.
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
    const entries: [string, Iterable<Uint8Array> | AsyncIterable<Uint8Array>][] = [
      [names.chart, chartCsvChunks(v, bom)],
      [names.full, getStore().fullExport(v.indicator.slug, { bom, asOf: v.asOf })],
      [names.metadata, [strToU8(JSON.stringify(meta, null, 2))]],
      ['readme.md', [strToU8(exportReadme(meta, names))]],
    ];
    for (const [name, chunks] of entries) {
      const file = new ZipDeflate(name, { level: 6 });
      zip.add(file);
      for await (const chunk of chunks) {
        file.push(chunk);
        yield* drain();
      }
      file.push(new Uint8Array(0), true);
      yield* drain();
    }
    zip.end();
    yield* drain();
    if (!done) throw new Error('the ZIP did not finish');
  }
}

export async function indicatorDownload(
  request: Request,
  slug: string,
  kind: 'chart' | 'full' | 'metadata' | 'zip',
): Promise<Response> {
  const url = new URL(request.url);
  const v = await loadIndicatorView(slug, viewFromUrl(url), { compact: kind === 'chart' });
  if (!v) return notFoundResponse(slug);
  const names = v.fileNames;
  const bom = wantsBom(url);
  const csvType = 'text/csv; charset=utf-8';
  if (kind === 'chart')
    return new Response(streamOf(chartCsvChunks(v, bom)), {
      headers: attachment(csvType, names.chart),
    });
  if (kind === 'full')
    return new Response(streamFullCsv(v.indicator.slug, bom, v.asOf), {
      headers: attachment(csvType, names.full),
    });
  // Next.js builds request.url from its own listening address (localhost:<PORT>): links
  // meant for readers use the public URL, or the address the browser asked for.
  const meta = exportMetadata(v, new Date(), publicOrigin(request.headers, request.url));
  if (kind === 'metadata') {
    return new Response(JSON.stringify(meta, null, 2), {
      headers: attachment('application/json; charset=utf-8', names.metadata),
    });
  }
  return new Response(streamZip(v, meta, bom), {
    headers: attachment('application/zip', names.zip),
  });
}
