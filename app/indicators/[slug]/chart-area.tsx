'use client';

// The chart's box: the server-drawn chart, until a reader uses it (points at it, touches
// it, tabs to it, or asks for an image of it). Only then is the interactive chart
// (recharts, most of a page's JavaScript) loaded and drawn for the box's width, so
// that a reader who only looks never downloads it.
import '../../ui/chart.css';
import { lazy, Suspense, useEffect, useState, useSyncExternalStore, type ReactNode } from 'react';
import type { ChartSeries } from '@/lib/domain/chart-view';
import type { IndicatorChartProps } from './indicator-chart';

const IndicatorChart = lazy(() => import('./indicator-chart'));

/** Dispatched on window by whatever needs the interactive chart drawn (image downloads). */
export const CHART_WANTED_EVENT = 'sourced:chart-wanted';

const noSubscription = () => () => {};

type Props = Omit<IndicatorChartProps, 'fallback' | 'series'> & {
  /** The series to draw; null while they load (the fallback stays). */
  series: ChartSeries[] | null;
  /** The server-rendered chart, shown until the interactive one is ready. */
  fallback: ReactNode;
  /** Set while the next view loads: what is on screen stays, marked as busy. */
  busy?: boolean;
  /** Told when the reader first uses the chart. */
  onActivate?: () => void;
};

export function ChartArea({ fallback, busy, onActivate, series, ...chart }: Props) {
  // The server and the hydrating browser render the fallback alone: rendering the lazy
  // chart there would write the fallback into the HTML twice.
  const hydrated = useSyncExternalStore(
    noSubscription,
    () => true,
    () => false,
  );
  const [active, setActive] = useState(false);
  const activate = () => {
    if (active) return;
    setActive(true);
    onActivate?.();
  };
  useEffect(() => {
    if (active) return;
    const wanted = () => {
      setActive(true);
      onActivate?.();
    };
    window.addEventListener(CHART_WANTED_EVENT, wanted);
    return () => window.removeEventListener(CHART_WANTED_EVENT, wanted);
  }, [active, onActivate]);
  const drawn = hydrated && active && series !== null;
  return (
    <div
      className="chart-area"
      data-chart-type={chart.type}
      data-chart-active={active ? 'true' : 'false'}
      aria-busy={busy || (active && series === null) || undefined}
      tabIndex={drawn ? undefined : 0}
      role={drawn ? undefined : 'group'}
      aria-label={drawn ? undefined : 'Chart: focus or point at it to explore its values'}
      onPointerEnter={activate}
      // A pointer already resting where the chart appears (after a navigation) enters nothing.
      onPointerMove={activate}
      onTouchStart={activate}
      onFocus={activate}
    >
      {drawn ? (
        <Suspense fallback={fallback}>
          <IndicatorChart {...chart} series={series} fallback={fallback} />
        </Suspense>
      ) : (
        fallback
      )}
    </div>
  );
}
