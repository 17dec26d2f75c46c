'use client';

// The interactive part of an indicator page: the controls, the chart and the ways to
// share it. The view lives in the URL; a changed view replaces the URL (no reload),
// the controls follow at once through useOptimistic, the chart's series come from
// the server's render or, for a series or view the server has not sent yet, from the
// read API (use-view-series.ts), and the server re-renders the table to match.
// Without JavaScript the controls are a plain GET form with an Apply button.
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
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
  chartType,
  chartViewFromSearch,
  chartViewToSearch,
  describeChart,
  effectiveScale,
  fromWire,
  MAX_VISIBLE_SERIES,
  selectedSeries,
  seriesColor,
  type ChartView,
} from '@/lib/domain/chart-view';
import { KIND_LABELS } from '@/lib/domain/format';
import {
  TRANSFORM_LABELS,
  TRANSFORMS,
  transformDecimals,
  transformUnit,
  type Transform,
} from '@/lib/domain/transform';
import { ChartArea } from './chart-area';
import { DownloadPanel } from './download-panel';
import { EntityPicker } from './entity-picker';
import { CHECKBOX_LIST_MAX, type Choice } from '@/lib/domain/series-search';
import { SharePanel } from './share-panel';
import { TimeRange } from './time-range';
import { useViewSeries, type DataParams } from './use-view-series';

type Props = {
  /** The series of the view the server rendered, with their (possibly downsampled) points. */
  /** The series in view as toWire wrote them. */
  series: string;
  /** The view the server rendered. */
  served: DataParams;
  /**
   * The series the form lists: all of them when there are few; else those in view and
   * those a search without JavaScript (`?find=`) found, and the picker fetches the rest.
   */
  choices: Choice[];
  /** How many live series the indicator has. */
  choiceCount: number;
  /** The search the form was sent with, without JavaScript. */
  find: string;
  /** The selection the plain URL shows. */
  defaults: number[];
  /** Set when some series have more points than the chart draws. */
  downsampled: { series: number; shown: number; total: number } | null;
  /** The unit shown is the indicator's, or the one the view converts to. */
  indicator: { slug: string; title: string; unitShort: string; unitLong: string; decimals: number };
  bounds: { min: number; max: number } | null;
  /** The year the earliest claim was made, for the "since the claim" preset. */
  claimYear: number | null;
  /** "Source: …" lines printed under exported chart images. */
  sourceLines: string[];
  /** Units the values can be shown in, the indicator's own first. */
  units: { name: string; short: string }[];
  /** The chart drawn on the server, shown until the interactive chart takes over. */
  staticChart: ReactNode;
  /** The site's origin, for links to share and embed. */
  origin: string;
};

const noop = () => () => {};

export function ChartPanel(props: Props) {
  const [client] = useState(
    () => new QueryClient({ defaultOptions: { queries: { refetchOnWindowFocus: false } } }),
  );
  return (
    <QueryClientProvider client={client}>
      <Panel {...props} />
    </QueryClientProvider>
  );
}

