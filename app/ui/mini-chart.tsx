// A small server-rendered SVG for the overview cards: no script, so the overview
// stays light and readable before (or without) JavaScript. It shares its layout
// (domains, label placement) with the indicator page's chart.
import { chartType, type ChartSeries } from '@/lib/domain/chart-view';
import { SvgChart } from './svg-chart';

export function MiniChart({
  series,
  decimals,
  label,
}: {
  series: ChartSeries[];
  decimals: number;
  label: string;
}) {
  return (
    <SvgChart
      className="mini-chart"
      mini
      series={series}
      type={chartType(series.filter((s) => s.points.length > 0))}
      scale="linear"
      range={{ from: null, to: null }}
      width={300}
      height={70}
      decimals={decimals}
      unit=""
      label={label}
    />
  );
}
