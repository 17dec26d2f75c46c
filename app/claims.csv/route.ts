import { loadScorecard } from '@/lib/claims/scorecard';
import { claimRows, CLAIMS_CSV_HEADER } from '@/lib/claims/csv';
import { formatAsOf, parseAsOf } from '@/lib/domain/as-of';
import { toCsv } from '@/lib/export/csv';
import { wantsBom } from '@/lib/export/responses';
import { withFailures } from '@/lib/api/errors';

/** The scorecard as CSV, one row per claim; `?asOf=YYYY-MM-DD`, `?bom=0`. */
export const GET = withFailures(async function GET(request: Request) {
  const url = new URL(request.url);
  const asOf = parseAsOf(url.searchParams.get('asOf'));
  const csv = toCsv(CLAIMS_CSV_HEADER, claimRows(await loadScorecard({ asOf })), {
    bom: wantsBom(url),
  });
  return new Response(csv, {
    headers: {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="sourced-claims${asOf ? `_as-of-${formatAsOf(asOf)}` : ''}.csv"`,
      'Cache-Control': 'no-store',
    },
  });
});
