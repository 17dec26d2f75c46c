import { parseJson, previewOrCommit, validationResponse, writeRoute } from '@/lib/api/routes';
import { valuesFromObservations } from '@/lib/import/sources';
import { createSeriesSchema } from '@/lib/schemas';

/** POST a series with its provenance and observations as JSON; `?dryRun=1` previews. */
export const POST = writeRoute(
  { contentTypes: ['application/json'] },
  async ({ request, body }) => {
    const json = parseJson(body);
    if (!json.ok) return json.response;
    const parsed = createSeriesSchema.safeParse(json.json);
    if (!parsed.success) return validationResponse(parsed.error);
    const { observations, entity, entityName: _name, ...rest } = parsed.data;
    const meta = { ...rest, entity, entities: [entity], format: undefined, valueColumn: undefined };
    const values = valuesFromObservations(entity, observations, parsed.data.entityName);
    return previewOrCommit(request, { meta, values });
  },
);
