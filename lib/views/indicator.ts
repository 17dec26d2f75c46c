// The indicator view, built once per request: (indicator, URL view state, asOf,
// unit) → the series in view, their points (downsampled), the table page, the unit
// and the file names. The page, the chart CSV, the metadata, the ZIP and the API
// render it; none of them re-derives units, ranges or names.
import { textProblem } from '../domain/text';
import 'server-only';
import { indicatorFields, sourceSummary } from '../read/catalog';
import {
  getReadStore,
  type IndicatorRow,
  type ReadStore,
  type SeriesRow,
  type SeriesStats,
  type SourceQuoteRow,
} from '../read';
import { parseAsOf } from '../domain/as-of';
import {
  chartViewToSearch,
  MAX_VISIBLE_SERIES,
  seriesColor,
  type ChartPoint,
  type ChartSeries,
  type ChartView,
} from '../domain/chart-view';
import { asPrecision, asSeriesKind } from '../domain/kinds';
import { periodToYear } from '../domain/period';
import { cached, CATALOG } from '../read/cache';
import { cachedAllTimeStats, cachedPoints } from '../read/series-cache';
import { compatibleUnits, conversionTo, convertFinite, displayUnit } from '../domain/units';
import { Downsampler, type Sample } from '../domain/downsample';
import { seriesChoices } from '../domain/series-search';
import {
  fromBase,
  TRANSFORM_LABELS,
  transformDecimals,
  transformer,
  transformPoints,
  transformUnit,
  type Transform,
} from '../domain/transform';

/** With more series than this, an indicator opens on a selection rather than on all of them. */
export const DEFAULT_SELECTION_SIZE = 6;
/** The points one chart may carry across all its series (the page's weight is mostly these). */
export const CHART_POINT_BUDGET = 2000;
/** Per series, at most about two points per horizontal pixel of a wide chart. */
export const MAX_BUCKETS_PER_SERIES = 500;
export const TABLE_PAGE_SIZE = 50;

export type ViewSource = ReturnType<typeof sourceSummary>;

export type ViewSeries = {
  id: number;
  label: string;
  kind: ReturnType<typeof asSeriesKind>;
  /** The unit the values are stored in, when it is not the indicator's. */
  unit: string | null;
  entity: { code: string; name: string };
  recordedAt: string;
  sourceId: number;
};

export type ViewQuote = SourceQuoteRow;

export type TableRowView = {
  seriesId: number;
  period: string;
  precision: ChartPoint['precision'];
  value: number;
  /** The value under the view's transform (the value itself when there is none); null when it has none. */
  shown: number | null;
  note: string | null;
  original?: ChartPoint['original'];
};

/**
 * The series an indicator opens on: all of them when there are few; otherwise the
 * claims, then the newest observed series of each entity a claim names (the outcome
 * to compare it with), filled up to DEFAULT_SELECTION_SIZE with the first series in
 * display order. The selection keeps display order.
 */
export function defaultSelection(
  series: Pick<ViewSeries, 'id' | 'kind' | 'entity' | 'recordedAt'>[],
  size = DEFAULT_SELECTION_SIZE,
): number[] {
  if (series.length <= size) return series.map((s) => s.id);
  const claims = series.filter((s) => s.kind !== 'observed');
  const named = new Set(claims.map((s) => s.entity.code));
  const picked = new Set<number>();
  const add = (s: { id: number }) => {
    if (picked.size < size) picked.add(s.id);
  };
  claims.forEach(add);
  const newestFirst = series
    .filter((s) => s.kind === 'observed' && named.has(s.entity.code))
    .sort((a, b) =>
      a.recordedAt < b.recordedAt ? 1 : a.recordedAt > b.recordedAt ? -1 : b.id - a.id,
    );
  const outcomeFor = new Set<string>();
  for (const s of newestFirst) {
    if (outcomeFor.has(s.entity.code)) continue;
    outcomeFor.add(s.entity.code);
    add(s);
  }
  series.forEach(add);
  return series.filter((s) => picked.has(s.id)).map((s) => s.id);
}

/** How many buckets each series gets so that the chart stays within its point budget. */
export function bucketsPerSeries(seriesCount: number, budget = CHART_POINT_BUDGET): number {
  if (seriesCount === 0) return MAX_BUCKETS_PER_SERIES;
  return Math.max(10, Math.min(MAX_BUCKETS_PER_SERIES, Math.floor(budget / 2 / seriesCount)));
}

type Unit = { long: string; short: string };

