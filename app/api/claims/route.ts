import { claimPaths, jsonWriteRoute, runClaimWrite } from '@/lib/claims/routes';
import { claimInputSchema } from '@/lib/claims/schemas';
import type { CreatedClaim } from '@/lib/documents/writes';
import { loadScorecard } from '@/lib/claims/scorecard';
import { parseAsOf } from '@/lib/domain/as-of';
import { HELD_TOLERANCE, PERIOD_TOLERANCE_YEARS, STATUS_RULES } from '@/lib/domain/claims';
import { withFailures } from '@/lib/api/errors';

/** GET every claim with its comparable observation, error and status; `?asOf=YYYY-MM-DD`. */
export const GET = withFailures(async function GET(request: Request) {
  const asOf = parseAsOf(new URL(request.url).searchParams.get('asOf'));
  return Response.json({
    asOf: asOf?.toISOString() ?? null,
    rules: {
      heldTolerance: HELD_TOLERANCE,
      periodToleranceYears: PERIOD_TOLERANCE_YEARS,
      statuses: STATUS_RULES,
    },
    claims: await loadScorecard({ asOf }),
  });
});

/**
 * POST a claim quoted from a stored document (editor token): the quote's offsets are
 * located in the document's text and checked against it. 201 when recorded, 200 when
 * the same claim was already there.
 */
export const POST = jsonWriteRoute(claimInputSchema, async (input) => {
  const c = await runClaimWrite<CreatedClaim>({ type: 'claim', input });
  return {
    status: c.created ? 201 : 200,
    body: { claim: { ...c, id: `observation-${c.observationId}` } },
    paths: claimPaths(c.indicator),
  };
});
