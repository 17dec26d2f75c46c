import { authErrorResponse, authorizeRequest } from '@/lib/auth';
import { errorResponse, revalidateAfterWrite, writeFailureResponse } from '@/lib/api';
import { getSeries } from '@/lib/data';
import { getWriter } from '@/lib/db';
import { setArchived } from '@/lib/import/series-writes';

type Params = { params: Promise<{ id: string }> };

/** POST archives a series (hides it, deletes nothing); `?undo=1` restores it. */
export async function POST(request: Request, { params }: Params) {
  const auth = authorizeRequest(request, { requireContentType: false });
  if (!auth.ok) return authErrorResponse(auth);
  const { id } = await params;
  const series = /^\d+$/.test(id) ? await getSeries(Number(id)) : null;
  if (!series) return errorResponse(404, `No series with id ${id}`);
  const undo = ['1', 'true'].includes(new URL(request.url).searchParams.get('undo') ?? '');
  try {
    const archivedAt = setArchived(getWriter(), series.id, !undo);
    revalidateAfterWrite(series.indicator.slug);
    return Response.json({ series: { id: series.id, label: series.label, archivedAt } });
  } catch (error) {
    return writeFailureResponse(error);
  }
}
