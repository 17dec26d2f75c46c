import { authErrorResponse, authorizeRequest } from '@/lib/auth';
import {
  errorResponse,
  parseJson,
  previewOrCommit,
  readBody,
  validationResponse,
  writeFailureResponse,
} from '@/lib/api';
import { getSeries } from '@/lib/data';
import type { ImportValues } from '@/lib/import/import-data';
import { metaForSeries } from '@/lib/import/series-writes';
import { maxUploadBytes, valuesFromFile, valuesFromObservations } from '@/lib/import/sources';
import { addObservationsSchema } from '@/lib/schemas';
import { observationsJson, QueryError, queryErrorResponse } from '@/lib/read-api';

type Params = { params: Promise<{ id: string }> };

/**
 * GET a page of a series' current observations in period order:
 * `?from=&to=` (years), `limit` (default 1,000, at most 10,000), `cursor` (the
 * previous page's nextCursor), `asOf`, `unit`.
 */
export async function GET(request: Request, { params }: Params) {
  const { id } = await params;
  const seriesId = /^\d{1,15}$/.test(id) ? Number(id) : NaN;
  if (!Number.isSafeInteger(seriesId) || seriesId < 1)
    return errorResponse(404, `No series with id ${id}`);
  try {
    const page = await observationsJson(seriesId, new URL(request.url));
    if (!page) return errorResponse(404, `No series with id ${id}`);
    return Response.json(page);
  } catch (error) {
    if (error instanceof QueryError) return queryErrorResponse(error);
    throw error;
  }
}

/** POST observations to a series: JSON `{ observations: [...] }`, or a CSV file as `text/csv`. */
export async function POST(request: Request, { params }: Params) {
  const auth = authorizeRequest(request, { contentTypes: ['application/json', 'text/csv'] });
  if (!auth.ok) return authErrorResponse(auth);
  const { id } = await params;
  const series = /^\d+$/.test(id) ? await getSeries(Number(id)) : null;
  if (!series) return errorResponse(404, `No series with id ${id}`);
  const meta = metaForSeries(series);
  if ('error' in meta) return errorResponse(400, `Series ${id}: ${meta.error}`);
  try {
    const body = await readBody(request, maxUploadBytes());
    let values: ImportValues;
    if ((request.headers.get('content-type') ?? '').toLowerCase().startsWith('text/csv')) {
      values = valuesFromFile(body, meta);
      // A file for one series must not carry other entities' rows: refuse rather than drop them.
      const foreign = values.values.filter(
        (v) => v.entityCode && v.entityCode !== series.entity.code,
      );
      for (const v of foreign.slice(0, 20)) {
        values.parse?.problems.push({
          row: v.row,
          column: 'code',
          reason: `this series is for ${series.entity.code}, not ${v.entityCode}`,
          severity: 'error',
        });
      }
    } else {
      const json = parseJson(body);
      if (!json.ok) return json.response;
      const parsed = addObservationsSchema.safeParse(json.json);
      if (!parsed.success) return validationResponse(parsed.error);
      values = valuesFromObservations(series.entity.code, parsed.data.observations);
    }
    return previewOrCommit(request, meta, values);
  } catch (error) {
    return writeFailureResponse(error);
  }
}
