// The layout every chart of the app shares: the server-rendered SVG on the indicator
// page, the overview's small charts, the interactive chart and the embed. Given the
// series and the size in pixels, it picks the domains, the ticks (as many as fit, so
// that no two tick labels touch), the margins, and the text of the labels at the line
// ends; placeLabels then spreads those labels so that none overlaps another.
// Pure and browser-safe: d3-array's `ticks` and `nice` only, no scale objects, so
// that the interactive chart does not carry a second copy of d3-scale.
import { nice, ticks } from 'd3-array';
import { extent, type ChartScale, type ChartSeries, type ChartType } from './chart-view';
import { formatValue } from './format';
import { LARGEST_VALUE, SMALLEST_VALUE } from './drawable';

/** Font size of axis and line labels, in pixels. */
export const CHART_FONT = 12;
/** Height of a line label's box; labels are spread so that their boxes do not overlap. */
export const LABEL_HEIGHT = 15;
const TICK_GAP = 12;
const X_AXIS_HEIGHT = 26;

// Em widths of common glyphs in the UI's sans-serif fonts, rounded up, so that an
// estimate is never narrower than the text drawn (the server cannot measure text).
const NARROW = new Set([...'iljI.,:;!|\'" ()[]/-']);
const WIDE = new Set([...'mwMW@%']);

/** An upper estimate of the width of a text in pixels. */
export function textWidth(text: string, fontSize = CHART_FONT): number {
  let em = 0;
  for (const ch of text) {
    if (NARROW.has(ch)) em += 0.36;
    else if (WIDE.has(ch)) em += 0.95;
    else if (ch >= '0' && ch <= '9') em += 0.6;
    else if (ch === ch.toUpperCase() && ch !== ch.toLowerCase()) em += 0.74;
    else em += 0.6;
  }
  return Math.ceil(em * fontSize);
}

/** Cuts a text to a width, with an ellipsis. */
export function fitText(text: string, maxWidth: number, fontSize = CHART_FONT): string {
  if (textWidth(text, fontSize) <= maxWidth) return text;
  const chars = [...text];
  while (chars.length > 1 && textWidth(`${chars.join('').trimEnd()}…`, fontSize) > maxWidth)
    chars.pop();
  return `${chars.join('').trimEnd()}…`;
}

/** Tick labels: as many decimals as the step needs, and compact figures (1.2M) for large numbers. */
export function formatTick(value: number): string {
  if (Math.abs(value) >= 100_000)
    return new Intl.NumberFormat('en-US', {
      notation: 'compact',
      maximumFractionDigits: 1,
    }).format(value);
  // Ticks land on round steps; float noise (0.30000000000000004) must not show.
  return formatValue(Number(value.toPrecision(12)), 0);
}

/**
 * The time axis: from the view's range when it has one, otherwise the data's years.
 * A single year is centred in a one-year window, with one tick, instead of floating
 * on a padded two-year axis.
 */
export function timeDomain(
  xs: number[],
  range: { from: number | null; to: number | null },
): [number, number] {
  const e = extent(xs);
  let lo = range.from ?? Math.floor(e?.min ?? new Date().getUTCFullYear());
  let hi = range.to ?? Math.ceil(e?.max ?? lo);
  if (e && range.from === null && range.to === null && e.max > Math.floor(e.max))
    hi = Math.max(hi, e.max);
  if (hi - lo < 1) {
    const mid = Math.floor(lo);
    lo = mid - 0.5;
    hi = mid + 0.5;
  }
  return [lo, hi];
}

/** Whole-year ticks, as many as fit the width with room between their labels. */
export function yearTicks(domain: [number, number], plotWidth: number): number[] {
  const [lo, hi] = domain;
  const room = textWidth('0000') + TICK_GAP;
  const span = hi - lo;
  const fits = (t: number[]) =>
    t.every((v, i) => i === 0 || ((v - t[i - 1]!) / span) * plotWidth >= room);
  for (let count = Math.max(1, Math.floor(plotWidth / (room * 1.6))); count >= 1; count--) {
    const t = ticks(lo, hi, count).filter((v) => Number.isInteger(v));
    if (t.length > 0 && fits(t)) return t;
  }
  const mid = Math.round((lo + hi) / 2);
  return mid >= lo && mid <= hi ? [mid] : [];
}

