// Chart state lives in the URL so that every view can be shared. The server uses
// these functions to render the table, and the client uses the same ones to draw
// the chart, so the two always show the same numbers.
import { formatPeriod, periodToYear } from './period';
import { formatValue, KIND_LABELS } from './format';
import type { Precision, SeriesKind } from './kinds';
import { isTransform, type Transform } from './transform';

export type ChartPoint = {
  period: string;
  precision: Precision;
  /** The period as a fractional year: the position on the time axis. */
  x: number;
  value: number;
  low: number | null;
  high: number | null;
  /** The value as recorded, when it was converted to the indicator's unit for display. */
  original?: { value: number; unit: string };
};

export type ChartSeries = {
  id: number;
  label: string;
  kind: SeriesKind;
  entityCode: string;
  entityName: string;
  color: string;
  points: ChartPoint[];
};

export type ChartScale = 'linear' | 'log';

export type ChartView = {
  /** Visible series ids; null means the indicator's default selection. */
  series: number[] | null;
  scale: ChartScale;
  from: number | null;
  to: number | null;
  /** Show the data as recorded by the end of this day (YYYY-MM-DD), or now. */
  asOf: string | null;
  /** Show values in this unit (one the indicator's unit converts to), or the indicator's. */
  unit: string | null;
  /** Values as recorded, or relative change, change on the previous period, index. */
  transform: Transform;
};

export const DEFAULT_VIEW: ChartView = {
  series: null,
  scale: 'linear',
  from: null,
  to: null,
  asOf: null,
  unit: null,
  transform: 'absolute',
};

// Okabe–Ito's hues, told apart with the common colour-vision deficiencies, with the
// light ones (orange, sky blue) darkened and black made a grey: every colour has at
// least 3:1 contrast on the light and on the dark background (white, #f6f7f9,
// #121418, #1b1f26), as graphics need (WCAG 1.4.11). tests/domain/palette.test.ts
// checks it.
export const PALETTE = [
  '#0072B2',
  '#D55E00',
  '#009E73',
  '#C0699B',
  '#A86F00',
  '#7F6BC0',
  '#6F7B88',
];

export function seriesColor(index: number): string {
  return PALETTE[index % PALETTE.length] ?? PALETTE[0]!;
}

/** How many series ids a URL may name; the view shows at most MAX_VISIBLE_SERIES of them. */
const MAX_SERIES_TOKENS = 1000;

/** More lines than this cannot be told apart, and would make the page heavy. */
export const MAX_VISIBLE_SERIES = 40;

type SearchParams = Record<string, string | string[] | undefined>;

const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);
// Plain parsing rather than zod: this module ships to the browser with the chart,
// and zod would add about 33 KB gzip to every indicator page.
function parseYear(v: string | undefined): number | null {
  if (!v || !/^\d{4}$/.test(v.trim())) return null;
  const n = Number(v);
  return n >= 1000 && n <= 3000 ? n : null;
}

/**
 * Reads the view from search params. A shared URL may be hand-edited or stale, so
 * anything unreadable falls back to the default instead of failing the page.
 * `series` may be repeated (`series=1&series=2`, as a plain HTML form sends it) or
 * comma-separated (`series=1,2`, as the controls write it).
 */
export function parseChartView(params: SearchParams): ChartView {
  const raw = params.series;
  let series: number[] | null = null;
  if (raw !== undefined) {
    // A hand-made URL may list any number of ids: read a bounded number of them.
    const tokens = (Array.isArray(raw) ? raw : [raw])
      .slice(0, MAX_SERIES_TOKENS)
      .flatMap((v) => v.split(',', MAX_SERIES_TOKENS))
      .slice(0, MAX_SERIES_TOKENS);
    series = [
      ...new Set(tokens.map((t) => Number(t.trim())).filter((n) => Number.isInteger(n) && n > 0)),
    ];
  }
  const scale: ChartScale = first(params.scale) === 'log' ? 'log' : 'linear';
  let from = parseYear(first(params.from));
  let to = parseYear(first(params.to));
  if (from !== null && to !== null && from > to) [from, to] = [to, from];
  const asOfRaw = first(params.asOf);
  const asOf = asOfRaw && /^\d{4}-\d{2}-\d{2}$/.test(asOfRaw) ? asOfRaw : null;
  const unit = first(params.unit)?.trim().slice(0, 60) || null;
  const t = first(params.transform);
  const transform: Transform = isTransform(t) ? t : 'absolute';
  return { series, scale, from, to, asOf, unit, transform };
}

/** The view from URLSearchParams (a route handler's URL, or the browser's). */
export function chartViewFromSearch(p: Pick<URLSearchParams, 'get' | 'getAll' | 'has'>): ChartView {
  const one = (k: string) => p.get(k) ?? undefined;
  return parseChartView({
    series: p.has('series') ? p.getAll('series') : undefined,
    scale: one('scale'),
    from: one('from'),
    to: one('to'),
    asOf: one('asOf'),
    unit: one('unit'),
    transform: one('transform'),
  });
}

/** The series a view shows: those named in the URL, or the indicator's default selection. */
export function selectedSeries(view: ChartView, defaults: number[]): number[] {
  return view.series ?? defaults;
}

/**
 * The query string for a view, without defaults, so the plain URL stays the default
 * view: `series` is written only when the selection differs from the default one.
 */
