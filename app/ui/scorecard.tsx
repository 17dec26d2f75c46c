import Link from 'next/link';
import type { ClaimScore } from '@/lib/claims';
import { STATUS_LABELS } from '@/lib/domain/claims';
import { formatValue } from '@/lib/domain/format';

function fmt(v: number) {
  return formatValue(Number(v.toPrecision(6)), 0);
}

/** The scorecard rows; sorting links are the page's business. */
export function ScorecardTable({
  claims,
  headers,
}: {
  claims: ClaimScore[];
  headers?: React.ReactNode;
}) {
  return (
    <div className="table-wrap" role="region" aria-label="Claims against outcomes" tabIndex={0}>
      <table className="scorecard" data-testid="scorecard">
        <thead>
          {headers ?? (
            <tr>
              <th scope="col">Claim</th>
              <th scope="col">Target</th>
              <th scope="col" className="num">
                Claimed
              </th>
              <th scope="col" className="num">
                Observed
              </th>
              <th scope="col" className="num">
                Error
              </th>
              <th scope="col">Status</th>
            </tr>
          )}
        </thead>
        <tbody>
          {claims.map((c) => (
            <tr key={c.id} data-claim={c.id} data-status={c.status}>
              <td>
                <strong>
                  <Link href={`/indicators/${c.indicator.slug}`}>{c.title}</Link>
                </strong>
                {c.claim.quote && (
                  <blockquote className="small-quote">{c.claim.quote.text}</blockquote>
                )}
                <div className="meta">
                  {c.kind === 'projection' ? 'Projected' : 'Reported'} by {c.claim.madeBy}
                  {c.claim.statedOn ? `, ${c.claim.statedOn}` : ''}
                  {c.claim.quote?.citedOutlet ? ` (${c.claim.quote.citedOutlet})` : ''}.{' '}
                  <Link href={`/sources/${c.claim.source.id}`}>Source</Link>
                </div>
              </td>
              <td>{c.claim.period}</td>
              <td className="num">
                {fmt(c.claim.value)} <span className="meta">{c.claim.unit}</span>
              </td>
              <td className="num">
                {c.outcome ? (
                  <>
                    {fmt(c.outcome.value)} <span className="meta">({c.outcome.period})</span>
                    {c.outcome.evidence.map((e, i) => (
                      <div key={i} className="meta evidence">
                        {e.entity} {e.period}: {fmt(e.value)} {e.unit} — {e.series}; {e.source}
                      </div>
                    ))}
                  </>
                ) : (
                  <span className="meta">–</span>
                )}
              </td>
              <td className="num">
                {c.error ? (
                  <>
                    {c.error.absolute > 0 ? '+' : ''}
                    {fmt(c.error.absolute)}
                    {c.error.percent !== null && (
                      <div className="meta">
                        {c.error.percent > 0 ? '+' : ''}
                        {c.error.percent.toFixed(1)}%
                      </div>
                    )}
                  </>
                ) : (
                  <span className="meta">–</span>
                )}
              </td>
              <td>
                <span className={`status status-${c.status}`}>{STATUS_LABELS[c.status]}</span>
                <div className="meta">{c.reason}</div>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
