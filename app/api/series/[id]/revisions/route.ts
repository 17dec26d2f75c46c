import { errorResponse } from '@/lib/api/routes';
import { getSeries, listRevisions } from '@/lib/read/catalog';
import { parseId } from '@/lib/domain/ids';
import { OBSERVATIONS_PAGE_DEFAULT, OBSERVATIONS_PAGE_MAX } from '@/lib/api/read';
import { withFailures } from '@/lib/api/errors';

type Params = { params: Promise<{ id: string }> };

/**
 * GET the revisions of a series, superseded ones included, oldest first per period,
 * a page at a time: `limit` (default 1,000, at most 10,000) and `cursor` (the
 * previous page's nextCursor).
 */
export const GET = withFailures(async function GET(request: Request, { params }: Params) {
  const { id } = await params;
  const seriesId = parseId(id);
  const series = seriesId === null ? null : await getSeries(seriesId);
  if (!series) return errorResponse(404, `No series with id ${id}`);
  const url = new URL(request.url);
  const limitText = url.searchParams.get('limit');
  const limit = limitText === null ? OBSERVATIONS_PAGE_DEFAULT : Number(limitText);
  if (!Number.isInteger(limit) || limit < 1 || limit > OBSERVATIONS_PAGE_MAX)
    return errorResponse(400, `limit: a whole number from 1 to ${OBSERVATIONS_PAGE_MAX}`);
  const cursor = url.searchParams.get('cursor');
  const match = cursor === null ? null : /^(\d{4}(?:-\d{2}(?:-\d{2})?)?)~(\d{1,9})$/.exec(cursor);
  if (cursor !== null && !match)
    return errorResponse(400, 'cursor: must be the nextCursor of the previous page');
  const rows = await listRevisions(series.id, {
    limit: limit + 1,
    after: match ? { period: match[1]!, revision: Number(match[2]) } : null,
  });
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  const nextCursor = rows.length > limit && last ? `${last.period}~${last.revision}` : null;
  return Response.json({
    series: {
      id: series.id,
      label: series.label,
      kind: series.kind,
      archivedAt: series.archivedAt,
    },
    revisions: page,
    nextCursor,
  });
});
