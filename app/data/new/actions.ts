'use server';

import { editorActionAuth } from '@/lib/web/auth';
import { revalidateAfterWrite } from '@/lib/api/routes';
import { loadIndicatorView } from '@/lib/views/indicator';
import { DEFAULT_VIEW, seriesColor, type ChartSeries } from '@/lib/domain/chart-view';
import { periodToYear } from '@/lib/domain/period';
import { convertValue } from '@/lib/domain/units';
import { readDataForm } from '@/lib/import/data-form';
import type { ImportReport } from '@/lib/import/import-data';
import type { FileImport } from '@/lib/import/sources';
import { write } from '@/lib/write/write-queue';
import type { FieldError } from '@/lib/schemas';
import { formFailure } from '@/lib/api/errors';

export type DataFormState = {
  intent: 'preview' | 'save' | null;
  fieldErrors: FieldError[];
  report: ImportReport | null;
  chart: ChartSeries[];
  error: string | null;
};

const MAX_PREVIEW_SERIES = 12;
const MAX_PREVIEW_POINTS = 2000;

/** The indicator's current series with the parsed values beside them, for the preview chart. */
async function previewChart(report: ImportReport, imports: FileImport) {
  const slug = report.indicator?.slug;
  // The indicator as its page opens, downsampled: the preview needs its shape, not every value.
  const existing = slug ? await loadIndicatorView(slug, DEFAULT_VIEW, { compact: true }) : null;
  const chart = existing?.chart ?? [];
  const factor = report.unit?.factor ?? 1;
  // One preview line per series the import would write: per file series and entity.
  const lines = new Map<string, ChartSeries['points']>();
  imports.items.forEach(({ input }, i) => {
    for (const v of input.values) {
      const code = v.entityCode;
      if (!code || !report.entities.some((e) => e.code === code)) continue;
      const key = `${i}\u0000${code}`;
      const points = lines.get(key) ?? [];
      if (points.length < MAX_PREVIEW_POINTS) {
        points.push({
          period: v.period,
          precision: v.precision,
          x: periodToYear(v.period),
          value: convertValue(v.value, factor),
          low: null,
          high: null,
        });
      }
      lines.set(key, points);
    }
  });
  const previews = [...lines].slice(0, MAX_PREVIEW_SERIES).map(([key, points], n) => {
    const [i, code] = key.split('\u0000') as [string, string];
    const series = imports.items[Number(i)]?.input.series;
    const plan = report.entities.find(
      (e) => e.code === code && (!series || e.seriesLabel.includes(`: ${series} (`)),
    );
    return {
      id: -(n + 1),
      label: `Preview: ${plan?.seriesLabel ?? code}`,
      kind: 'observed' as const,
      entityCode: code,
      entityName: plan?.name ?? code,
      color: seriesColor(chart.length + n),
      points: points.sort((a, b) => a.x - b.x),
    };
  });
  return [...chart, ...previews];
}

/** The "Add data" form: `intent=preview` reports what would change; `intent=save` writes it. */
export async function submitData(_previous: DataFormState, form: FormData): Promise<DataFormState> {
  const intent = form.get('intent') === 'save' ? 'save' : 'preview';
  const empty: DataFormState = { intent, fieldErrors: [], report: null, chart: [], error: null };
  const auth = await editorActionAuth();
  if (!auth.ok) return { ...empty, error: auth.message };
  const read = await readDataForm(form);
  if (!read.ok) return { ...empty, fieldErrors: read.errors };
  try {
    // Planned and written on the write worker; the preview also runs the scale check there.
    const { report } = await write<{ ok: true; report: ImportReport }>({
      type: 'import',
      meta: read.meta,
      imports: read.imports,
      dryRun: intent === 'preview',
    });
    if (intent === 'preview') {
      return { ...empty, report, chart: await previewChart(report, read.imports) };
    }
    if (report.committed) revalidateAfterWrite(report.indicator?.slug);
    return {
      ...empty,
      report,
      chart: report.ok ? [] : await previewChart(report, read.imports),
    };
  } catch (error) {
    const failed = formFailure(error);
    return { ...empty, fieldErrors: failed.errors, error: failed.error };
  }
}