// Powers of ten a double holds: 1e-323 is the smallest above zero, 1e308 the largest.
const MIN_EXPONENT = -323;
const MAX_EXPONENT = 308;
const power = (exponent: number) => Number(`1e${exponent}`);

/**
 * A log axis from power of ten to power of ten. It counts in exponents, never in
 * ratios of values: hi / lo of 1e-300 and 1e300 is Infinity and 10 ** -330 is 0,
 * either of which would make the tick loop endless. At most 632 decades.
 */
function logAxis(min: number, max: number, maxCount: number): ValueAxis {
  const loE = Math.min(MAX_EXPONENT - 1, Math.max(MIN_EXPONENT, Math.floor(Math.log10(min))));
  const hiE = Math.min(MAX_EXPONENT, Math.max(loE + 1, Math.ceil(Math.log10(max))));
  const decades = hiE - loE;
  const step = Math.max(1, Math.ceil(decades / maxCount));
  const t: number[] = [];
  for (let d = loE; d <= hiE; d += step) t.push(power(d));
  if (decades <= maxCount / 3) for (let d = loE; d < hiE; d++) t.push(2 * power(d), 5 * power(d));
  t.sort((a, b) => a - b);
  return { domain: [power(loE), power(hiE)], ticks: t, scale: 'log' };
}

export type ValueAxis = { domain: [number, number]; ticks: number[]; scale: ChartScale };

/**
 * The value axis. Linear axes include zero (an index, 100), so values are read against it,
 * with headroom above the highest value for its marker and label; ticks are spaced
 * at least twice the font size apart. Log axes run from power of ten to power of ten.
 */
export function valueAxis(
  values: number[],
  scale: ChartScale,
  plotHeight: number,
  /** The value the axis always shows: 0, or 100 for an index. */
  baseline = 0,
): ValueAxis {
  const e = extent(values);
  const spacing = CHART_FONT * 2.4;
  const maxCount = Math.max(2, Math.floor(plotHeight / spacing));
  if (scale === 'log' && e && e.min > 0) return logAxis(e.min, e.max, maxCount);
  // Values past the drawable magnitudes (derived ones can be) sit at the axis' ends.
  // Below the smallest drawable magnitude is 0: d3 cannot step through -5e-324..5e-324.
  const clamp = (v: number) =>
    Math.abs(v) < SMALLEST_VALUE ? 0 : Math.min(LARGEST_VALUE, Math.max(-LARGEST_VALUE, v));
  let lo = clamp(Math.min(baseline, e?.min ?? baseline));
  let hi = clamp(Math.max(baseline, e?.max ?? baseline));
  if (lo === hi) hi = lo + 1;
  const pad = (hi - lo) * 0.08;
  if (hi > baseline) hi += pad;
  if (lo < baseline) lo -= pad;
  for (let count = maxCount; count > 2; count--) {
    const [a, b] = nice(lo, hi, count);
    const t = ticks(a, b, count);
    if (t.length > 0 && plotHeight / Math.max(1, t.length - 1) >= spacing)
      return { domain: [a, b], ticks: t, scale: 'linear' };
  }
  // Too short for three ticks: the two ends only.
  const [a, b] = nice(lo, hi, 2);
  const t = ticks(a, b, 2);
  // A span below what a double can step through (0 to 5e-324) has no ticks at all.
  if (t.length === 0) return { domain: [a, b], ticks: [a, b], scale: 'linear' };
  const ends = plotHeight / Math.max(1, t.length - 1) >= spacing ? t : [t[0]!, t[t.length - 1]!];
  return { domain: [a, b], ticks: [...new Set(ends)], scale: 'linear' };
}

export type Margin = { top: number; right: number; bottom: number; left: number };

export type LineLabel = {
  seriesId: number;
  /** The label as drawn, cut to the label column. */
  text: string;
  /** The full label, for a tooltip. */
  full: string;
  color: string;
};