function seriesInfo(s: SeriesRow): ViewSeries {
  return {
    id: s.id,
    label: s.label,
    kind: asSeriesKind(s.kind),
    unit: s.unit,
    entity: { code: s.entityCode, name: s.entityName },
    recordedAt: new Date(s.recordedAt).toISOString(),
    sourceId: s.sourceId,
  };
}

/** The factor from a series' stored unit to the unit shown, or null when none exists. */
function factorFor(s: ViewSeries, indicatorUnit: Unit, shown: Unit): number | null {
  const from = s.unit ?? indicatorUnit.long;
  if (from === shown.long) return 1;
  const c = conversionTo(from, shown);
  return c.ok ? c.factor : null;
}

function fileSlug(text: string) {
  return text.replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '');
}

export type ViewOptions = {
  /** Overview cards: fewer points, no table, no quotes. */
  compact?: boolean;
  /** 1-based page of the table. */
  tablePage?: number;
  pointBudget?: number;
};

export function loadIndicatorView(
  slug: string,
  view: ChartView,
  options: ViewOptions = {},
  db: ReadStore = getReadStore(),
) {
  // A NUL or a lone surrogate names no indicator: 404 on both stores, without asking
  // PostgreSQL, which refuses such text with an error.
  if (textProblem(slug)) return Promise.resolve(null);
  return cached(
    db,
    `view\u0000${slug}\u0000${JSON.stringify(view)}\u0000${JSON.stringify(options)}`,
    async () => {
      // Every view of an indicator starts from its row: kept with the catalog.
      const row = await cached(db, `indicator\u0000${slug}`, () => db.findIndicator(slug), CATALOG);
      return row ? buildView(db, row, view, options) : null;
    },
  );
}

/**
 * The chart CSV's own view: the series in view and their units, as the page's view has
 * them, with how many values they have in range and whether any is dated. No points or
 * table: the download reads every value itself, so the page's downsampled points would
 * be read for nothing.
 */
export function loadChartDownload(slug: string, view: ChartView, db: ReadStore = getReadStore()) {
  if (textProblem(slug)) return Promise.resolve(null);
  return cached(db, `download\u0000${slug}\u0000${JSON.stringify(view)}`, async () => {
    const row = await cached(db, `indicator\u0000${slug}`, () => db.findIndicator(slug), CATALOG);
    return row ? buildChartDownload(db, row, view) : null;
  });
}

async function buildChartDownload(db: ReadStore, row: IndicatorRow, view: ChartView) {
  const frame = await viewFrame(db, row, view);
  const { drawn, range, asOf, byId } = frame;
  const stats =
    range.from === null && range.to === null
      ? await cachedAllTimeStats(db, drawn, asOf)
      : await db.stats(drawn, range, asOf);
  return {
    indicator: frame.indicator,
    view,
    asOf,
    query: chartViewToSearch(view, frame.defaults),
    transform: { id: frame.transform },
    chart: drawn.map((id) => columnOf(id, byId.get(id)!)),
    factors: frame.factors,
    dated: [...stats.values()].some((st) => st.dated),
    /** The values in range, over every series in view. */
    total: sum(stats.values()),
    fileName: frame.fileNames.chart,
  };
}

export type ChartDownload = NonNullable<Awaited<ReturnType<typeof loadChartDownload>>>;

/** A series in view as the chart and its CSV name it. */
function columnOf(id: number, s: ViewSeries) {
  return { id, label: s.label, kind: s.kind, entityCode: s.entity.code, entityName: s.entity.name };
}

/** The selection the view shows: requested or default, cut to the chart's limit, with colours. */
function selectionOf(series: ViewSeries[], view: ChartView) {
  const byId = new Map(series.map((s) => [s.id, s]));
  const defaults = defaultSelection(series);
  const requested = (view.series ?? defaults).filter((id) => byId.has(id));
  const selectedIds = requested.slice(0, MAX_VISIBLE_SERIES);
  const clamped =
    requested.length > selectedIds.length
      ? { requested: requested.length, shown: selectedIds.length }
      : null;
  const colors = new Map(selectedIds.map((id, i) => [id, seriesColor(i)]));
  return { byId, defaults, selectedIds, clamped, colors };
}

/** Per series in view, the factor to the shown unit; those without one are left out. */
function unitFactors(ids: number[], byId: Map<number, ViewSeries>, own: Unit, unit: Unit) {
  const factors = new Map<number, number>();
  const unconvertible: ViewSeries[] = [];
  for (const id of ids) {
    const s = byId.get(id)!;
    const f = factorFor(s, own, unit);
    if (f === null) unconvertible.push(s);
    else factors.set(id, f);
  }
  return { factors, unconvertible };
}

type Convert = (factor: number, v: number) => number | null;

