import { claimPaths, jsonWriteRoute, runClaimWrite } from '@/lib/claims/routes';
import { derivationInputSchema } from '@/lib/claims/schemas';
import type { createDerivation } from '@/lib/derivations/writes';
import { listDerivationSummaries } from '@/lib/derivations/read';
import { FORMULA_INFO } from '@/lib/domain/derive';
import { withFailures } from '@/lib/api/errors';

/** GET every derivation with its formula and operands. */
export const GET = withFailures(async function GET() {
  return Response.json({ formulas: FORMULA_INFO, derivations: await listDerivationSummaries() });
});

/** POST a derivation (editor token): a formula over operand series, for a claim or on its own. */
export const POST = jsonWriteRoute(derivationInputSchema, async (input) => {
  const d = await runClaimWrite<Awaited<ReturnType<typeof createDerivation>>>({
    type: 'derivation',
    input,
  });
  return { status: 201, body: { derivation: d }, paths: claimPaths(...d.affects) };
});
