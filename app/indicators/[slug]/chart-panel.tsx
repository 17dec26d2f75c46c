'use client';

// The interactive part of an indicator page: the controls, the chart and the ways to
// share it. The view lives in the URL; a changed view replaces the URL (no reload),
// the controls follow at once through useOptimistic, and the server re-renders the
// chart's image, its description and the table to match. The interactive chart and
// its series load only when the chart is used (chart-area.tsx, use-view-series.ts).
// Without JavaScript the controls are a plain GET form with an Apply button.
import './chart-panel.css';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import {
  startTransition,
  useCallback,
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
  MAX_VISIBLE_SERIES,
  selectedSeries,
  seriesColor,
  type ChartScale,
  type ChartSeries,
  type ChartType,
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
import type { ImageFrame } from './chart-image';
import { ChartArea } from './chart-area';
import { DownloadPanel } from './download-panel';
import { EntityPicker } from './entity-picker';
import { CHECKBOX_LIST_MAX, type Choice } from '@/lib/domain/series-search';
import { SharePanel } from './share-panel';
import { TimeRange } from './time-range';
import { useViewSeries, type DataParams } from './use-view-series';

/** The server's account of the chart it drew, for the view it rendered. */
export type ChartSummary = {
  type: ChartType;
  scale: ChartScale;
  description: string;
  /** The legend of image downloads. */
  legend: ImageFrame['legend'];
};

type Props = {
  /** The view the server rendered. */
  served: DataParams;
  /** The chart the server drew for it. */
  summary: ChartSummary;
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

/** The view in the URL, changed optimistically and written back without a reload. */
function useUrlView(defaults: number[]) {
  const router = useRouter();
  const pathname = usePathname();
  const searchParams = useSearchParams();
  const [view, setView] = useOptimistic(chartViewFromSearch(searchParams));
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
  return { view, update, hrefOf, pathname };
}

/** What the chart shows: the interactive chart's series once loaded, else the server's. */
function shownChart(
  props: Pick<Props, 'indicator' | 'summary'>,
  loaded: ChartSeries[] | null,
  params: DataParams,
  requestedScale: ChartScale,
) {
  const { indicator, summary } = props;
  const unit = transformUnit(params.transform, {
    long: indicator.unitLong,
    short: indicator.unitShort,
  });
  const decimals = transformDecimals(params.transform, indicator.decimals);
  if (!loaded) return { ...summary, unit, decimals };
  const type = chartType(loaded);
  return {
    type,
    scale: effectiveScale(loaded, requestedScale),
    description: describeChart(
      { title: indicator.title, unitLong: unit.long, decimals },
      loaded,
      type,
    ),
    legend: loaded
      .filter((s) => s.points.length > 0)
      .map((s) => ({
        color: s.color,
        text: `${s.label} (${KIND_LABELS[s.kind].toLowerCase()})`,
        dashed: s.kind === 'projection',
      })),
    unit,
    decimals,
  };
}

function Panel(props: Props) {
  const { served, indicator, bounds, claimYear, defaults, origin } = props;
  const { view, update, hrefOf, pathname } = useUrlView(defaults);
  const hydrated = useSyncExternalStore(
    noop,
    () => true,
    () => false,
  );
  const [active, setActive] = useState(false);
  const onActivate = useCallback(() => setActive(true), []);
  const selection = selectedSeries(view, defaults).slice(0, MAX_VISIBLE_SERIES);
  const loaded = useViewSeries({ slug: indicator.slug, params: view, selection, active });
  const params = loaded.series ? loaded.params : served;
  const chart = shownChart(props, loaded.series, params, view.scale);
  const query = chartViewToSearch(view, defaults);
  const fileSuffix =
    (view.from !== null || view.to !== null ? `_${view.from ?? 'start'}-${view.to ?? 'end'}` : '') +
    (view.transform === 'absolute' ? '' : `_${view.transform}`);

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
        <TransformSwitch view={view} update={update} />
        <Settings
          {...props}
          view={view}
          update={update}
          selection={selection}
          hydrated={hydrated}
        />
        {view.scale === 'log' && chart.scale === 'linear' && (
          <p className="notice" role="status">
            A log axis cannot show zero or negative values, so this chart stays linear.
          </p>
        )}
        {loaded.error && (
          <p className="notice" role="alert">
            {loaded.error}
          </p>
        )}
        <ChartArea
          series={loaded.series}
          type={chart.type}
          scale={chart.scale}
          view={params}
          indicator={{ unitShort: chart.unit.short, decimals: chart.decimals }}
          description={chart.description}
          baseline={params.transform === 'index' ? 100 : 0}
          fallback={props.staticChart}
          busy={loaded.busy}
          onActivate={onActivate}
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
        {chart.description}
      </p>
      <DownsampledNote downsampled={props.downsampled} />
      <SharePanel origin={origin} slug={indicator.slug} query={query} title={indicator.title} />
      <DownloadPanel
        slug={indicator.slug}
        query={query}
        fileSuffix={fileSuffix}
        frame={{
          title: indicator.title,
          subtitle:
            params.transform === 'absolute'
              ? `${indicator.unitLong} (${indicator.unitShort})`
              : `${chart.unit.long}; values in ${indicator.unitLong}`,
          legend: chart.legend,
          sources: props.sourceLines,
        }}
      />
    </section>
  );
}

type Update = (next: ChartView) => void;

function TransformSwitch({ view, update }: { view: ChartView; update: Update }) {
  return (
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
  );
}

type SettingsProps = Props & {
  view: ChartView;
  update: Update;
  selection: number[];
  hydrated: boolean;
};

function Settings(props: SettingsProps) {
  const { view, update, selection, hydrated, choices, choiceCount, indicator } = props;
  const colors = new Map(selection.map((id, i) => [id, seriesColor(i)]));
  const manyChoices = choiceCount > CHECKBOX_LIST_MAX;
  const summary = `${selection.length} series${view.scale === 'log' ? ', log axis' : ''}${
    view.unit ? `, in ${view.unit}` : ''
  }`;
  return (
    <details className="settings">
      <summary>
        Settings <span className="meta">({summary})</span>
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
          <SeriesList {...props} colors={colors} manyChoices={manyChoices} />
        )}
        <AxisChoice view={view} update={update} />
        <UnitChoice units={props.units} view={view} update={update} />
      </div>
    </details>
  );
}

