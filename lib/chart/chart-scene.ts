// A chart as a tree of SVG elements, drawn on the server with d3-scale and d3-shape
// from the shared layout (lib/domain/chart-layout.ts). One scene, two renderers: React
// elements for pages (app/ui/svg-chart.tsx) and an SVG document string for images
// (the Open Graph image). Colours that follow the theme are classes (styled in
// app/globals.css, or by chartStyle() in a standalone document); series colours
// are the series' own.
import 'server-only';
import { scaleBand, scaleLinear, scaleLog } from 'd3-scale';
import { line } from 'd3-shape';
import type { ChartPoint, ChartScale, ChartSeries, ChartType } from '../domain/chart-view';
import {
  CHART_FONT,
  chartLayout,
  LABEL_HEIGHT,
  leader,
  placeLabels,
  placePointLabels,
  type ChartLayout,
} from '../domain/chart-layout';
import { formatValue } from '../domain/format';
import { chartStyle, LIGHT } from '../domain/chart-theme';

export type SvgNode = {
  tag: string;
  attrs: Record<string, string | number | undefined>;
  children: (SvgNode | string)[];
};

const el = (tag: string, attrs: SvgNode['attrs'], children: SvgNode[] | string = []): SvgNode => ({
  tag,
  attrs,
  children: typeof children === 'string' ? [children] : children,
});

export type SceneInput = {
  series: ChartSeries[];
  type: ChartType;
  scale: ChartScale;
  range: { from: number | null; to: number | null };
  width: number;
  height: number;
  decimals: number;
  /** The unit of the value axis, written above it. */
  unit: string;
  /** The accessible name: the chart's one-sentence description. */
  label: string;
  /** The value the value axis always includes: 0, or 100 for an index. */
  baseline?: number;
  mini?: boolean;
};

/** Series with this many points or fewer get their values written beside their markers. */
const LABELLED_POINTS = 3;
/** Markers on every point of a long observed series would hide the line. */
const MARKED_POINTS = 24;

export function chartScene(input: SceneInput): SvgNode {
  const { width, height, decimals, mini } = input;
  const series = input.series.filter((s) => s.points.length > 0);
  const layout = chartLayout({ ...input, series, mini });
  const root = (children: SvgNode[]) =>
    el(
      'svg',
      {
        xmlns: 'http://www.w3.org/2000/svg',
        viewBox: `0 0 ${width} ${height}`,
        width,
        height,
        role: 'img',
        'aria-label': input.label,
        class: mini ? 'svg-chart mini' : 'svg-chart',
        'font-size': CHART_FONT,
        'font-family': 'system-ui, -apple-system, Segoe UI, Roboto, Noto Sans, sans-serif',
      },
      children,
    );
  if (series.length === 0) {
    return root([
      el(
        'text',
        { x: width / 2, y: height / 2, 'text-anchor': 'middle', class: 'chart-muted' },
        'No data in the selected series and time range.',
      ),
    ]);
  }
  const { plot } = layout;
  const yScale = (layout.y.scale === 'log' ? scaleLog() : scaleLinear())
    .domain(layout.y.domain)
    .range([plot.top + plot.height, plot.top])
    // A value beyond the axis (above 1e300, below 1e-323 on a log axis) is drawn at its end.
    .clamp(true);
  const nodes: SvgNode[] = [];
  if (!mini) nodes.push(...valueAxis(layout, yScale, input.unit, input.baseline ?? 0));
  if (input.type === 'bar') nodes.push(...bars(layout, series, yScale, decimals, mini));
  else nodes.push(...lines(layout, series, yScale, decimals, mini));
  return root(nodes);
}

type YScale = (v: number) => number;

