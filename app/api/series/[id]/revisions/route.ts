import { errorResponse } from '@/lib/api';
import { getSeries, listRevisions } from '@/lib/data';

type Params = { params: Promise<{ id: string }> };

/** GET every revision of a series, superseded ones included, oldest first per period. */
export async function GET(_request: Request, { params }: Params) {
  const { id } = await params;
  const series = /^\d+$/.test(id) ? await getSeries(Number(id)) : null;
  if (!series) return errorResponse(404, `No series with id ${id}`);
  return Response.json({
    series: {
      id: series.id,
      label: series.label,
      kind: series.kind,
      archivedAt: series.archivedAt,
    },
    revisions: await listRevisions(series.id),
  });
}
