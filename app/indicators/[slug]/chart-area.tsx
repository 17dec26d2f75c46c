'use client';

// The chart's box: the server-rendered SVG until the interactive chart has loaded and
// measured the box, then the interactive chart, laid out for that width.
import { lazy, Suspense, type ReactNode } from 'react';
import type { IndicatorChartProps } from './indicator-chart';

const IndicatorChart = lazy(() => import('./indicator-chart'));

type Props = Omit<IndicatorChartProps, 'fallback'> & {
  /** The server-rendered chart, shown until the interactive one is ready. */
  fallback: ReactNode;
  /** Set while the next view loads: what is on screen stays, marked as busy. */
  busy?: boolean;
};

export function ChartArea({ fallback, busy, ...chart }: Props) {
  return (
    <div className="chart-area" data-chart-type={chart.type} aria-busy={busy || undefined}>
      <Suspense fallback={fallback}>
        <IndicatorChart {...chart} fallback={fallback} />
      </Suspense>
    </div>
  );
}
