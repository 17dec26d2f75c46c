'use client';

// The interactive part of an indicator page: the controls and the chart. The view
// lives in the URL; the server renders the table from the same URL, so a changed
// view is a navigation, and the chart follows at once through useOptimistic.
import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import {
  startTransition,
  useMemo,
  useOptimistic,
  useState,
  useSyncExternalStore,
  type ReactNode,
} from 'react';
import {
  applyChartView,
  chartType,
  chartViewToSearch,
  describeChart,
  effectiveScale,
  isSeriesVisible,
  chartViewFromSearch,
  selectedSeries,
  fromWire,
  type WireSeries,
  type ChartSeries,
  type ChartView,
} from '@/lib/domain/chart-view';
import { KIND_LABELS } from '@/lib/domain/format';

import { ChartArea } from './chart-area';

type Choice = {
  id: number;
  label: string;
  kind: ChartSeries['kind'];
  entity: { code: string; name: string };
};

type Props = {
  /** The series in view, with their (possibly downsampled) points, compacted for transfer. */
  series: WireSeries[];
  /** Every live series of the indicator, for the selection list. */
  choices: Choice[];
  /** The selection the plain URL shows. */
  defaults: number[];
  /** Set when some series have more points than the chart draws. */
  downsampled: { series: number; shown: number; total: number } | null;
  indicator: { slug: string; title: string; unitShort: string; unitLong: string; decimals: number };
  bounds: { min: number; max: number } | null;
  /** Citation lines of the sources, printed under exported chart images. */
  sourceLines: string[];
  /** Units the values can be shown in, the indicator's own first. */
  units: { name: string; short: string }[];
  /** The chart drawn on the server, shown until the interactive chart takes over. */
  staticChart: ReactNode;
};

const noop = () => () => {};

function DownloadPanel(props: {
  slug: string;
  title: string;
  query: string;
  range: string;
  sourceLines: string[];
}) {
  const { slug, title, query, range, sourceLines } = props;
  const q = query ? `?${query}` : '';
  const base = `/indicators/${slug}`;
  const [problem, setProblem] = useState<string | null>(null);
  async function image(format: 'svg' | 'png') {
    setProblem(null);
    const chart = document.querySelector<SVGSVGElement>('.chart-area svg.recharts-surface');
    if (!chart) return setProblem('The chart is not drawn yet.');
    const { chartSvgDocument, downloadPng, downloadSvg } = await import('./chart-image');
    const lines = [
      `${title}. Sourced: ${window.location.href}`,
      ...sourceLines.map((l) => `Source: ${l}`),
    ];
    const svg = chartSvgDocument(chart, title, lines);
    const name = `${slug}_chart${range}.${format}`;
    try {
      if (format === 'svg') downloadSvg(svg, name);
      else await downloadPng(svg, name);
    } catch (error) {
      setProblem((error as Error).message);
    }
  }
  return (
    <div className="download-panel" role="group" aria-labelledby="download-heading">
      <h3 id="download-heading">Download</h3>
      <a
        className="button primary"
        href={`${base}/data.csv${q}`}
        download
        data-testid="download-csv"
      >
        Download CSV
      </a>
      <a className="button" href={`${base}/data-full.csv`} download>
        Full CSV with provenance
      </a>
      <a className="button" href={`${base}/metadata.json${q}`} download>
        Metadata (JSON)
      </a>
      <a className="button" href={`${base}/data.zip${q}`} download>
        ZIP (all)
      </a>
      <button type="button" className="button" onClick={() => image('svg')}>
        Chart as SVG
      </button>
      <button type="button" className="button" onClick={() => image('png')}>
        Chart as PNG
      </button>
      <p className="hint">
        The CSV is what the chart shows; UTF-8 with a byte-order mark for Excel (add{' '}
        <code>?bom=0</code> to the link to leave it out).
      </p>
      {problem && <p className="notice">{problem}</p>}
    </div>
  );
}

