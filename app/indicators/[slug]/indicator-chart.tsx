'use client';

// The interactive chart (tooltips, keyboard exploration), loaded lazily by ChartArea
// once the server-rendered SVG is on screen (and by the Add data preview). It fills
// its box, and draws the same layout as the server's SVG (lib/domain/chart-layout.ts)
// for the box's width: the same domains, ticks, line labels and value labels.
import '../../ui/chart.css';
import { useEffect, useRef, useState, type ReactNode } from 'react';
import {
  Bar,
  BarChart,
  CartesianGrid,
  Cell,
  LabelList,
  Line,
  LineChart,
  Tooltip,
  XAxis,
  YAxis,
  useXAxisScale,
  useYAxisScale,
} from 'recharts';
import {
  chartLayout,
  CHART_FONT,
  LABEL_HEIGHT,
  leader,
  placeLabels,
  placePointLabels,
  formatTick,
  type ChartLayout,
} from '@/lib/domain/chart-layout';
import type { ChartScale, ChartSeries, ChartType } from '@/lib/domain/chart-view';
import { formatValue, KIND_LABELS } from '@/lib/domain/format';
import { formatPeriod } from '@/lib/domain/period';

type DrawProps = {
  series: ChartSeries[];
  layout: ChartLayout;
  decimals: number;
  unit: string;
  /** The chart's one-sentence description: the accessible name of the chart. */
  description: string;
};

export type IndicatorChartProps = {
  series: ChartSeries[];
  type: ChartType;
  scale: ChartScale;
  indicator: { unitShort: string; decimals: number };
  view: { from: number | null; to: number | null };
  description?: string;
  /** The value the value axis always includes: 0, or 100 for an index. */
  baseline?: number;
  /** Shown until the box is measured. */
  fallback?: ReactNode;
};

/** The chart at the size of its box, re-laid out when the box changes size. */
export default function IndicatorChart(props: IndicatorChartProps) {
  const ref = useRef<HTMLDivElement>(null);
  const [size, setSize] = useState<{ width: number; height: number } | null>(null);
  useEffect(() => {
    const node = ref.current;
    if (!node) return;
    const measure = () => {
      const { width, height } = node.getBoundingClientRect();
      const next = { width: Math.floor(width), height: Math.floor(height) };
      setSize((s) => (s && s.width === next.width && s.height === next.height ? s : next));
    };
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(node);
    return () => observer.disconnect();
  }, []);
  const withData = props.series.filter((s) => s.points.length > 0);
  const decimals = props.indicator.decimals;
  const layout =
    size && size.width > 0 && size.height > 0
      ? chartLayout({
          series: withData,
          type: props.type,
          scale: props.scale,
          range: { from: props.view.from, to: props.view.to },
          width: size.width,
          height: size.height,
          baseline: props.baseline,
        })
      : null;
  return (
    <div ref={ref} className="chart-fill" data-interactive={layout ? 'true' : 'false'}>
      {!layout ? (
        props.fallback
      ) : withData.length === 0 ? (
        <div className="chart-placeholder">No data in the selected series and time range.</div>
      ) : (
        <Chart
          series={withData}
          layout={layout}
          decimals={decimals}
          unit={props.indicator.unitShort}
          description={props.description ?? ''}
        />
      )}
    </div>
  );
}

const LABELLED_POINTS = 3;
const MARKED_POINTS = 24;
const X_INSET = 12;

const tooltipStyle = {
  contentStyle: {
    background: 'var(--bg)',
    border: '1px solid var(--line)',
    color: 'var(--fg)',
    fontSize: 13,
  },
  labelStyle: { color: 'var(--fg)', fontWeight: 600 },
};

function UnitLabel({ unit }: { unit: string }) {
  return (
    <text x={0} y={CHART_FONT} className="chart-unit" data-unit="" fontSize={CHART_FONT}>
      {unit}
    </text>
  );
}

/** Labels in a column right of the plot, joined to each line's last point (as on the server). */
function LineEndLabels({ series, layout }: { series: ChartSeries[]; layout: ChartLayout }) {
  const x = useXAxisScale();
  const y = useYAxisScale();
  if (!x || !y) return null;
  const ends = new Map(series.map((s) => [s.id, s.points[s.points.length - 1]]));
  const placed = placeLabels(
    layout.lineLabels.flatMap((l) => {
      const end = ends.get(l.seriesId);
      const ex = end ? x(end.x) : undefined;
      const ey = end ? y(end.value) : undefined;
      return ex === undefined || ey === undefined ? [] : [{ ...l, ex, y: ey }];
    }),
    0,
    layout.height,
  );
  const column = layout.plot.left + layout.plot.width + 6;
  return (
    <g className="chart-line-labels">
      {placed
        .filter((l) => l.placedY + LABEL_HEIGHT / 2 <= layout.height + 0.5)
        .map((l) => (
          <g key={l.seriesId} className="chart-line-label">
            <polyline
              points={leader(l.ex, l.y, layout.plot.left + layout.plot.width, column, l.placedY)}
              fill="none"
              stroke={l.color}
              strokeWidth={1.5}
            />
            <text
              x={column + 9}
              y={l.placedY}
              dy="0.32em"
              className="chart-label"
              data-line-label={l.seriesId}
              fontSize={CHART_FONT}
            >
              {l.text !== l.full && <title>{l.full}</title>}
              {l.text}
            </text>
          </g>
        ))}
    </g>
  );
}

