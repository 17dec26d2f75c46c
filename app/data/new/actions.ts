'use server';

import { editorActionAuth } from '@/lib/web/auth';
import { revalidateAfterWrite } from '@/lib/api/routes';
import { previewChart } from '@/lib/views/data-preview';
import type { ChartSeries } from '@/lib/domain/chart-view';
import { readDataForm } from '@/lib/import/data-form';
import type { ImportReport } from '@/lib/import/import-data';
import type { PreviewLine } from '@/lib/import/preview-lines';
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

/**
 * The "Add data" form's typed values: `intent=preview` reports what would change; `intent=save`
 * writes it. A file goes another way: the page's script streams it to /api/imports/form.
 */
export async function submitData(_previous: DataFormState, form: FormData): Promise<DataFormState> {
  const intent = form.get('intent') === 'save' ? 'save' : 'preview';
  const empty: DataFormState = { intent, fieldErrors: [], report: null, chart: [], error: null };
  const auth = await editorActionAuth();
  if (!auth.ok) return { ...empty, error: auth.message };
  const read = readDataForm(form);
  if (!read.ok) return { ...empty, fieldErrors: read.errors };
  try {
    // Planned and written on the write worker; the preview also runs the scale check and
    // draws the preview's lines there.
    const { report, preview } = await write<{
      ok: true;
      report: ImportReport;
      preview?: PreviewLine[];
    }>({
      type: 'import',
      meta: read.meta,
      imports: read.imports,
      dryRun: intent === 'preview',
      withPreview: true,
    });
    if (report.committed) revalidateAfterWrite(report.indicator?.slug);
    // A save that went through shows no chart: the form links to the indicator's page.
    const chart = preview ? await previewChart(report.indicator?.slug, preview) : [];
    return { ...empty, report, chart };
  } catch (error) {
    const failed = formFailure(error);
    return { ...empty, fieldErrors: failed.errors, error: failed.error };
  }
}
