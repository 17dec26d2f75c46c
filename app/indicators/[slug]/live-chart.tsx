'use client';

// The indicator page's interactive chart, loaded when the chart is first used
// (chart-area.tsx): the series of the view on screen, fetched from the read API
// (use-view-series.ts, react-query), drawn by recharts. It follows the view the reader
// has just asked for (pending-view.ts) without waiting for the server's page.
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { useSearchParams } from 'next/navigation';
import { useEffect, useState, useSyncExternalStore, type ReactNode } from 'react';
import {
  chartType,
  chartViewFromSearch,
  describeChart,
  effectiveScale,
  MAX_VISIBLE_SERIES,
  selectedSeries,
  type ChartType,
} from '@/lib/domain/chart-view';
import { transformDecimals, transformUnit } from '@/lib/domain/transform';
import IndicatorChart from './indicator-chart';
import { pendingView, subscribePendingView } from './pending-view';
import { useViewSeries } from './use-view-series';

export type LiveSource = {
  slug: string;
  defaults: number[];
  indicator: { title: string; unitShort: string; unitLong: string; decimals: number };
};

export type LiveChartProps = LiveSource & {
  fallback: ReactNode;
  /** Told what is on screen: the chart's type, and whether the next view is loading. */
  onShown: (shown: { type: ChartType | null; busy: boolean }) => void;
};

export default function LiveChart(props: LiveChartProps) {
  const [client] = useState(
    () => new QueryClient({ defaultOptions: { queries: { refetchOnWindowFocus: false } } }),
  );
  return (
    <QueryClientProvider client={client}>
      <Chart {...props} />
    </QueryClientProvider>
  );
}

/** The view asked for: the one on its way, else the URL's. */
function useView() {
  const searchParams = useSearchParams();
  const pending = useSyncExternalStore(subscribePendingView, pendingView, () => null);
  return chartViewFromSearch(pending === null ? searchParams : new URLSearchParams(pending));
}

function Chart({ slug, defaults, indicator, fallback, onShown }: LiveChartProps) {
  const view = useView();
  const selection = selectedSeries(view, defaults).slice(0, MAX_VISIBLE_SERIES);
  const loaded = useViewSeries({ slug, params: view, selection, active: true });
  const params = loaded.params;
  const unit = transformUnit(params.transform, {
    long: indicator.unitLong,
    short: indicator.unitShort,
  });
  const decimals = transformDecimals(params.transform, indicator.decimals);
  const type = loaded.series ? chartType(loaded.series) : null;
  useEffect(() => onShown({ type, busy: loaded.busy }), [onShown, type, loaded.busy]);
  if (loaded.error)
    return (
      <>
        <p className="notice" role="alert">
          {loaded.error}
        </p>
        {fallback}
      </>
    );
  if (!loaded.series || !type) return fallback;
  return (
    <IndicatorChart
      series={loaded.series}
      type={type}
      scale={effectiveScale(loaded.series, view.scale)}
      view={params}
      indicator={{ unitShort: unit.short, decimals }}
      description={describeChart(
        { title: indicator.title, unitLong: unit.long, decimals },
        loaded.series,
        type,
      )}
      baseline={params.transform === 'index' ? 100 : 0}
      fallback={fallback}
    />
  );
}
