// The extractor's entry point, the shape `POST /api/extract` returns: every quantity in the
// text and the claims proposed from them. Pure and synchronous: no database, no network.
import { proposeClaims, type ClaimOptions, type ProposedClaim } from './claims';
import { extractQuantities, type Quantity } from './quantities';

export type { ClaimOptions, IndicatorHint, ProposedClaim } from './claims';
export type { Quantity, QuantityValue } from './quantities';
export { extractQuantities } from './quantities';
export { proposeClaims } from './claims';

export type Extraction = { quantities: Quantity[]; claims: ProposedClaim[] };

export function extract(text: string, options: ClaimOptions = {}): Extraction {
  return { quantities: extractQuantities(text), claims: proposeClaims(text, options) };
}
