import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { cache } from 'react';
import { isEditor } from '@/lib/web/auth';
import { listRevisions } from '@/lib/read/catalog';
import { loadScorecard } from '@/lib/claims/scorecard';
import { loadDerivedSeries } from '@/lib/derivations/series';
import {
  loadIndicatorView,
  type IndicatorView,
  type ViewSeries,
  type ViewSource,
} from '@/lib/views/indicator';
import { chartSummary } from '@/lib/views/chart-summary';
import { chartViewToSearch, parseChartView } from '@/lib/domain/chart-view';
import { AsOfForm } from '../../ui/as-of-form';
import { ScorecardTable } from '../../ui/scorecard';
import { DerivedChart } from '../../ui/derived-chart';
import { DerivedSourceItems } from '../../ui/derived-sources';
import { formatRecorded, KIND_LABELS } from '@/lib/domain/format';
import { formatPeriod } from '@/lib/domain/period';
import { archiveSeriesAction } from './actions';
import { ChartPanel } from './chart-panel';
import { CiteBox } from './cite-box';
import { requestOrigin } from '@/lib/web/request-origin';
import { StaticChartImage } from '../../ui/static-chart-image';
import { CHECKBOX_LIST_MAX, searchChoices, type Choice } from '@/lib/domain/series-search';
import { TableScroll } from '../../ui/table-scroll';
import { DataTable } from './data-table';

type Props = {
  params: Promise<{ slug: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
};

type Query = Record<string, string | string[] | undefined>;

const pageOf = (query: Query) => {
  const n = Number(typeof query.page === 'string' ? query.page : 1);
  return Number.isSafeInteger(n) && n > 0 ? n : 1;
};

// The metadata and the page share one view per request.
const loadView = cache((slug: string, search: string) => {
  const query = Object.fromEntries(new URLSearchParams(search)) as Query;
  const params = new URLSearchParams(search);
  return loadIndicatorView(
    slug,
    parseChartView({
      ...query,
      series: params.has('series') ? params.getAll('series') : undefined,
    }),
    { tablePage: pageOf(query) },
  );
});

function searchOf(query: Query): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    for (const one of Array.isArray(v) ? v : v === undefined ? [] : [v]) params.append(k, one);
  }
  return params.toString();
}

/** Revision history rows shown on the page; the API pages through all of them. */
const HISTORY_LIMIT = 500;

export async function generateMetadata({ params, searchParams }: Props): Promise<Metadata> {
  const [{ slug }, query] = await Promise.all([params, searchParams]);
  const v = await loadView(slug, searchOf(query));
  if (!v) return { title: 'Indicator not found' };
  const q = v.query ? `?${v.query}` : '';
  // Link previews show the chart of the view the link names.
  const image = { url: `/indicators/${slug}/og.png${q}`, width: 1200, height: 630 };
  return {
    title: v.indicator.title,
    description: v.indicator.description,
    metadataBase: new URL(await requestOrigin()),
    alternates: { canonical: `/indicators/${slug}${q}` },
    openGraph: {
      type: 'article',
      title: v.indicator.title,
      description: v.indicator.description,
      url: `/indicators/${slug}${q}`,
      images: [{ ...image, alt: `Chart of ${v.indicator.title}` }],
    },
    twitter: { card: 'summary_large_image', images: [image.url] },
  };
}

