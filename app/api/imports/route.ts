import { errorResponse, previewOrCommit, validationResponse, writeRoute } from '@/lib/api';
import { maxUploadBytes } from '@/lib/import/sources';
import { importMetaSchema } from '@/lib/schemas';

/** POST multipart/form-data with a `file` part and a JSON `meta` part; `?dryRun=1` previews. */
export const POST = writeRoute(
  // The file limit plus room for the meta part and multipart framing.
  { contentTypes: ['multipart/form-data'], limit: maxUploadBytes() + 1024 * 1024 },
  async ({ request, body }) => {
    let form: FormData;
    try {
      form = await new Response(body as BodyInit, {
        headers: { 'content-type': request.headers.get('content-type') ?? '' },
      }).formData();
    } catch {
      return errorResponse(400, 'The body is not valid multipart/form-data');
    }
    const file = form.get('file');
    const metaPart = form.get('meta');
    if (!(file instanceof Blob)) return errorResponse(400, 'The "file" part is missing');
    if (file.size > maxUploadBytes()) {
      return errorResponse(
        413,
        `The file is larger than the limit of ${maxUploadBytes() / 1024 / 1024} MB`,
      );
    }
    if (metaPart === null) return errorResponse(400, 'The "meta" part is missing');
    let metaJson: unknown;
    try {
      metaJson = JSON.parse(typeof metaPart === 'string' ? metaPart : await metaPart.text());
    } catch {
      return errorResponse(400, 'The "meta" part is not valid JSON');
    }
    const meta = importMetaSchema.safeParse(metaJson);
    if (!meta.success) return validationResponse(meta.error);
    // Parsed on the write worker, with the write: the server keeps answering meanwhile.
    return previewOrCommit(request, {
      meta: meta.data,
      file: new Uint8Array(await file.arrayBuffer()),
    });
  },
);
