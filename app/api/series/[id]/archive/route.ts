import { errorResponse, revalidateAfterWrite, writeRoute } from '@/lib/api/routes';
import { getSeries } from '@/lib/read/catalog';
import { parseId } from '@/lib/domain/ids';
import { write } from '@/lib/write/write-queue';

/** POST archives a series (hides it, deletes nothing); `?undo=1` restores it. */
export const POST = writeRoute<{ id: string }>(
  { requireContentType: false, limit: null },
  async ({ request, params: { id } }) => {
    const seriesId = parseId(id);
    const series = seriesId === null ? null : await getSeries(seriesId);
    if (!series) return errorResponse(404, `No series with id ${id}`);
    const undo = ['1', 'true'].includes(new URL(request.url).searchParams.get('undo') ?? '');
    const { archivedAt } = await write<{ ok: true; archivedAt: string | null }>({
      type: 'archive',
      seriesId: series.id,
      archived: !undo,
    });
    revalidateAfterWrite(series.indicator.slug);
    return Response.json({ series: { id: series.id, label: series.label, archivedAt } });
  },
);
