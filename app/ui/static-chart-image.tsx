// The server's drawing of a view, as an image the browser fetches and caches on its own
// (lib/chart/static-chart.ts): readable without JavaScript and shown until the
// interactive chart has loaded. A phone gets the drawing made for its width.
import './chart.css';
import { STATIC_CHART_SIZES, viewSceneInput, type StaticChartSize } from '@/lib/chart/static-chart';
import type { IndicatorView } from '@/lib/views/indicator';

/** Where CSS switches the chart box to its phone width (app/ui/chart.css). */
const NARROW_MEDIA = '(max-width: 600px)';

export function StaticChartImage({
  v,
  wide = 'wide',
  narrow = 'narrow',
}: {
  v: IndicatorView;
  wide?: StaticChartSize;
  narrow?: StaticChartSize;
}) {
  const src = (size: StaticChartSize) => {
    const params = new URLSearchParams(v.query);
    params.set('size', size);
    return `/indicators/${v.indicator.slug}/chart.svg?${params}`;
  };
  const w = STATIC_CHART_SIZES[wide];
  const n = STATIC_CHART_SIZES[narrow];
  return (
    <picture className="static-chart-picture">
      <source media={NARROW_MEDIA} srcSet={src(narrow)} width={n.width} height={n.height} />
      <img
        className="static-chart"
        src={src(wide)}
        width={w.width}
        height={w.height}
        alt={viewSceneInput(v, w).label}
      />
    </picture>
  );
}
