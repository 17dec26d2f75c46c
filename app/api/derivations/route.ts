import { claimPaths, handleJsonWrite } from '@/lib/claim-routes';
import { derivationInputSchema } from '@/lib/claim-schemas';
import { listDerivationSummaries } from '@/lib/derivations';
import { createDerivation } from '@/lib/derivation-writes';
import { FORMULA_INFO } from '@/lib/domain/derive';

/** GET every derivation with its formula and operands. */
export async function GET() {
  return Response.json({ formulas: FORMULA_INFO, derivations: await listDerivationSummaries() });
}

/** POST a derivation (editor token): a formula over operand series, for a claim or on its own. */
export async function POST(request: Request) {
  return handleJsonWrite(request, derivationInputSchema, (db, input) => {
    const d = createDerivation(db, input);
    return { status: 201, body: { derivation: d }, paths: claimPaths(...d.affects) };
  });
}
