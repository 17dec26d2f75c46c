import { loadIndicatorView } from '@/lib/views/indicator';
import { chartViewFromSearch } from '@/lib/domain/chart-view';
import { checkViewQuery, indicatorJson, QueryError, queryErrorResponse } from '@/lib/api/read';
import { withFailures } from '@/lib/api/errors';

/**
 * GET an indicator with its series (no observations) and the points of the view the
 * query names (`series`, `from`, `to`, `unit`, `asOf`), downsampled as the chart is.
 */
export const GET = withFailures(async function GET(
  request: Request,
  { params }: { params: Promise<{ slug: string }> },
) {
  const { slug } = await params;
  const url = new URL(request.url);
  try {
    checkViewQuery(url);
  } catch (error) {
    if (error instanceof QueryError) return queryErrorResponse(error);
    throw error;
  }
  const v = await loadIndicatorView(slug, chartViewFromSearch(url.searchParams), {
    compact: true,
  });
  if (!v) return Response.json({ error: `No indicator with slug "${slug}"` }, { status: 404 });
  return Response.json(indicatorJson(v));
});
