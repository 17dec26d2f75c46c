import { parseAsOf } from '@/lib/domain/as-of';
import { streamFullCsv, wantsBom } from '@/lib/export/responses';

/** The whole database, one row per current observation with its provenance, streamed; `?asOf=`. */
export async function GET(request: Request) {
  const url = new URL(request.url);
  const asOf = parseAsOf(url.searchParams.get('asOf'));
  const day = (asOf ?? new Date()).toISOString().slice(0, 10);
  return new Response(streamFullCsv(undefined, wantsBom(url), asOf), {
    headers: {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="sourced-export${asOf ? '_as-of' : ''}_${day}.csv"`,
      'Cache-Control': 'no-store',
    },
  });
}
