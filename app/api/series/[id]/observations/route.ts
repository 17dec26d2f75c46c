import {
  errorResponse,
  parseJson,
  previewOrCommit,
  validationResponse,
  writeRoute,
} from '@/lib/api/routes';
import { getSeries } from '@/lib/read/catalog';
import { parseId } from '@/lib/domain/ids';
import { metaForSeries } from '@/lib/import/series-writes';
import { valuesFromObservations } from '@/lib/import/sources';
import { addObservationsSchema } from '@/lib/schemas';
import { observationsJson, QueryError, queryErrorResponse } from '@/lib/api/read';
import { withFailures } from '@/lib/api/errors';

type Params = { params: Promise<{ id: string }> };

/**
 * GET a page of a series' current observations in period order:
 * `?from=&to=` (years), `limit` (default 1,000, at most 10,000), `cursor` (the
 * previous page's nextCursor), `asOf`, `unit`.
 */
export const GET = withFailures(async function GET(request: Request, { params }: Params) {
  const { id } = await params;
  const seriesId = parseId(id);
  if (seriesId === null) return errorResponse(404, `No series with id ${id}`);
  try {
    const page = await observationsJson(seriesId, new URL(request.url));
    if (!page) return errorResponse(404, `No series with id ${id}`);
    return Response.json(page);
  } catch (error) {
    if (error instanceof QueryError) return queryErrorResponse(error);
    throw error;
  }
});

/** POST observations to a series: JSON `{ observations: [...] }`, or a CSV file as `text/csv`. */
export const POST = writeRoute<{ id: string }>(
  { contentTypes: ['application/json', 'text/csv'] },
  async ({ request, params: { id }, body }) => {
    const seriesId = parseId(id);
    const series = seriesId === null ? null : await getSeries(seriesId);
    if (!series) return errorResponse(404, `No series with id ${id}`);
    const meta = metaForSeries(series);
    if ('error' in meta) return errorResponse(400, `Series ${id}: ${meta.error}`);
    if ((request.headers.get('content-type') ?? '').toLowerCase().startsWith('text/csv')) {
      return previewOrCommit(request, { meta, file: body, onlyEntity: series.entity.code });
    }
    const json = parseJson(body);
    if (!json.ok) return json.response;
    const parsed = addObservationsSchema.safeParse(json.json);
    if (!parsed.success) return validationResponse(parsed.error);
    return previewOrCommit(request, {
      meta,
      values: valuesFromObservations(series.entity.code, parsed.data.observations),
    });
  },
);
