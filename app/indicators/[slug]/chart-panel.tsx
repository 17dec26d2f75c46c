// The chart panel of an indicator page: the controls, the chart and the ways to share it,
// rendered on the server for the view in the URL. The controls are a plain GET form
// (an Apply button without JavaScript); with it, one small script (view-form.tsx) turns
// each change into the page's URL without a reload, and the server renders the chart's
// image, its description and the table for the new view. What only some readers use
// loads when first used: the interactive chart (chart-area.tsx), the picker's search
// (picker-island.tsx), the time slider's live track (time-range-island.tsx) and the
// framing of chart images (image-downloads.tsx).
import './chart-panel.css';
import type { ReactNode } from 'react';
import {
  chartViewToSearch,
  MAX_VISIBLE_SERIES,
  selectedSeries,
  seriesColor,
  type ChartScale,
  type ChartType,
  type ChartView,
} from '@/lib/domain/chart-view';
import { KIND_LABELS } from '@/lib/domain/format';
import { CHECKBOX_LIST_MAX, type Choice } from '@/lib/domain/series-search';
import { TRANSFORM_LABELS, TRANSFORMS, type Transform } from '@/lib/domain/transform';
import { ChartArea } from './chart-area';
import type { ImageFrame } from './chart-image';
import { DownloadPanel } from './download-panel';
import { PickerIsland } from './picker-island';
import { SharePanel } from './share-panel';
import { TimeRange } from './time-range';
import { ViewForm } from './view-form';

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
  view: ChartView;
  /** Its query string, as the page's URL writes it. */
  query: string;
  /** The chart the server drew for it. */
  summary: ChartSummary;
  /**
   * The series the form lists: all of them when there are few; else those in view and
   * those a search (`?find=`) found, and the picker searches the rest.
   */
  choices: Choice[];
  /** How many live series the indicator has. */
  choiceCount: number;
  /** The search the form was sent with. */
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
  /** The chart's unit for the view's transform. */
  shownUnit: { long: string; short: string };
};

export function ChartPanel(props: Props) {
  const { view, query, summary, indicator, bounds, defaults } = props;
  const path = `/indicators/${indicator.slug}`;
  const hrefOf = (next: ChartView) => {
    const qs = chartViewToSearch(next, defaults);
    return qs ? `${path}?${qs}` : path;
  };
  return (
    <section className="chart-panel" aria-labelledby="chart-heading">
      <h2 id="chart-heading" className="visually-hidden">
        Chart
      </h2>
      <ViewForm served={query} defaults={defaults}>
        <TransformSwitch view={view} />
        <Settings {...props} />
        {view.asOf && <input type="hidden" name="asOf" value={view.asOf} />}
        {view.scale === 'log' && summary.scale === 'linear' && (
          <p className="notice" role="status">
            A log axis cannot show zero or negative values, so this chart stays linear.
          </p>
        )}
        <ChartArea
          type={summary.type}
          fallback={props.staticChart}
          live={{
            slug: indicator.slug,
            defaults,
            indicator: {
              title: indicator.title,
              unitShort: indicator.unitShort,
              unitLong: indicator.unitLong,
              decimals: indicator.decimals,
            },
          }}
        />
        {bounds && bounds.max > bounds.min && (
          <TimeRange
            bounds={bounds}
            value={view}
            claimYear={props.claimYear}
            hrefFor={(r) => hrefOf({ ...view, ...r })}
          />
        )}
        <noscript>
          <button type="submit" className="button apply">
            Apply
          </button>
        </noscript>
      </ViewForm>
      <p className="chart-description" id="chart-description">
        {summary.description}
      </p>
      <DownsampledNote downsampled={props.downsampled} />
      <SharePanel
        origin={props.origin}
        slug={indicator.slug}
        query={query}
        title={indicator.title}
      />
      <DownloadPanel
        slug={indicator.slug}
        query={query}
        fileSuffix={fileSuffix(view)}
        frame={{
          title: indicator.title,
          subtitle:
            view.transform === 'absolute'
              ? `${indicator.unitLong} (${indicator.unitShort})`
              : `${props.shownUnit.long}; values in ${indicator.unitLong}`,
          legend: summary.legend,
          sources: props.sourceLines,
        }}
      />
    </section>
  );
}

