// HTTP responses for downloads: CSV with its frozen header, streamed where it can be
// large, and the indicator's downloads built from one view of the data.
import 'server-only';
import { strToU8, zipSync } from 'fflate';
import { getIndicator, toChartSeries, type IndicatorDetail } from '../data';
import { openReadConnection } from '../db';
import { applyChartView, chartViewFromSearch, type ChartView } from '../domain/chart-view';
import { chartTable } from './chart-csv';
import { toCsv } from './csv';
import { fullExportCsv, fullExportText } from './full-export';
import { exportMetadata, exportReadme } from './metadata';
import { parseAsOf } from '../domain/as-of';
import { displayUnit } from '../domain/units';

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

function unitSuffix(indicator: IndicatorDetail, view: ChartView) {
  const unit = shownUnit(indicator, view);
  return unit ? `_in-${unit.short.replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '')}` : '';
}

function rangeSuffix(view: ChartView) {
  if (view.from === null && view.to === null) return '';
  return `_${view.from ?? 'start'}-${view.to ?? 'end'}`;
}

export const fileNames = (indicator: IndicatorDetail, view: ChartView) => ({
  chart: `${indicator.slug}_chart${rangeSuffix(view)}${unitSuffix(indicator, view)}.csv`,
  full: `${indicator.slug}_full.csv`,
  metadata: `${indicator.slug}_metadata.json`,
  zip: `${indicator.slug}${rangeSuffix(view)}.zip`,
});

export function shownUnit(indicator: IndicatorDetail, view: ChartView) {
  return displayUnit(view.unit, { long: indicator.unitLong, short: indicator.unitShort });
}

export function chartCsv(indicator: IndicatorDetail, view: ChartView, bom: boolean): string {
  const visible = applyChartView(
    toChartSeries(indicator.series, indicator, shownUnit(indicator, view)),
    view,
  );
  const table = chartTable(visible);
  return toCsv(table.header, table.rows, { bom });
}

/** Streams CSV chunks from a generator that reads the database, closing it when done or cancelled. */
export function streamFullCsv(slug: string | undefined, bom: boolean): ReadableStream<Uint8Array> {
  const db = openReadConnection();
  const chunks = fullExportCsv(db, slug, { bom });
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      try {
        const next = chunks.next();
        if (next.done) {
          db.close();
          controller.close();
        } else {
          controller.enqueue(next.value);
        }
      } catch (error) {
        db.close();
        controller.error(error);
      }
    },
    cancel() {
      chunks.return(undefined);
      db.close();
    },
  });
}

export function fullCsvText(slug: string, bom: boolean): string {
  const db = openReadConnection();
  try {
    return fullExportText(db, slug, { bom });
  } finally {
    db.close();
  }
}

export async function indicatorDownload(
  request: Request,
  slug: string,
  kind: 'chart' | 'full' | 'metadata' | 'zip',
): Promise<Response> {
  const url = new URL(request.url);
  const view = viewFromUrl(url);
  const indicator = await getIndicator(slug, undefined, parseAsOf(view.asOf));
  if (!indicator) return notFoundResponse(slug);
  const names = fileNames(indicator, view);
  const bom = wantsBom(url);
  const csvType = 'text/csv; charset=utf-8';
  if (kind === 'chart')
    return new Response(chartCsv(indicator, view, bom), {
      headers: attachment(csvType, names.chart),
    });
  if (kind === 'full')
    return new Response(streamFullCsv(indicator.slug, bom), {
      headers: attachment(csvType, names.full),
    });
  const meta = exportMetadata(indicator, view, new Date(), url.origin, shownUnit(indicator, view));
  if (kind === 'metadata') {
    return new Response(JSON.stringify(meta, null, 2), {
      headers: attachment('application/json; charset=utf-8', names.metadata),
    });
  }
  const zip = zipSync({
    [names.chart]: strToU8(chartCsv(indicator, view, bom)),
    [names.full]: strToU8(fullCsvText(indicator.slug, bom)),
    [names.metadata]: strToU8(JSON.stringify(meta, null, 2)),
    'readme.md': strToU8(exportReadme(meta, names)),
  });
  return new Response(zip as BodyInit, { headers: attachment('application/zip', names.zip) });
}