export type ChartLayout = {
  type: ChartType;
  width: number;
  height: number;
  margin: Margin;
  plot: { left: number; top: number; width: number; height: number };
  x: { domain: [number, number]; ticks: number[] };
  y: ValueAxis;
  yTickLabels: string[];
  /** Bar charts: one category per series, labelled by entity (or by label where entities repeat). */
  categories: { seriesId: number; text: string; full: string }[];
  lineLabels: LineLabel[];
};

/**
 * What names a series on the chart: its entity; where two series in view share the
 * entity, the entity and the kind ("China (reported)", "China (observed)"); where
 * even that repeats, the series' label.
 */
export function seriesNames(
  series: Pick<ChartSeries, 'id' | 'label' | 'entityName' | 'kind'>[],
): Map<number, string> {
  const count = (key: (s: (typeof series)[number]) => string) => {
    const n = new Map<string, number>();
    for (const s of series) n.set(key(s), (n.get(key(s)) ?? 0) + 1);
    return (s: (typeof series)[number]) => n.get(key(s)) ?? 0;
  };
  const perEntity = count((s) => s.entityName);
  const perKind = count((s) => `${s.entityName}\u0000${s.kind}`);
  return new Map(
    series.map((s) => [
      s.id,
      perEntity(s) === 1
        ? s.entityName
        : perKind(s) === 1
          ? `${s.entityName} (${s.kind})`
          : s.label.includes(s.entityName)
            ? s.label
            : `${s.entityName}: ${s.label}`,
    ]),
  );
}

export type LayoutInput = {
  series: ChartSeries[];
  type: ChartType;
  scale: ChartScale;
  range: { from: number | null; to: number | null };
  width: number;
  height: number;
  /** The value the value axis always includes: 0, or 100 for an index. */
  baseline?: number;
  /** Small overview charts: no axes, no line labels. */
  mini?: boolean;
};

export function chartLayout(input: LayoutInput): ChartLayout {
  const { type, width, height, mini } = input;
  const series = input.series.filter((s) => s.points.length > 0);
  const names = seriesNames(series);
  const values = series.flatMap((s) => s.points.map((p) => p.value));
  // Above the plot: the unit of the value axis.
  const top = mini ? 16 : 30;
  const bottom = mini ? 10 : X_AXIS_HEIGHT;
  const plotHeight = Math.max(20, height - top - bottom);
  const y = valueAxis(
    values,
    type === 'bar' ? 'linear' : input.scale,
    plotHeight,
    input.baseline ?? 0,
  );
  const yTickLabels = y.ticks.map((t) => formatTick(t));
  const left = mini ? 8 : Math.max(...yTickLabels.map((t) => textWidth(t)), 10) + 10;

  let right = mini ? 8 : 16;
  let lineLabels: LineLabel[] = [];
  if (!mini && type === 'line') {
    // Line labels sit in a column right of the plot: a quarter of a wide chart, a third of a narrow one.
    const cap = Math.max(60, Math.min(180, Math.floor(width * (width < 500 ? 0.34 : 0.26))));
    lineLabels = series.map((s) => {
      const full = names.get(s.id)!;
      return { seriesId: s.id, full, text: fitText(full, cap), color: s.color };
    });
    const widest = Math.max(0, ...lineLabels.map((l) => textWidth(l.text)));
    right = Math.max(right, widest + 14);
  }
  const plot = {
    left,
    top,
    width: Math.max(20, width - left - right),
    height: plotHeight,
  };
  const xs = series.flatMap((s) => s.points.map((p) => p.x));
  const xDomain = timeDomain(xs, input.range);
  const categories =
    type === 'bar'
      ? series.map((s) => {
          const full = names.get(s.id)!;
          const slot = plot.width / Math.max(1, series.length);
          return { seriesId: s.id, full, text: fitText(full, slot - 8) };
        })
      : [];
  return {
    type,
    width,
    height,
    margin: { top, right, bottom, left },
    plot,
    x: { domain: xDomain, ticks: mini ? [] : yearTicks(xDomain, plot.width) },
    y,
    yTickLabels,
    categories,
    lineLabels,
  };
}

/**
 * Spreads labels vertically so that none overlaps another, each as near its wanted
 * position as it can be: overlapping labels merge into a block centred on their
 * mean wanted position, repeatedly, and blocks are kept inside [min, max]. Positions
 * are label centres. When they cannot all fit, they are packed from `min`.
 */
