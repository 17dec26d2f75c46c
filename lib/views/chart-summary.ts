// What the indicator page says about the chart the server drew for its view: the kind
// of chart, its axis, its one-sentence description and its legend. The page sends
// these rather than the chart's points, which only the interactive chart needs (it
// fetches them when it is used).
import { chartType, describeChart, effectiveScale } from '../domain/chart-view';
import { KIND_LABELS } from '../domain/format';
import type { IndicatorView } from './indicator';

export function chartSummary(v: IndicatorView) {
  const type = chartType(v.chart);
  const description = describeChart(
    { title: v.indicator.title, unitLong: v.transform.unit.long, decimals: v.transform.decimals },
    v.chart,
    type,
  );
  return {
    type,
    scale: effectiveScale(v.chart, v.view.scale),
    description,
    legend: v.chart
      .filter((s) => s.points.length > 0)
      .map((s) => ({
        color: s.color,
        text: `${s.label} (${KIND_LABELS[s.kind].toLowerCase()})`,
        dashed: s.kind === 'projection',
      })),
  };
}
