import Link from 'next/link';
import type { ClaimScore, DerivationRef, Evidence } from '@/lib/claims/scorecard';
import { STATUS_LABELS } from '@/lib/domain/claims';
import { formatValue } from '@/lib/domain/format';
import { findUnit } from '@/lib/domain/units';

function evidenceLine(e: Evidence) {
  const role = e.role ? `${e.role}: ` : '';
  const unit = findUnit(e.unit)?.short ?? e.unit;
  return (
    <>
      {role}
      {e.indicatorTitle}, {e.entityName} {e.period}: {formatValue(e.value, 0)} {unit}.{' '}
      <Link href={`/sources/${e.sourceRef.id}`}>
        {e.sourceRef.publisher}, “{e.sourceRef.title}”
      </Link>
      {e.sourceRef.license ? ` (${e.sourceRef.license})` : ''}; series “{e.series}”.
    </>
  );
}

function DerivationLine({ d, used }: { d: DerivationRef; used: boolean }) {
  return (
    <li data-derivation={d.slug}>
      {d.proxy && <span className="kind-badge proxy-badge">Proxy</span>} {d.title}: {d.expression}
      {used ? '' : ' (not used: see the status)'}
      {d.note && <div className="meta">{d.note}</div>}
    </li>
  );
}

/** The scorecard rows; sorting links are the page's business. */
export function ScorecardTable({
  claims,
  headers,
}: {
  claims: readonly ClaimScore[];
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
            <tr key={c.id} id={`claim-${c.id}`} data-claim={c.id} data-status={c.status}>
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
                  <Link
                    href={`/sources/${c.claim.source.id}${c.claim.quote ? `#quote-${c.claim.quote.id}` : ''}`}
                  >
                    Source
                  </Link>
                </div>
                {c.derivations.length > 0 && (
                  <div className="meta">
                    {c.type === 'derived' ? 'Computed as' : 'Derived outcome'}:
                    <ul className="derivations">
                      {c.derivations.map((d) => (
                        <DerivationLine
                          key={d.id}
                          d={d}
                          used={!c.outcome || c.outcome.derivation?.id === d.id}
                        />
                      ))}
                    </ul>
                  </div>
                )}
              </td>
              <td>{c.claim.period}</td>
              <td className="num">{c.display.claimed}</td>
              <td className="num">
                {c.outcome ? (
                  <>
                    {c.display.observed} <span className="meta">({c.outcome.period})</span>
                    {c.outcome.proxy && (
                      <div>
                        <span
                          className="kind-badge proxy-badge"
                          title={c.outcome.derivation?.note ?? undefined}
                        >
                          Proxy
                        </span>
                      </div>
                    )}
                    {c.outcome.conversion && (
                      <div className="meta evidence" data-testid="conversion">
                        Converted: {c.outcome.conversion.text} ({c.outcome.conversion.basis})
                      </div>
                    )}
                    {c.outcome.evidence.map((e, i) => (
                      <div key={i} className="meta evidence">
                        {evidenceLine(e)}
                      </div>
                    ))}
                  </>
                ) : (
                  <span className="meta">–</span>
                )}
              </td>
              <td className="num">{c.display.error ?? <span className="meta">–</span>}</td>
              <td>
                <span className={`status status-${c.status}`}>{STATUS_LABELS[c.status]}</span>
                <div className="meta">{c.reason}</div>
                {c.next && (
                  <div className="meta next-step" data-testid="next-step">
                    {c.next.text}
                    {c.next.indicator && (
                      <>
                        {' '}
                        <Link href={`/data/new?indicator=${c.next.indicator.slug}`}>Add data</Link>
                      </>
                    )}
                    {c.status === 'no-data' && c.entity && (
                      <>
                        {' · '}
                        <Link
                          href={`/derivations/new?target=${encodeURIComponent(`${c.indicator.slug}:${c.entity.code}`)}`}
                        >
                          Define a derivation
                        </Link>
                      </>
                    )}
                  </div>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
