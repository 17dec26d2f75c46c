// The Add data preview's lines: what an import would write, per file series and entity, as
// chart points in the indicator's unit. Computed where the file was parsed (the write worker),
// so only these few points, never the file's values, cross to the server's main thread.
import type { ChartPoint } from '../domain/chart-view';
import { periodToYear } from '../domain/period';
import { convertValue } from '../domain/units';
import type { ImportReport } from './report';
import { valueTable } from './report';
import type { FileImport } from './sources';

/** At most this many lines, of at most this many points: a preview shows a shape, not a file. */
export const MAX_PREVIEW_LINES = 12;
export const MAX_PREVIEW_POINTS = 2000;

export type PreviewLine = {
  /** The series' label as the plan names it (its entity's code when the plan has none). */
  label: string;
  entityCode: string;
  entityName: string;
  /** In period order, values converted by the report's unit factor. */
  points: ChartPoint[];
};

/** Where each line's points gather, in the order lines are first met. */
type Gathered = Map<string, { item: number; code: string; points: ChartPoint[] }>;

function gather(report: ImportReport, imports: FileImport): Gathered {
  const planned = new Set(report.entities.map((e) => e.code));
  const factor = report.unit?.factor ?? 1;
  const lines: Gathered = new Map();
  imports.items.forEach(({ input }, item) => {
    const values = valueTable(input.values);
    for (let i = 0; i < values.length; i++) {
      const code = values.entityOf(i).code;
      // Rows the plan drops (skipped, unknown entities) are not what Save would write.
      if (!code || !planned.has(code)) continue;
      const key = `${item}\u0000${code}`;
      let line = lines.get(key);
      if (!line) {
        // Past the last line kept, a new series is not drawn; its rows are still read for
        // the lines already started.
        if (lines.size >= MAX_PREVIEW_LINES) continue;
        line = { item, code, points: [] };
        lines.set(key, line);
      }
      if (line.points.length >= MAX_PREVIEW_POINTS) continue;
      const period = values.periodOf(i);
      line.points.push({
        period,
        precision: values.precisionOf(i),
        x: periodToYear(period),
        value: convertValue(values.value(i), factor),
        low: null,
        high: null,
      });
    }
  });
  return lines;
}

/** The preview's lines (at most 12 × 2,000 points), named as the report's plan names them. */
export function previewLines(report: ImportReport, imports: FileImport): PreviewLine[] {
  return [...gather(report, imports).values()].map(({ item, code, points }) => {
    const series = imports.items[item]?.input.series;
    // A file read as several series plans one entity per series: the label says which.
    const plan = report.entities.find(
      (e) => e.code === code && (!series || e.seriesLabel.includes(`: ${series} (`)),
    );
    return {
      label: plan?.seriesLabel ?? code,
      entityCode: code,
      entityName: plan?.name ?? code,
      points: points.sort((a, b) => a.x - b.x),
    };
  });
}
