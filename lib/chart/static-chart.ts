// The server's drawing of a view as an SVG image: what a page shows before (or
// without) JavaScript, the embed's first paint, and a file of its own at
// /indicators/<slug>/chart.svg. Served as an image rather than inlined, so a page
// carries one <img> instead of tens of kilobytes of paths twice over (once as HTML,
// once in the React payload), and the browser caches it by its ETag.
import 'server-only';
import { chartType, describeChart, effectiveScale, type ChartSeries } from '../domain/chart-view';
import { chartStyle, DARK, LIGHT } from '../domain/chart-theme';
import type { IndicatorView } from '../views/indicator';
import { chartScene, sceneToSvg, type SceneInput } from './chart-scene';

/** The boxes the pages draw the chart in; CSS picks one by the screen's width. */
export const STATIC_CHART_SIZES = {
  wide: { width: 1034, height: 360 },
  narrow: { width: 325, height: 280 },
  embed: { width: 760, height: 360 },
  'embed-narrow': { width: 340, height: 280 },
} as const;

export type StaticChartSize = keyof typeof STATIC_CHART_SIZES;

export function isStaticChartSize(s: string): s is StaticChartSize {
  return Object.hasOwn(STATIC_CHART_SIZES, s);
}

/** What every server drawing of a view shares: type, scale, range, unit, description. */
export function viewSceneInput(
  v: IndicatorView,
  size: { width: number; height: number },
): SceneInput {
  const type = chartType(v.chart);
  return {
    series: v.chart,
    type,
    scale: effectiveScale(v.chart, v.view.scale),
    range: { from: v.view.from, to: v.view.to },
    ...size,
    decimals: v.transform.decimals,
    unit: v.transform.unit.short,
    baseline: v.transform.id === 'index' ? 100 : 0,
    label: describeChart(
      { ...v.indicator, unitLong: v.transform.unit.long, decimals: v.transform.decimals },
      v.chart,
      type,
    ),
  };
}

// An SVG shown through <img> cannot see the page's stylesheet: it carries both themes.
const THEMED_STYLE = `${chartStyle(LIGHT)}@media (prefers-color-scheme: dark){${chartStyle(DARK)}}`;

/** The view drawn at one of the page sizes, as a standalone SVG document. */
export function staticChartSvg(v: IndicatorView, size: StaticChartSize): string {
  return sceneToSvg(chartScene(viewSceneInput(v, STATIC_CHART_SIZES[size])), THEMED_STYLE);
}

/**
 * An overview card's sketch, as a standalone SVG document (served at
 * /indicators/<slug>/sketch.svg): it shares the layout of the page's chart and carries
 * both themes. As an image, the overview carries one <img> a card, not its paths twice
 * over, which were four fifths of its HTML with 44 indicators.
 */
export function miniChartSvg(series: ChartSeries[], decimals: number, label: string): string {
  const scene = chartScene({
    mini: true,
    series,
    type: chartType(series.filter((s) => s.points.length > 0)),
    scale: 'linear',
    range: { from: null, to: null },
    width: 300,
    height: 70,
    decimals,
    unit: '',
    label,
  });
  return sceneToSvg(scene, THEMED_STYLE);
}
