import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { cache } from 'react';
import { isEditor } from '@/lib/auth';
import { getIndicator, listRevisions, toChartSeries, type SeriesDetail } from '@/lib/data';
import { getScorecard } from '@/lib/claims';
import { parseAsOf } from '@/lib/domain/as-of';
import { compatibleUnits, displayUnit } from '@/lib/domain/units';
import {
  applyChartView,
  chartViewToSearch,
  parseChartView,
  yearBounds,
  type ChartSeries,
} from '@/lib/domain/chart-view';
import { AsOfForm } from '../../ui/as-of-form';
import { ScorecardTable } from '../../ui/scorecard';
import { formatValue, KIND_LABELS } from '@/lib/domain/format';
import { formatPeriod } from '@/lib/domain/period';
import { archiveSeriesAction } from './actions';
import { ChartPanel } from './chart-panel';

type Props = {
  params: Promise<{ slug: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
};

// The metadata and the page read the same indicator once per request.
const loadIndicator = cache((slug: string, asOf: string | null) =>
  getIndicator(slug, undefined, parseAsOf(asOf)),
);

export async function generateMetadata({ params, searchParams }: Props): Promise<Metadata> {
  const [{ slug }, query] = await Promise.all([params, searchParams]);
  const indicator = await loadIndicator(slug, parseChartView(query).asOf);
  return { title: indicator?.title ?? 'Indicator not found' };
}

export default async function IndicatorPage({ params, searchParams }: Props) {
  const [{ slug }, query] = await Promise.all([params, searchParams]);
  const view = parseChartView(query);
  const asOf = parseAsOf(view.asOf);
  const [indicator, claims] = await Promise.all([
    loadIndicator(slug, view.asOf),
    getScorecard({ asOf, indicator: slug }),
  ]);
  if (!indicator) notFound();

  const editor = await isEditor();
  const historyId = typeof query.history === 'string' ? Number(query.history) : NaN;
  const historySeries = indicator.series.find((s) => s.id === historyId);
  const history = historySeries ? await listRevisions(historySeries.id) : null;
  const own = { long: indicator.unitLong, short: indicator.unitShort };
  const unit = displayUnit(view.unit, own);
  const shown = unit
    ? { unitLong: unit.name, unitShort: unit.short }
    : { unitLong: indicator.unitLong, unitShort: indicator.unitShort };
  const all = toChartSeries(indicator.series, indicator, unit);
  const visible = applyChartView(all, view);
  const notes = new Map(
    indicator.series.flatMap((s) =>
      s.observations.map((o) => [`${s.id}-${o.period}`, o.note] as const),
    ),
  );

  return (
    <>
      <p className="meta">
        <Link href="/">Indicators</Link> ›
      </p>
      <h1>{indicator.title}</h1>
      <p className="lede">
        {indicator.description} Unit: {indicator.unitLong} ({indicator.unitShort}).{' '}
        <Link href={`/data/new?indicator=${indicator.slug}`}>Add data</Link>
      </p>

      <AsOfForm
        action={`/indicators/${indicator.slug}`}
        asOf={view.asOf}
        keep={Object.fromEntries(
          new URLSearchParams(
            chartViewToSearch(
              { ...view, asOf: null },
              indicator.series.map((s) => s.id),
            ),
          ),
        )}
      />
      <ChartPanel
        series={all}
        sourceLines={[...new Set(indicator.series.map((s) => s.source.citation))]}
        units={compatibleUnits(own)}
        indicator={{
          slug: indicator.slug,
          title: indicator.title,
          ...shown,
          decimals: indicator.decimals,
        }}
        bounds={yearBounds(all)}
      />

      {claims.length > 0 && (
        <>
          <h2 id="claims">Claims against outcomes</h2>
          <ScorecardTable claims={claims} />
          <p className="meta">
            Held: within ±10% of the outcome; see <Link href="/claims">all claims</Link> for the
            rules.
          </p>
        </>
      )}

      <h2 id="data">Data</h2>
      <DataTable indicator={{ ...indicator, ...shown }} visible={visible} notes={notes} />

      <h2 id="sources">Sources</h2>
      <ul className="sources">
        {indicator.series.map((s) => (
          <SeriesProvenance key={s.id} series={s} slug={indicator.slug} editor={editor} />
        ))}
      </ul>
      {indicator.archived.length > 0 && (
        <>
          <h3>Archived series</h3>
          <ul>
            {indicator.archived.map((a) => (
              <li key={a.id}>
                {a.label} ({a.entityCode}), archived {a.archivedAt.slice(0, 10)}
                {editor && (
                  <form action={archiveSeriesAction} className="inline-form">
                    <input type="hidden" name="seriesId" value={a.id} />
                    <input type="hidden" name="undo" value="1" />
                    <button type="submit" className="button">
                      Restore
                    </button>
                  </form>
                )}
              </li>
            ))}
          </ul>
        </>
      )}

      {historySeries && history && (
        <section id="history">
          <h2>Revision history: {historySeries.label}</h2>
          <div className="table-wrap">
            <table data-testid="revision-history">
              <thead>
                <tr>
                  <th scope="col">Period</th>
                  <th scope="col" className="num">
                    Revision
                  </th>
                  <th scope="col" className="num">
                    Value
                  </th>
                  <th scope="col">Recorded</th>
                  <th scope="col">Superseded</th>
                </tr>
              </thead>
              <tbody>
                {history.map((r) => (
                  <tr key={r.id}>
                    <td>{formatPeriod(r.period, r.precision)}</td>
                    <td className="num">{r.revision}</td>
                    <td className="num">{formatValue(r.value, indicator.decimals)}</td>
                    <td>{r.recordedAt.replace('T', ' ').slice(0, 19)} UTC</td>
                    <td>
                      {r.supersededAt
                        ? `${r.supersededAt.replace('T', ' ').slice(0, 19)} UTC`
                        : 'current'}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      )}
    </>
  );
}

const OPEN_TABLE_ROWS = 40;

function DataTable({
  indicator,
  visible,
  notes,
}: {
  indicator: { title: string; unitLong: string; unitShort: string; decimals: number };
  visible: ChartSeries[];
  notes: Map<string, string | null>;
}) {
  const rows = visible.reduce((n, s) => n + s.points.length, 0);
  if (rows === 0) return <p className="meta">No values in the selected series and time range.</p>;
  const table = (
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
                <td>
                  {notes.get(`${s.id}-${p.period}`)}
                  {p.original && (
                    <span className="meta">
                      {' '}
                      converted from {formatValue(p.original.value, 0)} {p.original.unit}
                    </span>
                  )}
                </td>
              </tr>
            )),
          )}
        </tbody>
      </table>
    </div>
  );
  // A long table stays one click away, so the sources below it are not pages down.
  return rows <= OPEN_TABLE_ROWS ? (
    table
  ) : (
    <details className="data-details">
      <summary>Show the table ({rows.toLocaleString('en-US')} values)</summary>
      {table}
    </details>
  );
}

