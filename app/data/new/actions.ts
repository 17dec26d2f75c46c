'use server';

import { requireEditorInAction } from '@/lib/auth';
import { revalidateAfterWrite } from '@/lib/api';
import { loadIndicatorView } from '@/lib/indicator-view';
import { DEFAULT_VIEW, seriesColor, type ChartSeries } from '@/lib/domain/chart-view';
import { periodToYear } from '@/lib/domain/period';
import { convertValue } from '@/lib/domain/units';
import { readDataForm } from '@/lib/import/data-form';
import { previewImport, type ImportReport } from '@/lib/import/import-data';
import { write } from '@/lib/write/write-queue';
import type { FieldError } from '@/lib/schemas';
import { DatabaseBusyError } from '@/lib/writer';

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
async function previewChart(report: ImportReport, values: Parameters<typeof previewImport>[2]) {
  const slug = report.indicator?.slug;
  // The indicator as its page opens, downsampled: the preview needs its shape, not every value.
  const existing = slug ? await loadIndicatorView(slug, DEFAULT_VIEW, { compact: true }) : null;
  const chart = existing?.chart ?? [];
  const factor = report.unit?.factor ?? 1;
  const byEntity = new Map<string, ChartSeries['points']>();
  for (const v of values.values) {
    const code = v.entityCode;
    if (!code || !report.entities.some((e) => e.code === code)) continue;
    const points = byEntity.get(code) ?? [];
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
    byEntity.set(code, points);
  }
  const previews = report.entities.slice(0, MAX_PREVIEW_SERIES).map((e, i) => ({
    id: -(i + 1),
    label: `Preview: ${e.seriesLabel}`,
    kind: 'observed' as const,
    entityCode: e.code,
    entityName: e.name,
    color: seriesColor(chart.length + i),
    points: (byEntity.get(e.code) ?? []).sort((a, b) => a.x - b.x),
  }));
  return [...chart, ...previews];
}

/** The "Add data" form: `intent=preview` reports what would change; `intent=save` writes it. */
export async function submitData(_previous: DataFormState, form: FormData): Promise<DataFormState> {
  await requireEditorInAction();
  const intent = form.get('intent') === 'save' ? 'save' : 'preview';
  const empty: DataFormState = { intent, fieldErrors: [], report: null, chart: [], error: null };
  const read = await readDataForm(form);
  if (!read.ok) return { ...empty, fieldErrors: read.errors };
  try {
    const { report } = await write<{ ok: true; report: ImportReport }>({
      type: 'import',
      meta: read.meta,
      values: read.values,
      dryRun: intent === 'preview',
    });
    if (intent === 'preview') {
      return { ...empty, report, chart: await previewChart(report, read.values) };
    }
    if (report.committed) revalidateAfterWrite(report.indicator?.slug);
    return { ...empty, report, chart: report.ok ? [] : await previewChart(report, read.values) };
  } catch (error) {
    if (error instanceof DatabaseBusyError) return { ...empty, error: error.message };
    return { ...empty, error: 'The write failed; nothing was saved.' };
  }
}