export default async function IndicatorPage({ params, searchParams }: Props) {
  const [{ slug }, query] = await Promise.all([params, searchParams]);
  const v = await loadView(slug, searchOf(query));
  if (!v) notFound();
  const { indicator } = v;
  // Only claims are scored (projected or reported figures, and comparisons); many indicators have none.
  const claims = await loadScorecard({ asOf: v.asOf, indicator: slug });
  const editor = await isEditor();
  const historyId = typeof query.history === 'string' ? Number(query.history) : NaN;
  const historySeries = v.series.find((s) => s.id === historyId);
  const history = historySeries
    ? await listRevisions(historySeries.id, { limit: HISTORY_LIMIT + 1 })
    : null;
  const shown = { unitLong: v.unit.long, unitShort: v.unit.short };
  const origin = await requestOrigin();
  const find = typeof query.find === 'string' ? query.find.slice(0, MAX_FIND_LENGTH) : '';
  const selectedSources = [...new Set(v.selected.map((s) => s.sourceId))].flatMap(
    (id) => v.sources.get(id) ?? [],
  );
  // Lines a derivation computes from its operands (issue 9): drawn in a chart of their
  // own below, since the interactive chart draws and fetches stored series only.
  const derived = await loadDerivedSeries({
    indicator: slug,
    asOf: v.asOf,
    unit: v.unit.converted ? { name: v.unit.long, short: v.unit.short } : null,
    colorOffset: v.chart.length,
  });

  return (
    <>
      <PageHead v={v} />
      <IndicatorChartPanel v={v} find={find} origin={origin} sources={selectedSources} />
      <DerivedChart
        indicator={{ ...indicator, ...shown }}
        claims={v.chart.filter((s) => s.kind === 'projection' || s.kind === 'reported')}
        lines={derived.chart}
        sources={derived.sources}
      />
      <CiteBox
        title={indicator.title}
        url={`${origin}/indicators/${indicator.slug}${v.query ? `?${v.query}` : ''}`}
        transform={v.transform.id === 'absolute' ? null : v.transform.description}
        sources={selectedSources}
        accessed={new Date()}
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
      <DataTable v={v} />
      <h2 id="sources">Sources</h2>
      <ul className="sources">
        {v.selected.map((s) => (
          <SeriesProvenance key={s.id} series={s} v={v} editor={editor} />
        ))}
        <DerivedSourceItems items={derived.sources} />
      </ul>
      {v.series.length > v.selected.length && <OtherSeries v={v} />}
      <ArchivedSeries v={v} editor={editor} />
      {historySeries && history && <RevisionHistory series={historySeries} history={history} />}
    </>
  );
}

/** The title, the lede, the as-of form and what the URL asked for that the page cannot show. */
function PageHead({ v }: { v: IndicatorView }) {
  const { indicator } = v;
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
        asOf={v.view.asOf}
        keep={Object.fromEntries(
          new URLSearchParams(chartViewToSearch({ ...v.view, asOf: null }, v.defaults)),
        )}
      />
      {v.clamped && (
        <p className="notice" role="status">
          The link names {v.clamped.requested} series; the chart shows the first {v.clamped.shown}.
        </p>
      )}
      {v.unconvertible.length > 0 && (
        <p className="notice" role="status">
          Left out of the chart, because their unit does not convert to {v.unit.long}:{' '}
          {v.unconvertible.map((s) => `${s.label} (${s.unit})`).join(', ')}.
        </p>
      )}
    </>
  );
}

/** The controls and the chart: the server's drawing and summary, never its points. */
function IndicatorChartPanel({
  v,
  find,
  origin,
  sources,
}: {
  v: IndicatorView;
  find: string;
  origin: string;
  sources: ViewSource[];
}) {
  const { indicator } = v;
  return (
    <ChartPanel
      view={v.view}
      query={v.query}
      shownUnit={v.transform.unit}
      summary={chartSummary(v)}
      choices={formChoices(v, find)}
      choiceCount={v.choices.length}
      find={find}
      defaults={v.defaults}
      sourceLines={sources.map((s) => `Source: ${s.citation}`)}
      units={v.units}
      staticChart={<StaticChartImage v={v} />}
      origin={origin}
      claimYear={v.claimYear}
      indicator={{
        slug: indicator.slug,
        title: indicator.title,
        unitLong: v.unit.long,
        unitShort: v.unit.short,
        decimals: indicator.decimals,
      }}
      bounds={v.bounds}
      downsampled={
        v.downsampled.length > 0
          ? {
              series: v.downsampled.length,
              shown: v.downsampled.reduce((n, d) => n + d.shown, 0),
              total: v.downsampled.reduce((n, d) => n + d.total, 0),
            }
          : null
      }
    />
  );
}