/**
 * A value too large for the shown unit (only rows stored before the write path refused
 * them) is left out, rather than failing the page.
 */
function converter(decimals: number): Convert {
  const places = Math.max(decimals, 0) + 1;
  return (factor, v) => {
    if (factor === 1) return v;
    const converted = convertFinite(v, factor);
    return converted === null ? null : Number(converted.toFixed(places));
  };
}

/** The chart's points by series, in the shown unit. */
function pointsBySeriesOf(
  points: Awaited<ReturnType<ReadStore['points']>>['points'],
  ctx: { factors: Map<number, number>; byId: Map<number, ViewSeries>; own: Unit; convert: Convert },
) {
  const pointsBySeries = new Map<number, ChartPoint[]>();
  for (const p of points) {
    const factor = ctx.factors.get(p.seriesId)!;
    const s = ctx.byId.get(p.seriesId)!;
    const value = ctx.convert(factor, p.value);
    if (value === null) continue;
    let list = pointsBySeries.get(p.seriesId);
    if (!list) pointsBySeries.set(p.seriesId, (list = []));
    list.push({
      period: p.period,
      precision: asPrecision(p.precision),
      x: periodToYear(p.period),
      value,
      low: p.low === null ? null : ctx.convert(factor, p.low),
      high: p.high === null ? null : ctx.convert(factor, p.high),
      ...(factor !== 1 ? { original: { value: p.value, unit: s.unit ?? ctx.own.long } } : {}),
    });
  }
  return pointsBySeries;
}

/** The years the series in view span over all time, for the time slider. */
function boundsOf(allTime: Map<number, SeriesStats>) {
  let bounds: { min: number; max: number } | null = null;
  for (const st of allTime.values()) {
    const min = Math.floor(periodToYear(st.first));
    const max = Math.floor(periodToYear(st.last));
    bounds = bounds
      ? { min: Math.min(bounds.min, min), max: Math.max(bounds.max, max) }
      : { min, max };
  }
  return bounds;
}

type Range = { from: number | null; to: number | null };

type TableContext = {
  drawn: number[];
  range: Range;
  asOf: Date | null;
  transform: Transform;
  factors: Map<number, number>;
  byId: Map<number, ViewSeries>;
  own: Unit;
  convert: Convert;
  bases: Map<number, number>;
};

/** One page of the table, its values in the shown unit and under the view's transform. */
async function tablePage(
  db: ReadStore,
  ctx: TableContext,
  page: number,
  compact: boolean | undefined,
): Promise<TableRowView[]> {
  const { transform, factors, convert } = ctx;
  // The change on the previous period needs the row before the page.
  const before = transform === 'change' && page > 1 ? 1 : 0;
  const fetched = compact
    ? []
    : await db.table(ctx.drawn, ctx.range, ctx.asOf, {
        offset: (page - 1) * TABLE_PAGE_SIZE - before,
        limit: TABLE_PAGE_SIZE + before,
      });
  const shownValue = tableTransform(transform, ctx.bases);
  // The row before the page primes the change on the previous period.
  for (const r of fetched.slice(0, before)) {
    const value = convert(factors.get(r.seriesId)!, r.value);
    if (value !== null) shownValue(r.seriesId, value);
  }
  return fetched.slice(before).flatMap((r) => {
    const factor = factors.get(r.seriesId)!;
    const s = ctx.byId.get(r.seriesId)!;
    const value = convert(factor, r.value);
    if (value === null) return [];
    return [
      {
        seriesId: r.seriesId,
        period: r.period,
        precision: asPrecision(r.precision),
        value,
        shown: shownValue(r.seriesId, value),
        note: r.note,
        ...(factor !== 1 ? { original: { value: r.value, unit: s.unit ?? ctx.own.long } } : {}),
      },
    ];
  });
}

function fileNamesOf(
  slug: string,
  view: ChartView,
  picked: { short: string } | null,
  transform: Transform,
) {
  const rangePart =
    view.from !== null || view.to !== null ? `_${view.from ?? 'start'}-${view.to ?? 'end'}` : '';
  const unitPart = picked ? `_in-${fileSlug(picked.short)}` : '';
  const transformPart = transform === 'absolute' ? '' : `_${TRANSFORM_FILE_PARTS[transform]}`;
  return {
    chart: `${slug}_chart${rangePart}${unitPart}${transformPart}.csv`,
    full: `${slug}_full.csv`,
    metadata: `${slug}_metadata.json`,
    zip: `${slug}${rangePart}.zip`,
  };
}

/**
 * The indicator's live series, as the picker lists them, and their sources: the same for
 * every view of the indicator at this data version and as-of date, so read and mapped
 * once (a new selection of a 500-series indicator otherwise redid it all).
 */
