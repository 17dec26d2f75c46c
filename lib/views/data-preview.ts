// The Add data preview's chart: the indicator as its page opens, with the lines the write
// worker drew from the file (lib/import/preview-lines.ts) beside its series. Only those lines
// reach the server's main thread, never the file or its parsed values.
import { DEFAULT_VIEW, seriesColor, type ChartSeries } from '../domain/chart-view';
import type { PreviewLine } from '../import/preview-lines';
import type { ReadStore } from '../read/types';
import { getReadStore } from '../read';
import { loadIndicatorView } from './indicator';

/** The indicator's series (none for a new one) followed by the preview's lines. */
export async function previewChart(
  slug: string | undefined,
  lines: PreviewLine[],
  db: ReadStore = getReadStore(),
): Promise<ChartSeries[]> {
  // Downsampled as the page opens: the preview needs the indicator's shape, not every value.
  const existing = slug ? await loadIndicatorView(slug, DEFAULT_VIEW, { compact: true }, db) : null;
  const chart = existing?.chart ?? [];
  const previews = lines.map((line, n): ChartSeries => ({
    // Negative: no stored series has such an id.
    id: -(n + 1),
    label: `Preview: ${line.label}`,
    kind: 'observed',
    entityCode: line.entityCode,
    entityName: line.entityName,
    color: seriesColor(chart.length + n),
    points: line.points,
  }));
  return [...chart, ...previews];
}
