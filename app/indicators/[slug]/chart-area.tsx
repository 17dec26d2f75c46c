'use client';

// The chart's box: the server-drawn chart, until a reader uses it (points at it, touches
// it, tabs to it, or asks for an image of it). Only then is the interactive chart
// (recharts, most of a page's JavaScript) loaded and drawn for the box's width, so
// that a reader who only looks never downloads it. On the indicator page the chart
// fetches its own series (`live`, live-chart.tsx); the embed hands them over (`series`).
import '../../ui/chart.css';
import {
  lazy,
  Suspense,
  useCallback,
  useEffect,
  useState,
  useSyncExternalStore,
  type ReactNode,
} from 'react';
import type { ChartSeries, ChartType } from '@/lib/domain/chart-view';
import type { IndicatorChartProps } from './indicator-chart';
import type { LiveSource } from './live-chart';
import { CHART_WANTED_EVENT } from './pending-view';

const IndicatorChart = lazy(() => import('./indicator-chart'));
const LiveChart = lazy(() => import('./live-chart'));

const noSubscription = () => () => {};

type Props = {
  /** The server-rendered chart, shown until the interactive one is ready. */
  fallback: ReactNode;
  /** The chart type the server drew. */
  type: ChartType;
} & (
  | { live: LiveSource; chart?: never }
  | {
      live?: never;
      /** The series to draw and how (the embed's, sent with the page). */
      chart: Omit<IndicatorChartProps, 'fallback'> & { series: ChartSeries[] };
    }
);

export function ChartArea({ fallback, type, live, chart }: Props) {
  // The server and the hydrating browser render the fallback alone: rendering the lazy
  // chart there would write the fallback into the HTML twice.
  const hydrated = useSyncExternalStore(
    noSubscription,
    () => true,
    () => false,
  );
  const [active, setActive] = useState(false);
  const [shown, setShown] = useState<{ type: ChartType | null; busy: boolean } | null>(null);
  const onShown = useCallback((s: { type: ChartType | null; busy: boolean }) => setShown(s), []);
  const activate = () => setActive(true);
  useEffect(() => {
    if (active) return;
    const wanted = () => setActive(true);
    window.addEventListener(CHART_WANTED_EVENT, wanted);
    return () => window.removeEventListener(CHART_WANTED_EVENT, wanted);
  }, [active]);
  const drawn = hydrated && active;
  // The box is the chart's own until the interactive chart has drawn something.
  const interactive = drawn && (!live || (shown?.type ?? null) !== null);
  return (
    <div
      className="chart-area"
      data-chart-type={shown?.type ?? type}
      data-chart-active={active ? 'true' : 'false'}
      aria-busy={(active && !!live && (shown === null || shown.busy)) || undefined}
      tabIndex={interactive ? undefined : 0}
      role={interactive ? undefined : 'group'}
      aria-label={interactive ? undefined : 'Chart: focus or point at it to explore its values'}
      onPointerEnter={activate}
      // A pointer already resting where the chart appears (after a navigation) enters nothing.
      onPointerMove={activate}
      onTouchStart={activate}
      onFocus={activate}
    >
      {drawn ? (
        <Suspense fallback={fallback}>
          {live ? (
            <LiveChart {...live} fallback={fallback} onShown={onShown} />
          ) : (
            <IndicatorChart {...chart!} fallback={fallback} />
          )}
        </Suspense>
      ) : (
        fallback
      )}
    </div>
  );
}
