// A small server-rendered SVG for the overview cards: no script, so the overview
// stays light and readable before (or without) JavaScript.
import { chartType, extent, type ChartSeries } from '@/lib/domain/chart-view';
import { formatValue } from '@/lib/domain/format';

const W = 300;
const H = 70;
const PAD = 14;

export function MiniChart({
  series,
  decimals,
  label,
}: {
  series: ChartSeries[];
  decimals: number;
  label: string;
}) {
  const withData = series.filter((s) => s.points.length > 0);
  const values = withData.flatMap((s) => s.points.map((p) => p.value));
  const range = extent(values);
  const max = Math.max(0, range?.max ?? 0);
  const min = Math.min(0, range?.min ?? 0);
  const y = (v: number) => H - PAD - ((v - min) / (max - min || 1)) * (H - 2 * PAD);
  const few = values.length <= 4;

  if (chartType(withData) === 'bar') {
    const slot = (W - 2 * PAD) / withData.length;
    return (
      <svg className="mini-chart" viewBox={`0 0 ${W} ${H}`} role="img" aria-label={label}>
        {withData.map((s, i) => {
          const v = s.points[0]!.value;
          const x = PAD + i * slot + slot * 0.2;
          const top = y(v);
          return (
            <g key={s.id}>
              <rect x={x} y={top} width={slot * 0.35} height={y(min) - top || 1} fill={s.color} />
              <text x={x + slot * 0.4} y={Math.min(top + 10, H - PAD)} fontSize="11" fill="#1d2330">
                {s.entityCode} {formatValue(v, decimals)}
              </text>
            </g>
          );
        })}
      </svg>
    );
  }

  const xs = extent(withData.flatMap((s) => s.points.map((p) => p.x)));
  const x0 = xs?.min ?? 0;
  const x1 = xs?.max ?? 0;
  const x = (v: number) => (x1 === x0 ? W / 2 : PAD + ((v - x0) / (x1 - x0)) * (W - 2 * PAD));
  return (
    <svg className="mini-chart" viewBox={`0 0 ${W} ${H}`} role="img" aria-label={label}>
      {withData.map((s) => {
        const projection = s.kind === 'projection';
        return (
          <g key={s.id}>
            {s.points.length > 1 && (
              <polyline
                points={s.points.map((p) => `${x(p.x)},${y(p.value)}`).join(' ')}
                fill="none"
                stroke={s.color}
                strokeWidth="2"
                strokeDasharray={projection ? '5 4' : undefined}
              />
            )}
            {few &&
              s.points.map((p) => (
                <g key={p.period}>
                  <circle
                    cx={x(p.x)}
                    cy={y(p.value)}
                    r="4"
                    fill={projection ? '#fff' : s.color}
                    stroke={s.color}
                    strokeWidth="2"
                  />
                  <text x={x(p.x) + 8} y={y(p.value) + 4} fontSize="11" fill="#1d2330">
                    {formatValue(p.value, decimals)} ({p.period.slice(0, 4)})
                  </text>
                </g>
              ))}
          </g>
        );
      })}
    </svg>
  );
}
