import { authErrorResponse, authorizeRequest } from '@/lib/auth';
import {
  parseJson,
  previewOrCommit,
  readBody,
  validationResponse,
  writeFailureResponse,
} from '@/lib/api';
import { maxUploadBytes, valuesFromObservations } from '@/lib/import/sources';
import { createSeriesSchema } from '@/lib/schemas';

/** POST a series with its provenance and observations as JSON; `?dryRun=1` previews. */
export async function POST(request: Request) {
  const auth = authorizeRequest(request, { contentTypes: ['application/json'] });
  if (!auth.ok) return authErrorResponse(auth);
  try {
    const body = await readBody(request, maxUploadBytes());
    const json = parseJson(body);
    if (!json.ok) return json.response;
    const parsed = createSeriesSchema.safeParse(json.json);
    if (!parsed.success) return validationResponse(parsed.error);
    const { observations, entity, entityName: _name, ...rest } = parsed.data;
    const meta = { ...rest, entity, entities: [entity], format: undefined, valueColumn: undefined };
    const values = valuesFromObservations(entity, observations, parsed.data.entityName);
    return previewOrCommit(request, meta, values);
  } catch (error) {
    return writeFailureResponse(error);
  }
}