function Panel({
  series: wire,
  served,
  choices,
  choiceCount,
  find,
  defaults,
  downsampled,
  indicator,
  bounds,
  claimYear,
  sourceLines,
  units,
  staticChart,
  origin,
}: Props) {
  const router = useRouter();
  const pathname = usePathname();
  const searchParams = useSearchParams();
  const urlView = chartViewFromSearch(searchParams);
  const [view, setView] = useOptimistic(urlView);
  const hydrated = useSyncExternalStore(
    noop,
    () => true,
    () => false,
  );
  const servedSeries = useMemo(() => fromWire(wire), [wire]);
  const selection = selectedSeries(view, defaults).slice(0, MAX_VISIBLE_SERIES);
  const shown = useViewSeries({
    slug: indicator.slug,
    served: servedSeries,
    servedParams: served,
    params: view,
    selection,
  });
  const colors = new Map(selection.map((id, i) => [id, seriesColor(i)]));

  const hrefOf = (next: ChartView) => {
    const qs = chartViewToSearch(next, defaults);
    return qs ? `${pathname}?${qs}` : pathname;
  };
  function update(next: ChartView) {
    startTransition(() => {
      setView(next);
      router.replace(hrefOf(next), { scroll: false });
    });
  }

  const visible = shown.series;
  const type = chartType(visible);
  const scale = effectiveScale(visible, view.scale);
  const shownTransform = shown.params.transform;
  const unit = transformUnit(shownTransform, {
    long: indicator.unitLong,
    short: indicator.unitShort,
  });
  const decimals = transformDecimals(shownTransform, indicator.decimals);
  const description = describeChart(
    { title: indicator.title, unitLong: unit.long, decimals },
    visible,
    type,
  );
  const query = chartViewToSearch(view, defaults);
  const fileSuffix =
    (view.from !== null || view.to !== null ? `_${view.from ?? 'start'}-${view.to ?? 'end'}` : '') +
    (view.transform === 'absolute' ? '' : `_${view.transform}`);

  const settingsSummary = `${selection.length} series${view.scale === 'log' ? ', log axis' : ''}${
    view.unit ? `, in ${view.unit}` : ''
  }`;
  const manyChoices = choiceCount > CHECKBOX_LIST_MAX;

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
        <fieldset className="transform-switch" data-testid="transform">
          <legend>Show</legend>
          {TRANSFORMS.map((t: Transform) => (
            <label key={t} title={TRANSFORM_LABELS[t].description}>
              <input
                type="radio"
                name="transform"
                value={t}
                checked={view.transform === t}
                onChange={() => update({ ...view, transform: t })}
              />
              <span>{TRANSFORM_LABELS[t].label}</span>
            </label>
          ))}
        </fieldset>
        <details className="settings">
          <summary>
            Settings <span className="meta">({settingsSummary})</span>
          </summary>
          <div className="settings-body">
            {hydrated && manyChoices ? (
              <EntityPicker
                slug={indicator.slug}
                asOf={view.asOf}
                known={choices}
                count={choiceCount}
                selected={selection}
                colors={colors}
                max={MAX_VISIBLE_SERIES}
                onChange={(next) => update({ ...view, series: next })}
              />
            ) : (
              <fieldset className={manyChoices ? 'series-list long' : 'series-list'}>
                <legend>
                  Series
                  {manyChoices
                    ? ` (${choiceCount.toLocaleString('en-US')}, ${selection.length} shown)`
                    : ''}
                </legend>
                {manyChoices && (
                  <p className="series-find">
                    <label>
                      Find a series{' '}
                      <input type="search" name="find" defaultValue={find} autoComplete="off" />
                    </label>{' '}
                    <button type="submit" className="button">
                      Find
                    </button>
                  </p>
                )}
                <input type="hidden" name="series" value="" />
                {choices.map((s) => (
                  <label key={s.id}>
                    <input
                      type="checkbox"
                      name="series"
                      value={s.id}
                      checked={selection.includes(s.id)}
                      onChange={(e) =>
                        update({
                          ...view,
                          series: e.currentTarget.checked
                            ? [...selection, s.id]
                            : selection.filter((x) => x !== s.id),
                        })
                      }
                      data-series-toggle={s.id}
                    />
                    <span
                      className={`swatch${s.kind === 'projection' ? ' dashed' : ''}`}
                      style={{
                        background: colors.get(s.id) ?? 'transparent',
                        color: colors.get(s.id),
                      }}
                      aria-hidden="true"
                    />
                    {s.name}
                    <span className="kind-badge">{KIND_LABELS[s.kind]}</span>
                  </label>
                ))}
              </fieldset>
            )}
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
                  <span className="visually-hidden">Show values in</span>
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
          </div>
        </details>
        {view.scale === 'log' && scale === 'linear' && (
          <p className="notice" role="status">
            A log axis cannot show zero or negative values, so this chart stays linear.
          </p>
        )}
        {shown.error && (
          <p className="notice" role="alert">
            {shown.error}
          </p>
        )}
        <ChartArea
          series={visible}
          type={type}
          scale={scale}
          view={shown.params}
          indicator={{ unitShort: unit.short, decimals }}
          description={description}
          baseline={shownTransform === 'index' ? 100 : 0}
          fallback={staticChart}
          busy={shown.busy}
        />
        {bounds && bounds.max > bounds.min && (
          <TimeRange
            bounds={bounds}
            value={view}
            claimYear={claimYear}
            hrefFor={(r) => hrefOf({ ...view, ...r })}
            onChange={(r) => update({ ...view, ...r })}
          />
        )}
        {!hydrated && (
          <button type="submit" className="button apply">
            Apply
          </button>
        )}
      </form>
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
      <SharePanel origin={origin} slug={indicator.slug} query={query} title={indicator.title} />
      <DownloadPanel
        slug={indicator.slug}
        query={query}
        fileSuffix={fileSuffix}
        frame={{
          title: indicator.title,
          subtitle:
            shownTransform === 'absolute'
              ? `${indicator.unitLong} (${indicator.unitShort})`
              : `${unit.long}; values in ${indicator.unitLong}`,
          legend: visible
            .filter((s) => s.points.length > 0)
            .map((s) => ({
              color: s.color,
              text: `${s.label} (${KIND_LABELS[s.kind].toLowerCase()})`,
              dashed: s.kind === 'projection',
            })),
          sources: sourceLines,
        }}
      />
    </section>
  );
}
