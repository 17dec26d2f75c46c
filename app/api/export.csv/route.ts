import { parseAsOf } from '@/lib/domain/as-of';
import { fullCsvResponse, wantsBom } from '@/lib/export/responses';
import { withFailures } from '@/lib/api/errors';

/** The whole database, one row per current observation with its provenance, streamed; `?asOf=`. */
export const GET = withFailures(async function GET(request: Request) {
  const url = new URL(request.url);
  const asOf = parseAsOf(url.searchParams.get('asOf'));
  const day = (asOf ?? new Date()).toISOString().slice(0, 10);
  return fullCsvResponse({
    bom: wantsBom(url),
    asOf,
    filename: `sourced-export${asOf ? '_as-of' : ''}_${day}.csv`,
    acceptEncoding: request.headers.get('accept-encoding'),
  });
});
