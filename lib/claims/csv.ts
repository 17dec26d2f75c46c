// The scorecard in the long layout forecast-evaluation tools read: one row per claim.
import type { ClaimScore } from './scorecard';
import type { CsvCell } from '../export/csv';

/** Frozen, like the other export headers: new columns are only ever appended. */
export const CLAIMS_CSV_HEADER = [
  'claim',
  'predicted',
  'observed',
  'unit',
  'target_period',
  'observed_period',
  'status',
  'error',
  'error_percent',
  'kind',
  'indicator',
  'entity',
  'code',
  'made_by',
  'stated_on',
  'quote',
  'cited_outlet',
  'source',
  'observed_source',
  'observed_derivation',
  'observed_is_proxy',
] as const;

export function claimRows(scores: readonly ClaimScore[]): CsvCell[][] {
  return scores.map((c) => [
    c.title,
    c.claim.value,
    c.outcome?.value ?? null,
    c.claim.unit,
    c.claim.period,
    c.outcome?.period ?? null,
    c.status,
    c.error?.absolute ?? null,
    c.error?.percent ?? null,
    c.kind,
    c.indicator.slug,
    c.entity?.name ?? null,
    c.entity?.code ?? null,
    c.claim.madeBy,
    c.claim.statedOn,
    c.claim.quote?.text ?? null,
    c.claim.quote?.citedOutlet ?? null,
    c.claim.source.citation,
    c.outcome ? [...new Set(c.outcome.evidence.map((e) => e.source))].join(' | ') : null,
    c.outcome?.derivation?.expression ?? null,
    c.outcome ? (c.outcome.proxy ? 'yes' : 'no') : null,
  ]);
}