export function chartViewToSearch(view: ChartView, defaults: number[]): string {
  const params = new URLSearchParams();
  if (view.series !== null) {
    const same =
      view.series.length === defaults.length && defaults.every((id) => view.series?.includes(id));
    if (!same) params.set('series', view.series.join(','));
  }
  if (view.scale === 'log') params.set('scale', 'log');
  if (view.from !== null) params.set('from', String(view.from));
  if (view.to !== null) params.set('to', String(view.to));
  if (view.asOf !== null) params.set('asOf', view.asOf);
  if (view.unit !== null) params.set('unit', view.unit);
  if (view.transform !== 'absolute') params.set('transform', view.transform);
  return params.toString();
}

export function isSeriesVisible(view: ChartView, id: number, defaults: number[]): boolean {
  return selectedSeries(view, defaults).includes(id);
}

export function inYearRange(x: number, view: Pick<ChartView, 'from' | 'to'>): boolean {
  return (view.from === null || x >= view.from) && (view.to === null || x < view.to + 1);
}

/** The visible series, each with only the points inside the time range. */
export function applyChartView(
  series: ChartSeries[],
  view: ChartView,
  defaults: number[],
): ChartSeries[] {
  return series
    .filter((s) => isSeriesVisible(view, s.id, defaults))
    .map((s) => ({ ...s, points: s.points.filter((p) => inYearRange(p.x, view)) }));
}

/** The smallest and largest of many numbers, without spreading them into arguments. */
export function extent(values: Iterable<number>): { min: number; max: number } | null {
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return min <= max ? { min, max } : null;
}

/** First and last whole years with data, for the time-range control. */
export function yearBounds(series: ChartSeries[]): { min: number; max: number } | null {
  return extent(series.flatMap((s) => s.points.map((p) => Math.floor(p.x))));
}

export type ChartType = 'bar' | 'line';

/**
 * Several series with one value each, all for the same period (130 against 5),
 * compare best as bars; anything with a time dimension is drawn over time.
 */
export function chartType(visible: ChartSeries[]): ChartType {
  const withData = visible.filter((s) => s.points.length > 0);
  if (withData.length < 2) return 'line';
  const periods = new Set<string>();
  for (const s of withData) {
    if (s.points.length !== 1) return 'line';
    periods.add(s.points[0]!.period);
  }
  return periods.size === 1 ? 'bar' : 'line';
}

/** A log axis cannot show zero or negative values; the chart then stays linear. */
export function effectiveScale(visible: ChartSeries[], requested: ChartScale): ChartScale {
  if (requested === 'linear') return 'linear';
  return visible.every((s) => s.points.every((p) => p.value > 0)) ? 'log' : 'linear';
}

type DescribedIndicator = { title: string; unitLong: string; decimals: number };

/** A one-sentence text version of the chart, for screen readers. */
export function describeChart(
  indicator: DescribedIndicator,
  visible: ChartSeries[],
  type: ChartType,
): string {
  const withData = visible.filter((s) => s.points.length > 0);
  if (withData.length === 0) {
    return `Chart of ${indicator.title}: no data in the selected series and time range.`;
  }
  const fmt = (v: number) => formatValue(v, indicator.decimals);
  if (type === 'bar') {
    const p = withData[0]!.points[0]!;
    const bars = withData
      .map(
        (s) => `${s.entityName} ${fmt(s.points[0]!.value)} (${KIND_LABELS[s.kind].toLowerCase()})`,
      )
      .join(', ');
    return `Bar chart of ${indicator.title} in ${formatPeriod(p.period, p.precision)}, in ${indicator.unitLong}: ${bars}.`;
  }
  const parts = withData.map((s) => {
    const a = s.points[0]!;
    const b = s.points[s.points.length - 1]!;
    const kind = KIND_LABELS[s.kind].toLowerCase();
    const span =
      s.points.length === 1
        ? `${fmt(a.value)} in ${formatPeriod(a.period, a.precision)}`
        : `${s.points.length} values from ${fmt(a.value)} in ${formatPeriod(a.period, a.precision)} to ${fmt(b.value)} in ${formatPeriod(b.period, b.precision)}`;
    return `${s.label} (${kind}, ${s.entityName}): ${span}`;
  });
  const n = withData.length;
  return `Chart of ${indicator.title} in ${indicator.unitLong}, ${n} series: ${parts.join('; ')}.`;
}

/**
 * A chart's points as they cross from the server to the browser: `[period, value]`,
 * or `[period, value, low, high]` when a bound is known. A third of the size of the
 * objects, which is most of an indicator page's weight; the rest is derived again.
 */
export type WirePoint = [string, number] | [string, number, number | null, number | null];
export type WireSeries = Omit<ChartSeries, 'points'> & { points: WirePoint[] };

/**
 * The series as JSON text for a client component's props: React sends a long string
 * as it is, where it would walk 2,000 points' arrays one by one on every request.
 */
export function toWire(series: ChartSeries[]): string {
  return JSON.stringify(
    series.map((s): WireSeries => ({
      ...s,
      points: s.points.map((p): WirePoint =>
        p.low === null && p.high === null
          ? [p.period, p.value]
          : [p.period, p.value, p.low, p.high],
      ),
    })),
  );
}

const PRECISION_BY_LENGTH: Record<number, Precision> = { 4: 'year', 7: 'month', 10: 'day' };

export function fromWire(wire: string): ChartSeries[] {
  return (JSON.parse(wire) as WireSeries[]).map((s) => ({
    ...s,
    points: s.points.map(([period, value, low = null, high = null]) => ({
      period,
      precision: PRECISION_BY_LENGTH[period.length] ?? 'day',
      x: periodToYear(period),
      value,
      low,
      high,
    })),
  }));
}
