'use client';

// The series the chart draws for the view on screen. The server sends the points of
// the view it rendered; a series picked since, or a view changed since (range, unit,
// transform), is fetched from the read API with react-query, cached per series and
// view, so going back to a view is instant. Until every series of the new view has
// arrived, the chart keeps the last complete view on screen, marked as busy.
import { useQueries, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import {
  seriesColor,
  type ChartPoint,
  type ChartSeries,
  type ChartView,
} from '@/lib/domain/chart-view';

export type DataParams = Pick<ChartView, 'from' | 'to' | 'unit' | 'asOf' | 'transform'>;

const paramsKey = (p: DataParams) => [p.from, p.to, p.unit, p.asOf, p.transform] as const;
const seriesKey = (slug: string, id: number, p: DataParams) =>
  ['indicator-series', slug, id, ...paramsKey(p)] as const;

/** The read API's URL for one series in a view. */
export function seriesUrl(slug: string, id: number, p: DataParams): string {
  const q = new URLSearchParams({ series: String(id) });
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

async function fetchSeries(
  slug: string,
  id: number,
  p: DataParams,
  signal: AbortSignal,
): Promise<ChartSeries> {
  const response = await fetch(seriesUrl(slug, id, p), { signal });
  if (!response.ok) {
    const body = (await response.json().catch(() => null)) as { error?: string } | null;
    throw new Error(body?.error ?? `The series could not be loaded (${response.status})`);
  }
  const json = (await response.json()) as { view: { series: ApiSeries[] } };
  const s = json.view.series.find((x) => x.id === id);
  if (!s) throw new Error('The series is not part of this indicator');
  return {
    id: s.id,
    label: s.label,
    kind: s.kind,
    entityCode: s.entity.code,
    entityName: s.entity.name,
    color: '',
    points: s.points,
  };
}

const sameParams = (a: DataParams, b: DataParams) =>
  paramsKey(a).every((v, i) => v === paramsKey(b)[i]);

export function useViewSeries(options: {
  slug: string;
  /** The series of the view the server rendered. */
  served: ChartSeries[];
  servedParams: DataParams;
  /** The view on screen. */
  params: DataParams;
  selection: number[];
}) {
  const { slug, served, servedParams, params, selection } = options;
  const client = useQueryClient();
  useEffect(() => {
    for (const s of served) client.setQueryData(seriesKey(slug, s.id, servedParams), s);
  }, [client, slug, served, servedParams]);

  const fromServer = sameParams(params, servedParams)
    ? new Map(served.map((s) => [s.id, s]))
    : new Map<number, ChartSeries>();
  const results = useQueries({
    queries: selection.map((id) => ({
      queryKey: seriesKey(slug, id, params),
      queryFn: ({ signal }: { signal: AbortSignal }) => fetchSeries(slug, id, params, signal),
      enabled: !fromServer.has(id),
      staleTime: 5 * 60_000,
      retry: 1,
    })),
  });
  const next = selection.map((id, i) => fromServer.get(id) ?? results[i]?.data);
  const ready = next.every((s): s is ChartSeries => s !== undefined);
  const error = results.find((r) => r.error)?.error ?? null;
  const frame = ready
    ? JSON.stringify([
        selection,
        paramsKey(params),
        results.map((r) => r.dataUpdatedAt),
        served.length,
      ])
    : null;
  // Colours follow the order of the selection, as the server assigns them.
  const colored = (list: ChartSeries[]) => list.map((s, i) => ({ ...s, color: seriesColor(i) }));
  const [last, setLast] = useState(() => ({
    frame: '',
    series: colored(selection.flatMap((id) => served.filter((s) => s.id === id))),
    params: servedParams,
  }));
  if (ready && frame !== last.frame) setLast({ frame: frame!, series: colored(next), params });
  return {
    series: ready ? colored(next) : last.series,
    /** The view the series on screen belong to (the previous one while the next loads). */
    params: ready ? params : last.params,
    busy: !ready && !error,
    error: error ? (error as Error).message : null,
  };
}
