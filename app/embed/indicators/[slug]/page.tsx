// An indicator's chart for other sites to embed (<iframe>): the chart of the view the
// URL names, its legend and its sources, each linking back. This route alone may be
// framed by any origin (next.config.js); it takes the indicator page's query.
import './embed.css';
import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { loadIndicatorView } from '@/lib/views/indicator';
import { parseChartView, toWire } from '@/lib/domain/chart-view';
import { STATIC_CHART_SIZES, viewSceneInput } from '@/lib/chart/static-chart';
import { seriesNames } from '@/lib/domain/chart-layout';
import { KIND_LABELS } from '@/lib/domain/format';
import { requestOrigin } from '@/lib/web/request-origin';
import { StaticChartImage } from '@/app/ui/static-chart-image';
import { EmbedChart } from './embed-chart';

type Props = {
  params: Promise<{ slug: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
};

async function load({ params, searchParams }: Props) {
  const [{ slug }, query] = await Promise.all([params, searchParams]);
  return loadIndicatorView(slug, parseChartView(query), { compact: true });
}

export async function generateMetadata(props: Props): Promise<Metadata> {
  const v = await load(props);
  return { title: v?.indicator.title ?? 'Indicator not found', robots: { index: false } };
}

export default async function EmbedPage(props: Props) {
  const v = await load(props);
  if (!v) notFound();
  const origin = await requestOrigin();
  const q = v.query ? `?${v.query}` : '';
  // The interactive chart takes what the server's drawing takes: one description of the view.
  const { type, scale, range, decimals, unit, baseline, label } = viewSceneInput(
    v,
    STATIC_CHART_SIZES.embed,
  );
  const chart = { type, scale, range, decimals, unit, baseline: baseline ?? 0, description: label };
  const names = seriesNames(v.chart);
  const sources = [...new Set(v.selected.map((s) => s.sourceId))].flatMap(
    (id) => v.sources.get(id) ?? [],
  );
  return (
    <figure className="embed" aria-labelledby="embed-title">
      <p className="embed-title" id="embed-title">
        <a href={`${origin}/indicators/${v.indicator.slug}${q}`} target="_blank" rel="noopener">
          {v.indicator.title}
        </a>
      </p>
      <p className="meta">
        {v.transform.id === 'absolute'
          ? `${v.unit.long} (${v.unit.short})`
          : `${v.transform.unit.long}; values in ${v.unit.long}`}
      </p>
      <EmbedChart
        series={toWire(v.chart)}
        {...chart}
        fallback={<StaticChartImage v={v} wide="embed" narrow="embed-narrow" />}
      />
      <ul className="legend" aria-label="Legend">
        {v.chart
          .filter((s) => s.points.length > 0)
          .map((s) => (
            <li key={s.id}>
              <span
                className={`swatch${s.kind === 'projection' ? ' dashed' : ''}`}
                style={{ background: s.color, color: s.color }}
                aria-hidden="true"
              />
              {names.get(s.id)}: {s.label} <span className="kind-badge">{KIND_LABELS[s.kind]}</span>
            </li>
          ))}
      </ul>
      <figcaption className="source-line" data-testid="embed-source">
        {sources.map((s) => (
          <span key={s.id}>Source: {s.citation} </span>
        ))}
        Chart:{' '}
        <a href={`${origin}/indicators/${v.indicator.slug}${q}`} target="_blank" rel="noopener">
          Sourced
        </a>
        , where every number carries its source.
      </figcaption>
    </figure>
  );
}