function seriesOf(db: ReadStore, row: IndicatorRow, asOf: Date | null) {
  return cached(
    db,
    `series\u0000${row.id}\u0000${asOf?.toISOString() ?? ''}`,
    async () => {
      const series = (await db.listSeries(row.id, asOf)).map(seriesInfo);
      const sourceRows = await db.sources(series.map((s) => s.sourceId));
      const sources = new Map([...sourceRows].map(([id, s]) => [id, sourceSummary(s)]));
      return { series, choices: seriesChoices(series), sources };
    },
    CATALOG,
  );
}

/** The indicator's archived series, the same for every view of it at this data version. */
function archivedOf(db: ReadStore, row: IndicatorRow) {
  return cached(
    db,
    `archived\u0000${row.id}`,
    async () =>
      (await db.listArchived(row.id)).map((a) => ({
        ...a,
        archivedAt: new Date(a.archivedAt).toISOString(),
      })),
    CATALOG,
  );
}

/** The quotes of the series in view; a series that quotes nothing is not asked about. */
async function quotesOf(db: ReadStore, ids: number[], asOf: Date | null) {
  const quoted = await cached(
    db,
    'quoted-series',
    async () => new Set(await db.quotedSeries()),
    CATALOG,
  );
  const asked = ids.filter((id) => quoted.has(id));
  return asked.length > 0 ? db.quotes(asked, asOf) : [];
}

/**
 * What every rendering of a view starts from, before any observation is read: the
 * indicator, the unit shown, the series in view and each one's factor to that unit.
 */
async function viewFrame(db: ReadStore, row: IndicatorRow, view: ChartView) {
  const asOf = parseAsOf(view.asOf);
  const indicator = indicatorFields(row);
  const own: Unit = { long: indicator.unitLong, short: indicator.unitShort };
  const picked = displayUnit(view.unit, own);
  const unit: Unit = picked ? { long: picked.name, short: picked.short } : own;

  const { series, choices, sources } = await seriesOf(db, row, asOf);
  const { byId, defaults, selectedIds, clamped, colors } = selectionOf(series, view);
  const { factors, unconvertible } = unitFactors(selectedIds, byId, own, unit);
  const drawn = selectedIds.filter((id) => factors.has(id));
  return {
    asOf,
    indicator,
    own,
    picked,
    unit,
    series,
    choices,
    sources,
    byId,
    defaults,
    selectedIds,
    clamped,
    colors,
    factors,
    unconvertible,
    drawn,
    range: { from: view.from, to: view.to },
    transform: view.transform,
    fileNames: fileNamesOf(indicator.slug, view, picked, view.transform),
  };
}