function valueAxis(layout: ChartLayout, y: YScale, unit: string, baseline: number): SvgNode[] {
  const { plot } = layout;
  const out: SvgNode[] = [
    el('text', { x: 0, y: CHART_FONT, class: 'chart-unit', 'data-unit': '' }, unit),
  ];
  layout.y.ticks.forEach((t, i) => {
    const py = y(t);
    out.push(
      el('line', {
        x1: plot.left,
        x2: plot.left + plot.width,
        y1: py,
        y2: py,
        class: t === baseline ? 'chart-zero' : 'chart-grid',
      }),
      el(
        'text',
        {
          x: plot.left - 6,
          y: py,
          dy: '0.32em',
          'text-anchor': 'end',
          class: 'chart-tick',
          'data-axis': 'y',
        },
        layout.yTickLabels[i]!,
      ),
    );
  });
  return out;
}

function marker(p: { x: number; y: number }, color: string, hollow: boolean, r: number) {
  return el('circle', {
    cx: p.x,
    cy: p.y,
    r,
    fill: hollow ? undefined : color,
    class: hollow ? 'chart-hollow' : undefined,
    stroke: color,
    'stroke-width': 2,
  });
}

function lines(
  layout: ChartLayout,
  series: ChartSeries[],
  y: YScale,
  decimals: number,
  mini: boolean | undefined,
): SvgNode[] {
  const { plot } = layout;
  const inset = mini ? 8 : 12;
  const x = scaleLinear()
    .domain(layout.x.domain)
    .range([plot.left + inset, plot.left + plot.width - inset]);
  const out: SvgNode[] = [];
  if (!mini) {
    for (const t of layout.x.ticks)
      out.push(
        el(
          'text',
          {
            x: x(t),
            y: plot.top + plot.height + 18,
            'text-anchor': 'middle',
            class: 'chart-tick',
            'data-axis': 'x',
          },
          String(t),
        ),
      );
  }
  // A tenth of a pixel is finer than any screen or the 2× PNG shows, and a path of a
  // thousand points is a third shorter for it.
  const path = line<ChartPoint>()
    .x((p) => x(p.x))
    .y((p) => y(p.value))
    .digits(1);
  const valueLabels: { x: number; y: number; text: string }[] = [];
  for (const s of series) {
    const projection = s.kind === 'projection';
    const pointOnly = s.kind === 'reported' || s.points.length === 1;
    const g: SvgNode[] = [];
    if (!pointOnly)
      g.push(
        el('path', {
          d: path(s.points) ?? '',
          fill: 'none',
          stroke: s.color,
          'stroke-width': 2,
          'stroke-dasharray': projection ? '6 4' : undefined,
          'stroke-linejoin': 'round',
        }),
      );
    if (projection || pointOnly || s.points.length <= MARKED_POINTS)
      for (const p of s.points)
        g.push(marker({ x: x(p.x), y: y(p.value) }, s.color, projection, mini ? 3.5 : 4.5));
    out.push(
      el(
        'g',
        { 'data-series': s.id, class: projection ? 'chart-series projection' : 'chart-series' },
        g,
      ),
    );
    if (s.points.length <= LABELLED_POINTS)
      for (const p of s.points)
        valueLabels.push({
          x: x(p.x),
          y: y(p.value),
          text: mini
            ? `${formatValue(p.value, decimals)} (${p.period.slice(0, 4)})`
            : formatValue(p.value, decimals),
        });
  }
  const fontSize = mini ? 11 : CHART_FONT;
  const bounds = mini
    ? { x: 0, y: 0, width: layout.width, height: layout.height }
    : { x: plot.left, y: 0, width: plot.width, height: plot.top + plot.height };
  for (const l of placePointLabels(valueLabels, bounds, fontSize))
    out.push(
      el(
        'text',
        { x: l.box.x, y: l.baseline, class: 'chart-value', 'font-size': fontSize },
        l.text,
      ),
    );
  if (!mini) out.push(...lineLabels(layout, series, x, y));
  return out;
}

