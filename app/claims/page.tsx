import type { Metadata } from 'next';
import Link from 'next/link';
import { loadScorecard, type ClaimScore } from '@/lib/claims/scorecard';
import { parseAsOf } from '@/lib/domain/as-of';
import { CLAIM_STATUSES, STATUS_LABELS, STATUS_RULES } from '@/lib/domain/claims';
import { AsOfForm } from '../ui/as-of-form';
import { ScorecardTable } from '../ui/scorecard';

export const metadata: Metadata = { title: 'Claims against outcomes' };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

const SORTS = {
  claim: (a: ClaimScore, b: ClaimScore) => a.title.localeCompare(b.title),
  target: (a: ClaimScore, b: ClaimScore) => a.claim.period.localeCompare(b.claim.period),
  status: (a: ClaimScore, b: ClaimScore) =>
    CLAIM_STATUSES.indexOf(a.status) - CLAIM_STATUSES.indexOf(b.status),
  // Claims without an error sort last either way.
  error: (a: ClaimScore, b: ClaimScore) =>
    Math.abs(a.error?.percent ?? Infinity) - Math.abs(b.error?.percent ?? Infinity),
} as const;
type SortKey = keyof typeof SORTS;

export default async function ClaimsPage({ searchParams }: Props) {
  const query = await searchParams;
  const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);
  const asOf = parseAsOf(one(query.asOf));
  const asOfText = asOf ? asOf.toISOString().slice(0, 10) : null;
  const sort: SortKey =
    (Object.keys(SORTS) as SortKey[]).find((k) => k === one(query.sort)) ?? 'target';
  const dir = one(query.dir) === 'desc' ? 'desc' : 'asc';
  const claims = [...(await loadScorecard({ asOf }))].sort(
    (a, b) => (dir === 'asc' ? 1 : -1) * SORTS[sort](a, b),
  );
  const link = (key: SortKey) => {
    const p = new URLSearchParams();
    p.set('sort', key);
    p.set('dir', key === sort && dir === 'asc' ? 'desc' : 'asc');
    if (asOfText) p.set('asOf', asOfText);
    return `/claims?${p}`;
  };
  const header = (key: SortKey, label: string, className?: string) => (
    <th
      scope="col"
      className={className}
      aria-sort={key === sort ? (dir === 'asc' ? 'ascending' : 'descending') : 'none'}
    >
      <Link href={link(key)}>
        {label}
        {key === sort ? (dir === 'asc' ? ' ▲' : ' ▼') : ''}
      </Link>
    </th>
  );
  const counts = CLAIM_STATUSES.map(
    (s) => [s, claims.filter((c) => c.status === s).length] as const,
  );
  const exportQuery = asOfText ? `?asOf=${asOfText}` : '';

  return (
    <>
      <h1>Claims against outcomes</h1>
      <p className="lede">
        Every projected or reported figure, next to the best comparable observation, converted to
        the claim’s unit and with its own source.{' '}
        <Link href="/sources/new">Add a document and its claims</Link> ·{' '}
        <Link href="/derivations/new">Define a derivation</Link>
      </p>
      {one(query.derivation) && (
        <p className="notice" role="status">
          Derivation “{one(query.derivation)}” defined: the claims it computes outcomes for show it
          below.
        </p>
      )}
      <AsOfForm action="/claims" asOf={asOfText} keep={{ sort, dir }} />
      <p className="meta">
        {counts
          .filter(([, n]) => n > 0)
          .map(([s, n]) => `${STATUS_LABELS[s]}: ${n}`)
          .join(' · ')}{' '}
        · <a href={`/claims.csv${exportQuery}`}>Download CSV</a> ·{' '}
        <a href={`/api/claims${exportQuery}`}>JSON</a>
      </p>
      <ScorecardTable
        claims={claims}
        headers={
          <tr>
            {header('claim', 'Claim')}
            {header('target', 'Target')}
            <th scope="col" className="num">
              Claimed
            </th>
            <th scope="col" className="num">
              Observed
            </th>
            {header('error', 'Error', 'num')}
            {header('status', 'Status')}
          </tr>
        }
      />
      <h2>How claims are scored</h2>
      <dl className="facts">
        {CLAIM_STATUSES.map((s) => (
          <div key={s} style={{ display: 'contents' }}>
            <dt>{STATUS_LABELS[s]}</dt>
            <dd>{STATUS_RULES[s]}</dd>
          </div>
        ))}
      </dl>
      <p className="meta">
        The comparable observation is the observed value for the same entity nearest the target
        period, within a year; values in other units are converted with the factors in the unit
        registry, and the conversion is shown. When the claim’s own indicator has no observed value
        there, a derivation defined for the claim computes one from its operand series (ratio a ÷ b,
        share 1 − a ÷ b, difference a − b, or change over the previous period), each operand with
        its own source; it is recomputed from the operands’ current values on every view. A
        derivation marked <em>proxy</em> measures something close to the claim, not the claim
        itself. Errors are claimed minus observed, as a percentage of the observed value.
      </p>
    </>
  );
}