export async function buildView(
  db: ReadStore,
  row: IndicatorRow,
  view: ChartView,
  options: ViewOptions = {},
) {
  const frame = await viewFrame(db, row, view);
  const { asOf, indicator, own, picked, unit, series, choices, sources, byId, defaults } = frame;
  const { selectedIds, clamped, colors, factors, unconvertible, drawn, range } = frame;
  const buckets = bucketsPerSeries(drawn.length, options.pointBudget ?? CHART_POINT_BUDGET);

  // Series by series through a cache: random selections mostly name series seen before.
  const { points, stats: inRange } = await cachedPoints(db, drawn, range, asOf, buckets);
  // Over all time, the points' counts are the slider's bounds: no second read.
  const allTime =
    range.from === null && range.to === null ? inRange : await cachedAllTimeStats(db, drawn, asOf);
  const convert = converter(indicator.decimals);
  const pointsBySeries = pointsBySeriesOf(points, { factors, byId, own, convert });
  const transform = view.transform;
  // The first value of each series in view (downsampling keeps it): the base of
  // relative change and index, for the chart and for every page of the table.
  const bases = new Map([...pointsBySeries].map(([id, list]) => [id, list[0]!.value]));
  const chart: ChartSeries[] = [];
  for (const id of drawn) {
    const s = byId.get(id)!;
    const own = pointsBySeries.get(id) ?? [];
    const count = inRange.get(id)?.count ?? 0;
    const points =
      transform === 'change' && count > own.length
        ? await changeOfDownsampled(db, id, range, asOf, factors.get(id)!, convert, buckets, count)
        : transformPoints(own, transform);
    chart.push({ ...columnOf(id, s), color: colors.get(id)!, points });
  }
  const downsampled = drawn
    .map((id) => ({
      seriesId: id,
      shown: pointsBySeries.get(id)?.length ?? 0,
      total: inRange.get(id)?.count ?? 0,
    }))
    .filter((d) => d.total > d.shown);

  const total = sum(inRange.values());
  const pageCount = Math.max(1, Math.ceil(total / TABLE_PAGE_SIZE));
  const page = Math.min(Math.max(1, Math.floor(options.tablePage ?? 1)), pageCount);
  const tableContext = { drawn, range, asOf, transform, factors, byId, own, convert, bases };
  const table = await tablePage(db, tableContext, page, options.compact);
  const quotes = options.compact ? [] : await quotesOf(db, selectedIds, asOf);
  const archived = options.compact ? [] : await archivedOf(db, row);

  return {
    indicator,
    view,
    asOf,
    query: chartViewToSearch(view, defaults),
    /** The unit values are shown in, and whether it is not the indicator's own. */
    unit: { ...unit, converted: picked !== null },
    /** The transform of the values in view, with the unit and decimals of transformed values. */
    transform: {
      id: transform,
      ...TRANSFORM_LABELS[transform],
      unit: transformUnit(transform, unit),
      decimals: transformDecimals(transform, indicator.decimals),
    },
    /** The year the indicator's earliest claim was made, for "since the claim". */
    claimYear: claimYear(series),
    units: compatibleUnits(own),
    series,
    /** Every live series as the picker lists and names it. */
    choices,
    sources,
    defaults,
    selected: selectedIds.map((id) => byId.get(id)!),
    colors,
    clamped,
    unconvertible,
    chart,
    downsampled,
    bounds: boundsOf(allTime),
    /** Whether any value in view is dated finer than a year (the CSV's time column is then Day). */
    dated: [...inRange.values()].some((st) => st.dated),
    quotes: quotes.map(({ seriesId, ...q }) => ({ seriesId, quote: q as ViewQuote })),
    table: { rows: table, page, pageCount, total, pageSize: TABLE_PAGE_SIZE },
    archived,
    /** Per series, the factor that takes stored values to the shown unit. */
    factors,
    fileNames: frame.fileNames,
  };
}

const TRANSFORM_FILE_PARTS: Record<Exclude<Transform, 'absolute'>, string> = {
  relative: 'relative-change',
  change: 'change-on-previous',
  index: 'index',
};

function claimYear(series: ViewSeries[]): number | null {
  const years = series
    .filter((s) => s.kind !== 'observed')
    .map((s) => Number(s.recordedAt.slice(0, 4)));
  return years.length ? Math.min(...years) : null;
}

/**
 * The transform of table rows, which come by series then period: relative change and
 * index from each series' first value in view; the change on the previous period from
 * the row before, within the series.
 */
function tableTransform(transform: Transform, bases: Map<number, number>) {
  if (transform === 'absolute') return (_id: number, v: number): number | null => v;
  if (transform === 'change') {
    let t = transformer('change');
    let series = -1;
    return (id: number, v: number) => {
      if (id !== series) {
        t = transformer('change');
        series = id;
      }
      return t(id, v);
    };
  }
  return (id: number, v: number) => {
    const base = bases.get(id);
    return base === undefined ? null : fromBase(transform, base, v);
  };
}

/**
 * The change on the previous period of a downsampled series: computed on every value
 * in view as they stream past, and downsampled like the values themselves, so the
 * chart shows the same changes as the table. Memory holds the kept points, not the
 * series: `count` (the values in view) cuts the buckets, one more than the changes.
 */
async function changeOfDownsampled(
  db: ReadStore,
  id: number,
  range: { from: number | null; to: number | null },
  asOf: Date | null,
  factor: number,
  convert: (factor: number, v: number) => number | null,
  buckets: number,
  count: number,
): Promise<ChartPoint[]> {
  const next = transformer('change');
  const sampler = new Downsampler<Sample>(new Map([[id, Math.max(0, count - 1)]]), buckets);
  const kept: Sample[] = [];
  for await (const batch of db.chartRows([id], range, asOf)) {
    for (const [, period, value] of batch) {
      const converted = convert(factor, value);
      const v = converted === null ? null : next(id, converted);
      if (v !== null) sampler.push({ seriesId: id, period, value: v }, kept);
    }
  }
  sampler.end(kept);
  return kept.map((r) => ({
    period: r.period,
    precision: r.period.length === 4 ? 'year' : r.period.length === 7 ? 'month' : 'day',
    x: periodToYear(r.period),
    value: r.value,
    low: null,
    high: null,
  }));
}

function sum(stats: Iterable<SeriesStats>) {
  let n = 0;
  for (const s of stats) n += s.count;
  return n;
}

export type IndicatorView = NonNullable<Awaited<ReturnType<typeof loadIndicatorView>>>;