export function placeLabels<T extends { y: number }>(
  items: T[],
  min: number,
  max: number,
  height = LABEL_HEIGHT,
): (T & { placedY: number })[] {
  const sorted = items.map((item, i) => ({ item, i })).sort((a, b) => a.item.y - b.item.y);
  type Block = { start: number; members: number[]; wanted: number };
  const lo = min + height / 2;
  const hi = Math.max(lo, max - height / 2);
  let blocks: Block[] = sorted.map((s, k) => ({
    start: s.item.y,
    members: [k],
    wanted: s.item.y,
  }));
  const fit = (b: Block) => {
    const size = (b.members.length - 1) * height;
    const mean = b.wanted - size / 2;
    b.start = Math.min(Math.max(mean, lo), Math.max(lo, hi - size));
  };
  blocks.forEach(fit);
  for (let changed = true; changed;) {
    changed = false;
    const next: Block[] = [];
    for (const b of blocks) {
      const prev = next[next.length - 1];
      if (prev && prev.start + prev.members.length * height > b.start + 1e-9) {
        const n = prev.members.length + b.members.length;
        // A block's wanted position is the mean of its members' wanted positions.
        prev.wanted = (prev.wanted * prev.members.length + b.wanted * b.members.length) / n;
        prev.members.push(...b.members);
        fit(prev);
        changed = true;
      } else next.push(b);
    }
    blocks = next;
  }
  const placed = new Array<T & { placedY: number }>(items.length);
  for (const b of blocks)
    b.members.forEach((k, j) => {
      const { item, i } = sorted[k]!;
      placed[i] = { ...item, placedY: b.start + j * height };
    });
  return placed;
}

/**
 * The stroke from a line to its label: from the line's end when it ends at the plot's
 * right edge, otherwise from that edge only, so no stroke crosses the plot.
 */
export function leader(endX: number, endY: number, edge: number, column: number, y: number) {
  const startX = endX >= edge - 24 ? endX + 5 : edge;
  const startY = endX >= edge - 24 ? endY : y;
  return `${startX},${startY} ${column - 2},${y} ${column + 6},${y}`;
}

export type Box = { x: number; y: number; width: number; height: number };

const overlaps = (a: Box, b: Box) =>
  a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

/**
 * Value labels beside points (the few values of a claim): each tries above, below,
 * right and left of its point, and takes the first place that stays inside `bounds`
 * and clear of the labels already placed; a label with no free place is left out
 * (its value is in the table and the tooltip).
 */
export function placePointLabels<T extends { x: number; y: number; text: string }>(
  points: T[],
  bounds: Box,
  fontSize = CHART_FONT,
  gap = 8,
): (T & { box: Box; anchor: 'start' | 'middle' | 'end'; baseline: number })[] {
  const placed: (T & { box: Box; anchor: 'start' | 'middle' | 'end'; baseline: number })[] = [];
  const h = fontSize + 2;
  for (const p of points) {
    const w = textWidth(p.text, fontSize);
    const candidates: Box[] = [
      { x: p.x - w / 2, y: p.y - gap - h, width: w, height: h },
      { x: p.x - w / 2, y: p.y + gap, width: w, height: h },
      { x: p.x + gap, y: p.y - h / 2, width: w, height: h },
      { x: p.x - gap - w, y: p.y - h / 2, width: w, height: h },
    ];
    for (const c of candidates) {
      // Near an edge, a label above or below slides inward rather than giving up.
      const box = {
        ...c,
        x: Math.min(Math.max(c.x, bounds.x), bounds.x + bounds.width - c.width),
      };
      const inside =
        box.x >= bounds.x - 1e-9 &&
        box.y >= bounds.y - 1e-9 &&
        box.x + box.width <= bounds.x + bounds.width + 1e-9 &&
        box.y + box.height <= bounds.y + bounds.height + 1e-9;
      if (!inside || placed.some((q) => overlaps(q.box, box))) continue;
      placed.push({ ...p, box, anchor: 'start', baseline: box.y + h - 3 });
      break;
    }
  }
  return placed;
}
