'use client';

// The series the interactive chart draws for the view on screen. The page carries no
// points (the chart on the page is the server's image), so the first use of the chart
// fetches the view's series from the read API in one request, downsampled as the
// server's chart is; react-query keeps each view, so going back to one is instant.
// Until every series of a new view has arrived, the last complete view stays on
// screen, marked as busy. Nothing is fetched before the chart is used.
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import {
  seriesColor,
  type ChartPoint,
  type ChartSeries,
  type ChartView,
} from '@/lib/domain/chart-view';

export type DataParams = Pick<ChartView, 'from' | 'to' | 'unit' | 'asOf' | 'transform'>;

const paramsKey = (p: DataParams) => [p.from, p.to, p.unit, p.asOf, p.transform] as const;

/** The read API's URL for the series of a view. */
export function viewSeriesUrl(slug: string, ids: number[], p: DataParams): string {
  const q = new URLSearchParams({ series: ids.join(',') });
  if (p.from !== null) q.set('from', String(p.from));
  if (p.to !== null) q.set('to', String(p.to));
  if (p.unit !== null) q.set('unit', p.unit);
  if (p.asOf !== null) q.set('asOf', p.asOf);
  if (p.transform !== 'absolute') q.set('transform', p.transform);
  return `/api/indicators/${encodeURIComponent(slug)}?${q}`;
}

type ApiSeries = {
  id: number;
  label: string;
  kind: ChartSeries['kind'];
  entity: { code: string; name: string };
  points: ChartPoint[];
};

async function fetchView(
  slug: string,
  ids: number[],
  p: DataParams,
  signal: AbortSignal,
): Promise<ChartSeries[]> {
  if (ids.length === 0) return [];
  const response = await fetch(viewSeriesUrl(slug, ids, p), { signal });
  if (!response.ok) {
    const body = (await response.json().catch(() => null)) as { error?: string } | null;
    throw new Error(body?.error ?? `The series could not be loaded (${response.status})`);
  }
  const json = (await response.json()) as { view: { series: ApiSeries[] } };
  const byId = new Map(json.view.series.map((s) => [s.id, s]));
  // Colours follow the order of the selection, as the server assigns them.
  return ids.flatMap((id, i) => {
    const s = byId.get(id);
    if (!s) return [];
    return [
      {
        id: s.id,
        label: s.label,
        kind: s.kind,
        entityCode: s.entity.code,
        entityName: s.entity.name,
        color: seriesColor(i),
        points: s.points,
      },
    ];
  });
}

export function useViewSeries(options: {
  slug: string;
  /** The view on screen. */
  params: DataParams;
  selection: number[];
  /** Whether the chart has been used: nothing is fetched before. */
  active: boolean;
}) {
  const { slug, params, selection, active } = options;
  const result = useQuery({
    queryKey: ['indicator-view', slug, selection.join(','), ...paramsKey(params)],
    queryFn: ({ signal }) => fetchView(slug, selection, params, signal),
    enabled: active,
    staleTime: 5 * 60_000,
    retry: 1,
  });
  const [last, setLast] = useState<{ series: ChartSeries[]; params: DataParams } | null>(null);
  if (result.data && last?.series !== result.data) setLast({ series: result.data, params });
  const ready = result.data !== undefined;
  const shown = ready ? { series: result.data, params } : last;
  return {
    /** Null until the chart is used and its first view has arrived. */
    series: shown?.series ?? null,
    /** The view the series on screen belong to (the previous one while the next loads). */
    params: shown?.params ?? params,
    busy: active && !ready && !result.error,
    error: result.error ? result.error.message : null,
  };
}
