'use client';

// The embed's chart: the server's SVG, then the interactive chart (tooltips) on top.
import { useMemo, type ReactNode } from 'react';
import { fromWire, type ChartScale, type ChartType } from '@/lib/domain/chart-view';
import { ChartArea } from '@/app/indicators/[slug]/chart-area';

export function EmbedChart(props: {
  /** The series in view as toWire wrote them. */
  series: string;
  type: ChartType;
  scale: ChartScale;
  range: { from: number | null; to: number | null };
  unit: string;
  decimals: number;
  baseline: number;
  description: string;
  fallback: ReactNode;
}) {
  const series = useMemo(() => fromWire(props.series), [props.series]);
  return (
    <ChartArea
      type={props.type}
      fallback={props.fallback}
      chart={{
        series,
        type: props.type,
        scale: props.scale,
        view: props.range,
        indicator: { unitShort: props.unit, decimals: props.decimals },
        description: props.description,
        baseline: props.baseline,
      }}
    />
  );
}