/** The series as checkboxes: every one when there are few, and the form without JavaScript. */
function SeriesList(props: SettingsProps & { colors: Map<number, string>; manyChoices: boolean }) {
  const { view, update, selection, choices, choiceCount, find, colors, manyChoices } = props;
  return (
    <fieldset className={manyChoices ? 'series-list long' : 'series-list'}>
      <legend>
        Series
        {manyChoices ? ` (${choiceCount.toLocaleString('en-US')}, ${selection.length} shown)` : ''}
      </legend>
      {manyChoices && (
        <p className="series-find">
          <label>
            Find a series <input type="search" name="find" defaultValue={find} autoComplete="off" />
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
            style={{ background: colors.get(s.id) ?? 'transparent', color: colors.get(s.id) }}
            aria-hidden="true"
          />
          {s.name}
          <span className="kind-badge">{KIND_LABELS[s.kind]}</span>
        </label>
      ))}
    </fieldset>
  );
}

function AxisChoice({ view, update }: { view: ChartView; update: Update }) {
  return (
    <fieldset>
      <legend>Axis</legend>
      {(['linear', 'log'] as const).map((scale) => (
        <label key={scale}>
          <input
            type="radio"
            name="scale"
            value={scale}
            checked={view.scale === scale}
            onChange={() => update({ ...view, scale })}
          />
          {scale === 'linear' ? 'Linear' : 'Log'}
        </label>
      ))}
    </fieldset>
  );
}

function UnitChoice({
  units,
  view,
  update,
}: {
  units: Props['units'];
  view: ChartView;
  update: Update;
}) {
  if (units.length <= 1) return null;
  const current =
    units.find((u) => u.name === view.unit || u.short === view.unit)?.name ?? units[0]!.name;
  return (
    <fieldset>
      <legend>Unit</legend>
      <label>
        <span className="visually-hidden">Show values in</span>
        <select
          name="unit"
          value={current}
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
  );
}

function DownsampledNote({ downsampled }: { downsampled: Props['downsampled'] }) {
  if (!downsampled) return null;
  return (
    <p className="meta" data-testid="downsampled-note">
      Downsampled:{' '}
      {downsampled.series === 1 ? 'one series has' : `${downsampled.series} series have`}{' '}
      {downsampled.total.toLocaleString('en-US')} values in this range; the chart draws{' '}
      {downsampled.shown.toLocaleString('en-US')} of them, keeping each stretch&rsquo;s highest and
      lowest. The table and the CSV have every value.
    </p>
  );
}