function ArchivedSeries({ v, editor }: { v: IndicatorView; editor: boolean }) {
  if (v.archived.length === 0) return null;
  return (
    <>
      <h3>Archived series</h3>
      <ul>
        {v.archived.map((a) => (
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
  );
}

type Revision = Awaited<ReturnType<typeof listRevisions>>[number];

function RevisionHistory({ series, history }: { series: ViewSeries; history: Revision[] }) {
  return (
    <section id="history">
      <h2>Revision history: {series.label}</h2>
      {history.length > HISTORY_LIMIT && (
        <p className="meta">
          The first {HISTORY_LIMIT} revisions;{' '}
          <a href={`/api/series/${series.id}/revisions`}>all of them as JSON</a>, a page at a time.
        </p>
      )}
      <TableScroll label="Revision history">
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
            {history.slice(0, HISTORY_LIMIT).map((r) => (
              <tr key={r.id}>
                <td>{formatPeriod(r.period, r.precision)}</td>
                <td className="num">{r.revision}</td>
                {/* A revision's history shows every recorded digit. */}
                <td className="num">{formatRecorded(r.value)}</td>
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
      </TableScroll>
    </section>
  );
}

/** A search typed without JavaScript longer than this is cut. */
const MAX_FIND_LENGTH = 100;

/**
 * The series the page's form lists: all of them when there are few. Beyond that, the
 * series in view and what a search without JavaScript found; the picker fetches the rest,
 * so the page's size does not grow with the number of series.
 */
function formChoices(v: IndicatorView, find: string): Choice[] {
  if (v.choices.length <= CHECKBOX_LIST_MAX) return v.choices;
  const inView = new Set(v.selected.map((s) => s.id));
  const found = find ? searchChoices(v.choices, find) : [];
  const listed = new Set([...inView, ...found.map((c) => c.id)]);
  return v.choices.filter((c) => listed.has(c.id));
}

function SeriesProvenance({
  series: s,
  v,
  editor,
}: {
  series: ViewSeries;
  v: IndicatorView;
  editor: boolean;
}) {
  const src = v.sources.get(s.sourceId);
  const quotes = v.quotes.filter((q) => q.seriesId === s.id).map((q) => q.quote);
  return (
    <li className="source-item" style={{ borderLeftColor: v.colors.get(s.id) }} data-series={s.id}>
      <strong>{s.label}</strong> <span className="kind-badge">{KIND_LABELS[s.kind]}</span>{' '}
      <span className="meta">
        {s.entity.name} ({s.entity.code})
      </span>
      {src &&
        quotes.map((q) => (
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
      {src && <SourceLines src={src} />}
      {s.unit && (
        <p className="meta">Recorded in {s.unit}; the chart and table convert it where needed.</p>
      )}
      <p className="meta">
        Recorded {s.recordedAt.slice(0, 10)}.{' '}
        <Link href={`/indicators/${v.indicator.slug}?history=${s.id}#history`}>
          Revision history
        </Link>
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

function SourceLines({ src }: { src: NonNullable<ReturnType<IndicatorView['sources']['get']>> }) {
  return (
    <>
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
    </>
  );
}

/** The series not in view, counted by source, so hundreds of them stay one short list. */
function OtherSeries({ v }: { v: IndicatorView }) {
  const shown = new Set(v.selected.map((s) => s.id));
  const bySource = new Map<number, number>();
  for (const s of v.series)
    if (!shown.has(s.id)) bySource.set(s.sourceId, (bySource.get(s.sourceId) ?? 0) + 1);
  return (
    <>
      <h3>Series not in the chart</h3>
      <ul className="sources" data-testid="other-series">
        {[...bySource].map(([id, n]) => {
          const src = v.sources.get(id);
          return (
            <li key={id} className="source-item">
              {n.toLocaleString('en-US')} series from {src?.publisher ?? 'an unknown source'}
              {src && <SourceLines src={src} />}
            </li>
          );
        })}
      </ul>
    </>
  );
}