export function ChartPanel({
  series: wire,
  choices,
  defaults,
  downsampled,
  indicator,
  bounds,
  sourceLines,
  units,
  staticChart,
}: Props) {
  const router = useRouter();
  const pathname = usePathname();
  const searchParams = useSearchParams();
  const urlView = chartViewFromSearch(searchParams);
  const [view, setView] = useOptimistic(urlView);
  // Without JavaScript the controls are a plain GET form with an Apply button.
  const hydrated = useSyncExternalStore(
    noop,
    () => true,
    () => false,
  );
  const series = useMemo(() => fromWire(wire), [wire]);
  const colors = new Map(series.map((s) => [s.id, s.color]));
  // Series that share a label (one per country, say) are told apart by their entity.
  const labelCount = new Map<string, number>();
  for (const c of choices) labelCount.set(c.label, (labelCount.get(c.label) ?? 0) + 1);
  const nameOf = (c: Choice) =>
    (labelCount.get(c.label) ?? 0) > 1 && !c.label.includes(c.entity.name)
      ? `${c.label} — ${c.entity.name}`
      : c.label;

  function update(next: ChartView) {
    const qs = chartViewToSearch(next, defaults);
    startTransition(() => {
      setView(next);
      router.replace(qs ? `${pathname}?${qs}` : pathname, { scroll: false });
    });
  }

  function toggle(id: number, on: boolean) {
    const current = selectedSeries(view, defaults);
    update({ ...view, series: on ? [...current, id] : current.filter((x) => x !== id) });
  }

  const visible = applyChartView(series, view, defaults);
  const type = chartType(visible);
  const scale = effectiveScale(visible, view.scale);
  const description = describeChart(indicator, visible, type);
  const years = bounds
    ? Array.from({ length: bounds.max - bounds.min + 1 }, (_, i) => bounds.min + i)
    : [];

  return (
    <section className="chart-panel" aria-labelledby="chart-heading">
      <h2 id="chart-heading" className="visually-hidden">
        Chart
      </h2>
      <form
        className="controls"
        method="get"
        action={pathname}
        onSubmit={(e) => {
          // With JavaScript every control applies itself; Enter must not reload the page.
          e.preventDefault();
        }}
      >
        <fieldset className={choices.length > 12 ? 'series-list long' : 'series-list'}>
          <legend>
            Series{choices.length > 12 ? ` (${choices.length}, ${series.length} shown)` : ''}
          </legend>
          <input type="hidden" name="series" value="" />
          {choices.map((s) => (
            <label key={s.id}>
              <input
                type="checkbox"
                name="series"
                value={s.id}
                checked={isSeriesVisible(view, s.id, defaults)}
                onChange={(e) => toggle(s.id, e.currentTarget.checked)}
                data-series-toggle={s.id}
              />
              <span
                className={`swatch${s.kind === 'projection' ? ' dashed' : ''}`}
                style={{ background: colors.get(s.id) ?? 'transparent', color: colors.get(s.id) }}
                aria-hidden="true"
              />
              {nameOf(s)}
              <span className="kind-badge">{KIND_LABELS[s.kind]}</span>
            </label>
          ))}
        </fieldset>
        <fieldset>
          <legend>Axis</legend>
          <label>
            <input
              type="radio"
              name="scale"
              value="linear"
              checked={view.scale === 'linear'}
              onChange={() => update({ ...view, scale: 'linear' })}
            />
            Linear
          </label>
          <label>
            <input
              type="radio"
              name="scale"
              value="log"
              checked={view.scale === 'log'}
              onChange={() => update({ ...view, scale: 'log' })}
            />
            Log
          </label>
        </fieldset>
        {units.length > 1 && (
          <fieldset>
            <legend>Unit</legend>
            <label>
              Show in
              <select
                name="unit"
                value={
                  units.find((u) => u.name === view.unit || u.short === view.unit)?.name ??
                  units[0]!.name
                }
                onChange={(e) => {
                  const chosen = e.currentTarget.value;
                  update({ ...view, unit: chosen === units[0]!.name ? null : chosen });
                }}
              >
                {units.map((u) => (
                  <option key={u.name} value={u.name}>
                    {u.name} ({u.short})
                  </option>
                ))}
              </select>
            </label>
          </fieldset>
        )}
        <fieldset>
          <legend>Time range</legend>
          {(['from', 'to'] as const).map((end) => (
            <label key={end}>
              {end === 'from' ? 'From' : 'To'}
              <select
                name={end}
                value={view[end] ?? ''}
                onChange={(e) =>
                  update({
                    ...view,
                    [end]: e.currentTarget.value ? Number(e.currentTarget.value) : null,
                  })
                }
              >
                <option value="">{end === 'from' ? 'Start' : 'End'}</option>
                {years.map((y) => (
                  <option key={y} value={y}>
                    {y}
                  </option>
                ))}
              </select>
            </label>
          ))}
        </fieldset>
        {!hydrated && (
          <button type="submit" className="button">
            Apply
          </button>
        )}
      </form>
      {view.scale === 'log' && scale === 'linear' && (
        <p className="notice" role="status">
          A log axis cannot show zero or negative values, so this chart stays linear.
        </p>
      )}
      <ChartArea
        series={visible}
        type={type}
        scale={scale}
        view={view}
        indicator={indicator}
        description={description}
        fallback={staticChart}
      />
      <p className="chart-description" id="chart-description">
        {description}
      </p>
      {downsampled && (
        <p className="meta" data-testid="downsampled-note">
          Downsampled:{' '}
          {downsampled.series === 1 ? 'one series has' : `${downsampled.series} series have`}{' '}
          {downsampled.total.toLocaleString('en-US')} values in this range; the chart draws{' '}
          {downsampled.shown.toLocaleString('en-US')} of them, keeping each stretch&rsquo;s highest
          and lowest. The table and the CSV have every value.
        </p>
      )}
      <DownloadPanel
        slug={indicator.slug}
        title={indicator.title}
        query={chartViewToSearch(view, defaults)}
        range={
          view.from !== null || view.to !== null
            ? `_${view.from ?? 'start'}-${view.to ?? 'end'}`
            : ''
        }
        sourceLines={sourceLines}
      />
    </section>
  );
}
