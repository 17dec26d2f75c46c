'use client';

// Recharts draws in the browser only; this module is loaded lazily by ChartPanel.
import {
  Bar,
  BarChart,
  CartesianGrid,
  Cell,
  LabelList,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import {
  extent,
  type ChartScale,
  type ChartSeries,
  type ChartType,
  type ChartView,
} from '@/lib/domain/chart-view';
import { formatValue, KIND_LABELS } from '@/lib/domain/format';
import { formatPeriod } from '@/lib/domain/period';

/** The next round number (1, 2, 2.5 or 5 × 10ⁿ) at or above `v`, for a tidy top tick. */
function niceCeiling(v: number): number {
  if (!(v > 0)) return 1;
  const step = 10 ** Math.floor(Math.log10(v));
  const m = [1, 2, 2.5, 5, 10].find((f) => f * step >= v) ?? 10;
  return m * step;
}

type Props = {
  series: ChartSeries[];
  type: ChartType;
  scale: ChartScale;
  indicator: { unitShort: string; decimals: number };
  view: ChartView;
};

export default function IndicatorChart({ series, type, scale, indicator, view }: Props) {
  const fmt = (v: unknown) =>
    typeof v === 'number' ? formatValue(v, indicator.decimals) : String(v);
  const withData = series.filter((s) => s.points.length > 0);
  if (withData.length === 0) {
    return <div className="chart-placeholder">No data in the selected series and time range.</div>;
  }
  const yAxis = (
    <YAxis
      scale={scale}
      // Headroom above the highest value keeps its marker and label inside the plot.
      domain={scale === 'log' ? ['auto', 'auto'] : [0, (max: number) => niceCeiling(max * 1.1)]}
      allowDataOverflow={scale === 'log'}
      tickFormatter={fmt}
      width={72}
      label={{ value: indicator.unitShort, angle: -90, position: 'insideLeft', offset: 4 }}
    />
  );

  if (type === 'bar') {
    const data = withData.map((s) => ({
      name: s.entityName,
      value: s.points[0]!.value,
      color: s.color,
      projection: s.kind === 'projection',
      label: s.label,
    }));
    return (
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={data} margin={{ top: 24, right: 16, bottom: 8, left: 8 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="name" />
          {yAxis}
          <Tooltip formatter={(v) => [fmt(v), indicator.unitShort]} />
          <Bar dataKey="value" isAnimationActive={false}>
            {data.map((d) => (
              <Cell
                key={d.label}
                fill={d.projection ? '#ffffff' : d.color}
                stroke={d.color}
                strokeWidth={2}
                strokeDasharray={d.projection ? '6 4' : undefined}
              />
            ))}
            <LabelList dataKey="value" position="top" formatter={fmt} />
          </Bar>
        </BarChart>
      </ResponsiveContainer>
    );
  }

  const xs = extent(withData.flatMap((s) => s.points.map((p) => p.x)))!;
  const lo = view.from ?? Math.floor(xs.min);
  const hi = view.to ?? Math.ceil(xs.max);
  const domain: [number, number] = lo === hi ? [lo - 1, hi + 1] : [lo, hi];
  return (
    <ResponsiveContainer width="100%" height="100%">
      <LineChart margin={{ top: 16, right: 24, bottom: 8, left: 8 }}>
        <CartesianGrid strokeDasharray="3 3" />
        <XAxis
          type="number"
          dataKey="x"
          domain={domain}
          allowDecimals={false}
          tickFormatter={(v: number) => String(Math.round(v))}
          padding={{ left: 16, right: 16 }}
        />
        {yAxis}
        <Tooltip
          labelFormatter={(x) => String(Math.floor(Number(x)))}
          formatter={(v, name, item) => {
            const p = item.payload as ChartSeries['points'][number] | undefined;
            const when = p ? ` (${formatPeriod(p.period, p.precision)})` : '';
            return [`${fmt(v)} ${indicator.unitShort}${when}`, name];
          }}
        />
        {withData.map((s) => {
          const projection = s.kind === 'projection';
          const pointOnly = s.kind === 'reported' || s.points.length === 1;
          // Markers on every point of a long observed series would hide the line.
          const markers = projection || pointOnly || s.points.length <= 24;
          return (
            <Line
              key={s.id}
              data={s.points}
              dataKey="value"
              name={`${s.label} (${KIND_LABELS[s.kind].toLowerCase()})`}
              stroke={s.color}
              strokeWidth={pointOnly ? 0 : 2}
              strokeDasharray={projection ? '6 4' : undefined}
              dot={
                markers && {
                  r: projection ? 6 : 4,
                  fill: projection ? '#ffffff' : s.color,
                  stroke: s.color,
                  strokeWidth: 2,
                  // The line's dash pattern must not break the marker's outline.
                  strokeDasharray: '0',
                }
              }
              activeDot={{ r: 7 }}
              isAnimationActive={false}
              connectNulls
            >
              {s.points.length <= 3 && (
                <LabelList
                  dataKey="value"
                  position="top"
                  offset={10}
                  formatter={fmt}
                  fill={s.color}
                />
              )}
            </Line>
          );
        })}
      </LineChart>
    </ResponsiveContainer>
  );
}
