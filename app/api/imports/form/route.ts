import { importStatus, streamUpload, writeRoute } from '@/lib/api/routes';
import { maxUploadBytes } from '@/lib/import/sources';
import { previewChart } from '@/lib/views/data-preview';

/**
 * The Add data form's file, sent by the page's script as multipart/form-data: the form's
 * fields, then `file`; `?dryRun=1` previews. The body streams to the write worker like the
 * import route's (lib/write/upload.ts reads the fields as the server action does); the answer
 * is the report and the preview chart, `{ report, chart }`, or a failure `{ error, errors? }`.
 */
export const POST = writeRoute(
  // The editor's cookie and this site's Origin, as every cookie write; refusals are worded
  // as the form's server actions word them.
  { contentTypes: ['multipart/form-data'], limit: null, forForm: true },
  async ({ request }) => {
    // The file limit plus room for the form's fields and multipart framing.
    const { report, preview } = await streamUpload(request, maxUploadBytes() + 1024 * 1024, 'form');
    // A save that went through shows no chart: the form links to the indicator's page.
    const chart = preview ? await previewChart(report.indicator?.slug, preview) : [];
    return Response.json({ report, chart }, { status: importStatus(report) });
  },
);
