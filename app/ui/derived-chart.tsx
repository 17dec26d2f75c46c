// The lines derivations compute from their operands, with the claims they score, drawn
// on the server (lib/chart/chart-scene.ts) below the indicator's own chart: they are
// computed on every view and are not stored series the interactive chart can fetch.
import './chart.css';
import './derived-chart.css';
import { chartType, describeChart, type ChartSeries } from '@/lib/domain/chart-view';
import type { DerivedSeriesSource } from '@/lib/derivations/series';
import { KIND_LABELS } from '@/lib/domain/format';
import { SvgChart } from './svg-chart';

export function DerivedChart({
  indicator,
  claims,
  lines,
  sources,
}: {
  indicator: { title: string; unitLong: string; unitShort: string; decimals: number };
  /** The indicator's claims (projected and reported series), to compare with. */
  claims: ChartSeries[];
  lines: ChartSeries[];
  sources: DerivedSeriesSource[];
}) {
  if (lines.length === 0) return null;
  const series = [...claims, ...lines];
  const type = chartType(series);
  const common = {
    series,
    type,
    scale: 'linear' as const,
    range: { from: null, to: null },
    decimals: indicator.decimals,
    unit: indicator.unitShort,
    label: describeChart(indicator, series, type),
  };
  return (
    <section
      className="derived-chart"
      data-testid="derived-chart"
      aria-labelledby="derived-heading"
    >
      <h2 id="derived-heading">Computed from other series</h2>
      <p className="meta">
        {sources.map((d, i) => (
          <span key={d.seriesId}>
            {i > 0 && ' '}
            <strong>{d.title}</strong>
            {d.proxy && <span className="kind-badge proxy-badge">Proxy</span>}: {d.expression},
            recomputed from the operands’ current observed values on every view.
          </span>
        ))}
      </p>
      <div className="derived-chart-area">
        <SvgChart {...common} className="static-chart wide" width={1034} height={320} />
        <SvgChart {...common} className="static-chart narrow" width={325} height={260} />
      </div>
      <ul className="legend">
        {series.map((s) => (
          <li key={s.id}>
            <span
              className={`swatch${s.kind === 'projection' ? ' dashed' : ''}`}
              style={{ background: s.color, color: s.color }}
              aria-hidden="true"
            />
            {s.label} ({KIND_LABELS[s.kind].toLowerCase()}, {s.entityName})
          </li>
        ))}
      </ul>
    </section>
  );
}
