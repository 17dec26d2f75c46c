import { loadIndicatorView } from '@/lib/views/indicator';
import { DEFAULT_VIEW } from '@/lib/domain/chart-view';
import { QueryError, queryErrorResponse, seriesListQuery } from '@/lib/api/read';
import { withFailures } from '@/lib/api/errors';

/**
 * GET every live series of an indicator (`?asOf=` as known then), named as the entity
 * picker lists them: what the picker fetches when its search is first used.
 */
export const GET = withFailures(async function GET(
  request: Request,
  { params }: { params: Promise<{ slug: string }> },
) {
  const { slug } = await params;
  let asOf: string | null;
  try {
    asOf = seriesListQuery(new URL(request.url)).asOf ?? null;
  } catch (error) {
    if (error instanceof QueryError) return queryErrorResponse(error);
    throw error;
  }
  const v = await loadIndicatorView(slug, { ...DEFAULT_VIEW, asOf }, { compact: true });
  if (!v) return Response.json({ error: `No indicator with slug "${slug}"` }, { status: 404 });
  return Response.json({ indicator: v.indicator.slug, asOf: v.view.asOf, series: v.choices });
});