function SeriesProvenance({
  series: s,
  slug,
  editor,
}: {
  series: SeriesDetail;
  slug: string;
  editor: boolean;
}) {
  const src = s.source;
  return (
    <li className="source-item" style={{ borderLeftColor: s.color }} data-series={s.id}>
      <strong>{s.label}</strong> <span className="kind-badge">{KIND_LABELS[s.kind]}</span>{' '}
      <span className="meta">
        {s.entity.name} ({s.entity.code})
      </span>
      {s.quotes.map((q) => (
        <figure key={q.id} style={{ margin: '6px 0' }}>
          <blockquote cite={src.url ?? undefined}>{q.text}</blockquote>
          <figcaption className="meta">
            {q.speaker && <>Said by {q.speaker}. </>}
            {q.attribution && !q.speaker && <>Attribution: {q.attribution}. </>}
            {q.citedOutlet && <>Cited outlet: {q.citedOutlet}. </>}
            <Link href={`/sources/${src.id}#quote-${q.id}`}>In context</Link>
          </figcaption>
        </figure>
      ))}
      <p className="meta">
        Source: <Link href={`/sources/${src.id}`}>{src.citation}</Link>
        {src.url && (
          <>
            {' '}
            (<a href={src.url}>original</a>)
          </>
        )}
      </p>
      {src.publishedNote && <p className="meta">Date: {src.publishedNote}</p>}
      {(src.license || src.accessedOn) && (
        <p className="meta">
          {src.license && <>License: {src.license}. </>}
          {src.accessedOn && <>Accessed {src.accessedOn}.</>}
        </p>
      )}
      {s.unit && (
        <p className="meta">Recorded in {s.unit}; the chart and table convert it where needed.</p>
      )}
      <p className="meta">
        Recorded {s.recordedAt.slice(0, 10)}.{' '}
        <Link href={`/indicators/${slug}?history=${s.id}#history`}>Revision history</Link>
      </p>
      {editor && (
        <form action={archiveSeriesAction} className="inline-form">
          <input type="hidden" name="seriesId" value={s.id} />
          <input type="hidden" name="undo" value="0" />
          <button type="submit" className="button">
            Archive this series
          </button>
        </form>
      )}
    </li>
  );
}
