import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { getIndicator, toChartSeries, type SeriesDetail } from '@/lib/data';
import { applyChartView, parseChartView, yearBounds } from '@/lib/domain/chart-view';
import { formatValue, KIND_LABELS } from '@/lib/domain/format';
import { formatPeriod } from '@/lib/domain/period';
import { ChartPanel } from './chart-panel';

type Props = {
  params: Promise<{ slug: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
};

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const indicator = await getIndicator((await params).slug);
  return { title: indicator?.title ?? 'Indicator not found' };
}

export default async function IndicatorPage({ params, searchParams }: Props) {
  const [{ slug }, query] = await Promise.all([params, searchParams]);
  const indicator = await getIndicator(slug);
  if (!indicator) notFound();

  const view = parseChartView(query);
  const all = toChartSeries(indicator.series);
  const visible = applyChartView(all, view);
  const byId = new Map(indicator.series.map((s) => [s.id, s]));

  return (
    <>
      <p className="meta">
        <Link href="/">Indicators</Link> ›
      </p>
      <h1>{indicator.title}</h1>
      <p className="lede">
        {indicator.description} Unit: {indicator.unitLong} ({indicator.unitShort}).
      </p>

      <ChartPanel
        series={all}
        indicator={{
          title: indicator.title,
          unitShort: indicator.unitShort,
          unitLong: indicator.unitLong,
          decimals: indicator.decimals,
        }}
        bounds={yearBounds(all)}
      />

      <h2 id="data">Data</h2>
      <div className="table-wrap">
        <table data-testid="data-table">
          <caption className="visually-hidden">
            {indicator.title}: the values the chart shows, in {indicator.unitLong}
          </caption>
          <thead>
            <tr>
              <th scope="col">Series</th>
              <th scope="col">Entity</th>
              <th scope="col">Kind</th>
              <th scope="col">Period</th>
              <th scope="col" className="num">
                Value ({indicator.unitShort})
              </th>
              <th scope="col">Note</th>
            </tr>
          </thead>
          <tbody>
            {visible.flatMap((s) =>
              s.points.map((p) => (
                <tr key={`${s.id}-${p.period}`} data-series={s.id}>
                  <td>{s.label}</td>
                  <td>
                    {s.entityName} ({s.entityCode})
                  </td>
                  <td>{KIND_LABELS[s.kind]}</td>
                  <td>{formatPeriod(p.period, p.precision)}</td>
                  <td className="num">{formatValue(p.value, indicator.decimals)}</td>
                  <td>{byId.get(s.id)?.observations.find((o) => o.period === p.period)?.note}</td>
                </tr>
              )),
            )}
          </tbody>
        </table>
        {visible.every((s) => s.points.length === 0) && (
          <p className="meta">No values in the selected series and time range.</p>
        )}
      </div>

      <h2 id="sources">Sources</h2>
      <ul className="sources">
        {indicator.series.map((s) => (
          <SeriesProvenance key={s.id} series={s} />
        ))}
      </ul>
    </>
  );
}

function SeriesProvenance({ series: s }: { series: SeriesDetail }) {
  return (
    <li className="source-item" style={{ borderLeftColor: s.color }} data-series={s.id}>
      <strong>{s.label}</strong> <span className="kind-badge">{KIND_LABELS[s.kind]}</span>{' '}
      <span className="meta">
        {s.entity.name} ({s.entity.code})
      </span>
      {s.quotes.map((q) => (
        <figure key={q.id} style={{ margin: '6px 0' }}>
          <blockquote cite={s.source.url ?? undefined}>{q.text}</blockquote>
          <figcaption className="meta">
            {q.speaker && <>Said by {q.speaker}. </>}
            {q.attribution && !q.speaker && <>Attribution: {q.attribution}. </>}
            {q.citedOutlet && <>Cited outlet: {q.citedOutlet}. </>}
            <Link href={`/sources/${s.source.id}#quote-${q.id}`}>In context</Link>
          </figcaption>
        </figure>
      ))}
      <p className="meta">
        Document: <Link href={`/sources/${s.source.id}`}>{s.source.citation}</Link>
      </p>
      {s.source.publishedNote && <p className="meta">Date: {s.source.publishedNote}</p>}
      <p className="meta">Recorded {s.recordedAt.slice(0, 10)}.</p>
    </li>
  );
}
