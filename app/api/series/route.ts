import { authErrorResponse, authorizeRequest } from '@/lib/auth';
import {
  errorResponse,
  importResponse,
  readBody,
  revalidateAfterWrite,
  validationResponse,
  writeFailureResponse,
} from '@/lib/api';
import { getWriter } from '@/lib/db';
import { commitImport, previewImport } from '@/lib/import/import-data';
import { maxUploadBytes, valuesFromObservations } from '@/lib/import/sources';
import { createSeriesSchema } from '@/lib/schemas';

/** POST a series with its provenance and observations as JSON; `?dryRun=1` previews. */
export async function POST(request: Request) {
  const auth = authorizeRequest(request, { contentTypes: ['application/json'] });
  if (!auth.ok) return authErrorResponse(auth);
  try {
    const body = await readBody(request, maxUploadBytes());
    let json: unknown;
    try {
      json = JSON.parse(new TextDecoder().decode(body));
    } catch {
      return errorResponse(400, 'The body is not valid JSON');
    }
    const parsed = createSeriesSchema.safeParse(json);
    if (!parsed.success) return validationResponse(parsed.error);
    const { observations, entity, entityName: _name, ...rest } = parsed.data;
    const meta = { ...rest, entity, entities: [entity], format: undefined, valueColumn: undefined };
    const values = valuesFromObservations(entity, observations, parsed.data.entityName);
    const dryRun = new URL(request.url).searchParams.get('dryRun');
    if (dryRun === '1' || dryRun === 'true')
      return importResponse(previewImport(getWriter(), meta, values));
    const report = commitImport(getWriter(), meta, values);
    if (report.committed) revalidateAfterWrite(report.indicator?.slug);
    return importResponse(report);
  } catch (error) {
    return writeFailureResponse(error);
  }
}
