'use client';

// The chart's box: the server-rendered chart until the interactive chart has loaded and
// measured the box, then the interactive chart, laid out for that width.
import { lazy, Suspense, useSyncExternalStore, type ReactNode } from 'react';
import type { IndicatorChartProps } from './indicator-chart';

const IndicatorChart = lazy(() => import('./indicator-chart'));

const noSubscription = () => () => {};

type Props = Omit<IndicatorChartProps, 'fallback'> & {
  /** The server-rendered chart, shown until the interactive one is ready. */
  fallback: ReactNode;
  /** Set while the next view loads: what is on screen stays, marked as busy. */
  busy?: boolean;
};

export function ChartArea({ fallback, busy, ...chart }: Props) {
  // The server and the hydrating browser render the fallback alone: rendering the lazy
  // chart there would write the fallback into the HTML twice (once for the Suspense
  // boundary, once inside the chart before it has measured its box).
  const hydrated = useSyncExternalStore(
    noSubscription,
    () => true,
    () => false,
  );
  return (
    <div className="chart-area" data-chart-type={chart.type} aria-busy={busy || undefined}>
      {hydrated ? (
        <Suspense fallback={fallback}>
          <IndicatorChart {...chart} fallback={fallback} />
        </Suspense>
      ) : (
        fallback
      )}
    </div>
  );
}
