import { streamFullCsv, wantsBom } from '@/lib/export/responses';

/** The whole database, one row per current observation with its provenance, streamed. */
export async function GET(request: Request) {
  const day = new Date().toISOString().slice(0, 10);
  return new Response(streamFullCsv(undefined, wantsBom(new URL(request.url))), {
    headers: {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="sourced-export_${day}.csv"`,
      'Cache-Control': 'no-store',
    },
  });
}
