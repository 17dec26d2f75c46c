import { getScorecard } from '@/lib/claims';
import { parseAsOf } from '@/lib/domain/as-of';
import { HELD_TOLERANCE, PERIOD_TOLERANCE_YEARS, STATUS_RULES } from '@/lib/domain/claims';

/** GET every claim with its comparable observation, error and status; `?asOf=YYYY-MM-DD`. */
export async function GET(request: Request) {
  const asOf = parseAsOf(new URL(request.url).searchParams.get('asOf'));
  return Response.json({
    asOf: asOf?.toISOString() ?? null,
    rules: {
      heldTolerance: HELD_TOLERANCE,
      periodToleranceYears: PERIOD_TOLERANCE_YEARS,
      statuses: STATUS_RULES,
    },
    claims: await getScorecard({ asOf }),
  });
}
