import { authErrorResponse, authorizeRequest } from '@/lib/auth';
import {
  errorResponse,
  previewOrCommit,
  readBody,
  validationResponse,
  writeFailureResponse,
} from '@/lib/api';
import { maxUploadBytes, valuesFromFile } from '@/lib/import/sources';
import { importMetaSchema } from '@/lib/schemas';

/** POST multipart/form-data with a `file` part and a JSON `meta` part; `?dryRun=1` previews. */
export async function POST(request: Request) {
  const auth = authorizeRequest(request, { contentTypes: ['multipart/form-data'] });
  if (!auth.ok) return authErrorResponse(auth);
  try {
    // The file limit plus room for the meta part and multipart framing.
    const body = await readBody(request, maxUploadBytes() + 1024 * 1024);
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

    const values = valuesFromFile(new Uint8Array(await file.arrayBuffer()), meta.data);
    return previewOrCommit(request, meta.data, values);
  } catch (error) {
    return writeFailureResponse(error);
  }
}