/** Labels in a column right of the plot, each joined to its line's last point. */
function lineLabels(
  layout: ChartLayout,
  series: ChartSeries[],
  x: (v: number) => number,
  y: YScale,
): SvgNode[] {
  const { plot } = layout;
  const ends = new Map(series.map((s) => [s.id, s.points[s.points.length - 1]!]));
  const placed = placeLabels(
    layout.lineLabels.map((l) => {
      const end = ends.get(l.seriesId)!;
      return { ...l, end: { x: x(end.x), y: y(end.value) }, y: y(end.value) };
    }),
    0,
    layout.height,
  );
  const column = plot.left + plot.width + 6;
  return placed
    .filter((l) => l.placedY + LABEL_HEIGHT / 2 <= layout.height + 0.5)
    .map((l) =>
      el('g', { class: 'chart-line-label' }, [
        el('polyline', {
          points: leader(l.end.x, l.end.y, plot.left + plot.width, column, l.placedY),
          fill: 'none',
          stroke: l.color,
          'stroke-width': 1.5,
        }),
        {
          tag: 'text',
          attrs: {
            x: column + 9,
            y: l.placedY,
            dy: '0.32em',
            class: 'chart-label',
            'data-line-label': l.seriesId,
          },
          children: l.text === l.full ? [l.text] : [el('title', {}, l.full), l.text],
        },
      ]),
    );
}

function bars(
  layout: ChartLayout,
  series: ChartSeries[],
  y: YScale,
  decimals: number,
  mini: boolean | undefined,
): SvgNode[] {
  const { plot } = layout;
  const x = scaleBand<number>()
    .domain(series.map((s) => s.id))
    .range([plot.left, plot.left + plot.width])
    .paddingInner(0.35)
    .paddingOuter(0.2);
  const band = Math.min(x.bandwidth(), 120);
  const base = y(Math.max(layout.y.domain[0], 0));
  const out: SvgNode[] = [];
  const names = new Map(layout.categories.map((c) => [c.seriesId, c]));
  for (const s of series) {
    const v = s.points[0]!.value;
    const projection = s.kind === 'projection';
    const left = x(s.id)! + (x.bandwidth() - band) / 2;
    const top = Math.min(y(v), base);
    out.push(
      el('rect', {
        x: left,
        y: top,
        width: band,
        height: Math.max(1, Math.abs(base - y(v))),
        fill: projection ? undefined : s.color,
        class: projection ? 'chart-hollow' : undefined,
        stroke: s.color,
        'stroke-width': 2,
        'stroke-dasharray': projection ? '6 4' : undefined,
        'data-series': s.id,
      }),
      el(
        'text',
        {
          x: left + band / 2,
          y: top - 6,
          'text-anchor': 'middle',
          class: 'chart-value',
          'font-size': mini ? 11 : CHART_FONT,
        },
        mini ? `${s.entityCode} ${formatValue(v, decimals)}` : formatValue(v, decimals),
      ),
    );
    if (!mini)
      out.push(
        el(
          'text',
          {
            x: left + band / 2,
            y: plot.top + plot.height + 18,
            'text-anchor': 'middle',
            class: 'chart-tick',
            'data-axis': 'x',
          },
          names.get(s.id)?.text ?? s.entityName,
        ),
      );
  }
  return out;
}

const escapeXml = (s: string) =>
  s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

/** The scene as an SVG document, styled with the light theme. */
export function sceneToSvg(node: SvgNode, style: string | null = chartStyle(LIGHT)): string {
  const write = (n: SvgNode | string): string => {
    if (typeof n === 'string') return escapeXml(n);
    const attrs = Object.entries(n.attrs)
      .filter(([, v]) => v !== undefined)
      // Positions to a tenth of a pixel, as the paths are: full doubles (45.77777777777777)
      // made half of an overview's sketches.
      .map(
        ([k, v]) =>
          ` ${k}="${typeof v === 'number' ? Math.round(v * 10) / 10 : escapeXml(String(v))}"`,
      )
      .join('');
    return `<${n.tag}${attrs}>${n.children.map(write).join('')}</${n.tag}>`;
  };
  // Inline in a page, the page's stylesheet themes the chart: a <style> would leak into it.
  return write(
    style === null ? node : { ...node, children: [el('style', {}, style), ...node.children] },
  );
}
