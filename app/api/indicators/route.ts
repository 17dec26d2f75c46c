import { getReadStore } from '@/lib/read';
import { indicatorFields } from '@/lib/read/catalog';
import { parseAsOf } from '@/lib/domain/as-of';
import { queryErrorResponse, QueryError } from '@/lib/api/read';
import { withFailures } from '@/lib/api/errors';

/** GET every indicator with its number of series; `?asOf=YYYY-MM-DD`. */
export const GET = withFailures(async function GET(request: Request) {
  const raw = new URL(request.url).searchParams.get('asOf');
  const asOf = parseAsOf(raw);
  if (raw !== null && !asOf)
    return queryErrorResponse(new QueryError('asOf: must be a date as YYYY-MM-DD'));
  const db = getReadStore();
  const [rows, counts] = await Promise.all([db.listIndicators(asOf), db.seriesCounts(asOf)]);
  return Response.json({
    asOf: asOf?.toISOString() ?? null,
    indicators: rows.map((r) => ({
      ...indicatorFields(r),
      url: `/api/indicators/${r.slug}`,
      seriesCount: counts.get(r.id) ?? 0,
    })),
  });
});