/** The file name's view part, as the server names the CSV (range, transform). */
function fileSuffix(view: ChartView): string {
  const range =
    view.from !== null || view.to !== null ? `_${view.from ?? 'start'}-${view.to ?? 'end'}` : '';
  return range + (view.transform === 'absolute' ? '' : `_${view.transform}`);
}

function TransformSwitch({ view }: { view: ChartView }) {
  return (
    <fieldset className="transform-switch" data-testid="transform">
      <legend>Show</legend>
      {TRANSFORMS.map((t: Transform) => (
        <label key={t} title={TRANSFORM_LABELS[t].description}>
          <input type="radio" name="transform" value={t} defaultChecked={view.transform === t} />
          <span>{TRANSFORM_LABELS[t].label}</span>
        </label>
      ))}
    </fieldset>
  );
}

function Settings(props: Props) {
  const { view, defaults } = props;
  const selection = selectedSeries(view, defaults).slice(0, MAX_VISIBLE_SERIES);
  const summary = `${selection.length} series${view.scale === 'log' ? ', log axis' : ''}${
    view.unit ? `, in ${view.unit}` : ''
  }`;
  return (
    <details className="settings">
      <summary>
        Settings <span className="meta">({summary})</span>
      </summary>
      <div className="settings-body">
        <SeriesList {...props} selection={selection} />
        <AxisChoice view={view} />
        <UnitChoice units={props.units} view={view} />
      </div>
    </details>
  );
}

/**
 * The series as checkboxes: every one when there are few; beyond that, those in view and
 * those "Find a series" found, the box the picker takes over once used.
 */
function SeriesList(props: Props & { selection: number[] }) {
  const { view, selection, choices, choiceCount, find, indicator } = props;
  const colors = new Map(selection.map((id, i) => [id, seriesColor(i)]));
  const manyChoices = choiceCount > CHECKBOX_LIST_MAX;
  return (
    <fieldset className={manyChoices ? 'series-list long' : 'series-list'}>
      <legend>
        Series
        {manyChoices ? ` (${choiceCount.toLocaleString('en-US')}, ${selection.length} shown)` : ''}
      </legend>
      {manyChoices && (
        <PickerIsland slug={indicator.slug} asOf={view.asOf}>
          <p className="series-find">
            <label>
              Find a series{' '}
              <input
                type="search"
                name="find"
                defaultValue={find}
                autoComplete="off"
                data-testid="entity-search"
              />
            </label>{' '}
            <button type="submit" className="button">
              Find
            </button>
          </p>
        </PickerIsland>
      )}
      <input type="hidden" name="series" value="" />
      <div className="series-options">
        {choices.map((s) => (
          <label key={s.id}>
            <input
              type="checkbox"
              name="series"
              value={s.id}
              defaultChecked={selection.includes(s.id)}
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
      </div>
    </fieldset>
  );
}

function AxisChoice({ view }: { view: ChartView }) {
  return (
    <fieldset>
      <legend>Axis</legend>
      {(['linear', 'log'] as const).map((scale) => (
        <label key={scale}>
          <input type="radio" name="scale" value={scale} defaultChecked={view.scale === scale} />
          {scale === 'linear' ? 'Linear' : 'Log'}
        </label>
      ))}
    </fieldset>
  );
}

function UnitChoice({ units, view }: { units: Props['units']; view: ChartView }) {
  if (units.length <= 1) return null;
  const found = units.findIndex((u) => u.name === view.unit || u.short === view.unit);
  const current = found > 0 ? units[found]!.name : '';
  return (
    <fieldset>
      <legend>Unit</legend>
      <label>
        <span className="visually-hidden">Show values in</span>
        <select name="unit" defaultValue={current}>
          {/* The indicator's own unit is the plain URL's: no `unit` in it. */}
          {units.map((u, i) => (
            <option key={u.name} value={i === 0 ? '' : u.name}>
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