/** The values of series with a few points, beside their markers, never overlapping. */
function PointValues({
  series,
  layout,
  decimals,
}: {
  series: ChartSeries[];
  layout: ChartLayout;
  decimals: number;
}) {
  const x = useXAxisScale();
  const y = useYAxisScale();
  if (!x || !y) return null;
  const points = series
    .filter((s) => s.points.length <= LABELLED_POINTS)
    .flatMap((s) =>
      s.points.flatMap((p) => {
        const px = x(p.x);
        const py = y(p.value);
        return px === undefined || py === undefined
          ? []
          : [{ x: px, y: py, text: formatValue(p.value, decimals), key: `${s.id}-${p.period}` }];
      }),
    );
  const { plot } = layout;
  const placed = placePointLabels(points, {
    x: plot.left,
    y: 0,
    width: plot.width,
    height: plot.top + plot.height,
  });
  return (
    <g className="chart-values">
      {placed.map((l) => (
        <text key={l.key} x={l.box.x} y={l.baseline} className="chart-value" fontSize={CHART_FONT}>
          {l.text}
        </text>
      ))}
    </g>
  );
}

function Chart({ series, layout, decimals, unit, description }: DrawProps) {
  const fmt = (v: unknown) => (typeof v === 'number' ? formatValue(v, decimals) : String(v));
  const tick = (v: number) => formatTick(v);
  const withData = series.filter((s) => s.points.length > 0);
  const { width, height, margin } = layout;
  const chartMargin = { top: margin.top, right: margin.right, bottom: 0, left: 0 };
  const yAxis = (
    <YAxis
      scale={layout.y.scale}
      domain={layout.y.domain}
      ticks={layout.y.ticks}
      interval={0}
      tickFormatter={tick}
      tick={{ fontSize: CHART_FONT, fill: 'var(--muted)' }}
      width={margin.left}
      tickLine={false}
      axisLine={false}
    />
  );
  const grid = (
    <CartesianGrid vertical={false} horizontalValues={layout.y.ticks} stroke="var(--line)" />
  );

  if (layout.type === 'bar') {
    const names = new Map(layout.categories.map((c) => [c.seriesId, c.text]));
    const data = withData.map((s) => ({
      name: names.get(s.id) ?? s.entityName,
      value: s.points[0]!.value,
      color: s.color,
      projection: s.kind === 'projection',
      label: `${s.label} (${KIND_LABELS[s.kind].toLowerCase()})`,
      id: s.id,
    }));
    return (
      <BarChart
        width={width}
        height={height}
        data={data}
        margin={chartMargin}
        title={description}
        barCategoryGap="35%"
      >
        {grid}
        <XAxis
          dataKey="name"
          interval={0}
          height={margin.bottom}
          tickLine={false}
          stroke="var(--axis)"
          tick={{ fontSize: CHART_FONT, fill: 'var(--muted)' }}
        />
        {yAxis}
        <Tooltip
          {...tooltipStyle}
          cursor={{ fill: 'var(--panel)' }}
          formatter={(v, _name, item) => [
            `${fmt(v)} ${unit}`,
            (item.payload as { label?: string } | undefined)?.label ?? '',
          ]}
        />
        <Bar dataKey="value" isAnimationActive={false} maxBarSize={120}>
          {data.map((d) => (
            <Cell
              key={d.id}
              fill={d.color}
              className={d.projection ? 'chart-hollow' : undefined}
              stroke={d.color}
              strokeWidth={2}
              strokeDasharray={d.projection ? '6 4' : undefined}
              data-series={d.id}
            />
          ))}
          <LabelList
            dataKey="value"
            position="top"
            formatter={fmt}
            className="chart-value"
            fill="var(--fg)"
          />
        </Bar>
        <UnitLabel unit={unit} />
      </BarChart>
    );
  }

  return (
    <LineChart width={width} height={height} margin={chartMargin} title={description}>
      {grid}
      <XAxis
        type="number"
        dataKey="x"
        domain={layout.x.domain}
        ticks={layout.x.ticks}
        interval={0}
        tickFormatter={(v: number) => String(Math.round(v))}
        padding={{ left: X_INSET, right: X_INSET }}
        height={margin.bottom}
        tickLine={false}
        stroke="var(--axis)"
        tick={{ fontSize: CHART_FONT, fill: 'var(--muted)' }}
      />
      {yAxis}
      <Tooltip
        {...tooltipStyle}
        labelFormatter={(x) => String(Math.floor(Number(x)))}
        formatter={(v, name, item) => {
          const p = item.payload as ChartSeries['points'][number] | undefined;
          const when = p ? ` (${formatPeriod(p.period, p.precision)})` : '';
          return [`${fmt(v)} ${unit}${when}`, name];
        }}
      />
      {withData.map((s) => {
        const projection = s.kind === 'projection';
        const pointOnly = s.kind === 'reported' || s.points.length === 1;
        const markers = projection || pointOnly || s.points.length <= MARKED_POINTS;
        return (
          <Line
            key={s.id}
            data={s.points}
            dataKey="value"
            name={`${s.label} (${KIND_LABELS[s.kind].toLowerCase()})`}
            stroke={s.color}
            strokeWidth={pointOnly ? 0 : 2}
            strokeDasharray={projection ? '6 4' : undefined}
            className={projection ? 'chart-series projection' : 'chart-series'}
            dot={
              markers && {
                r: 4.5,
                fill: s.color,
                className: projection ? 'chart-hollow' : undefined,
                stroke: s.color,
                strokeWidth: 2,
                // The line's dash pattern must not break the marker's outline.
                strokeDasharray: '0',
              }
            }
            activeDot={{ r: 6 }}
            isAnimationActive={false}
            connectNulls
          />
        );
      })}
      <UnitLabel unit={unit} />
      <PointValues series={withData} layout={layout} decimals={decimals} />
      <LineEndLabels series={withData} layout={layout} />
    </LineChart>
  );
}
