import Link from 'next/link';
import { connection } from 'next/server';
import { loadOverviewCards } from '@/lib/views/overview';
import { formatVolumeIssue } from '@/lib/domain/citation';
import { formatWithUnit, kindPhrase } from '@/lib/domain/format';
import { MiniChart } from './ui/mini-chart';
import { AsOfForm } from './ui/as-of-form';
import { parseAsOf } from '@/lib/domain/as-of';
import { formatPeriod } from '@/lib/domain/period';

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function OverviewPage({ searchParams }: Props) {
  await connection();
  const asOfParam = (await searchParams).asOf;
  const asOf = parseAsOf(asOfParam);
  const asOfText = asOf ? asOf.toISOString().slice(0, 10) : null;
  const cards = await loadOverviewCards(asOf);
  return (
    <>
      <h1>Indicators</h1>
      <p className="lede">
        Every figure from the source article, as it was stated, next to the data that came later.{' '}
        <Link href="/data/new">Add data</Link> ·{' '}
        <Link href="/claims">How did the claims hold up?</Link>
      </p>
      <AsOfForm action="/" asOf={asOfText} />
      <ul className="cards">
        {cards.map(({ view: v, summary, computed, sketch }) => {
          const { indicator, unit } = v;
          const { claims, moreClaims, latest, sources } = summary;
          const more = v.series.length - v.selected.length;
          return (
            <li key={indicator.slug} className="card" data-indicator={indicator.slug}>
              <h2>
                <Link href={`/indicators/${indicator.slug}${asOfText ? `?asOf=${asOfText}` : ''}`}>
                  {indicator.title}
                </Link>
              </h2>
              {claims.length === 0 && <p className="meta">{indicator.description}</p>}
              <ul className="claims">
                {claims.map((c) => (
                  <li key={`${c.seriesId}-${c.period}`}>
                    <p className="figure">
                      {claims.length > 1 && <span className="kind">{c.entity.name}: </span>}
                      {formatWithUnit(c.value, indicator.decimals, unit.short)}{' '}
                      <span className="kind">{kindPhrase(c.kind, c.period)}</span>
                    </p>
                  </li>
                ))}
              </ul>
              {moreClaims > 0 && <p className="meta">and {moreClaims} more figures</p>}
              <MiniChart slug={indicator.slug} asOf={asOfText} alt={sketch.description} />
              {more > 0 && (
                <p className="meta">
                  {v.selected.length} of {v.series.length.toLocaleString('en-US')} series shown
                </p>
              )}
              <p className="latest">
                {latest ? (
                  <>
                    Latest observed:{' '}
                    <strong>{formatWithUnit(latest.value, indicator.decimals, unit.short)}</strong>{' '}
                    ({latest.entity.name}, {latest.period}; {latest.publisher})
                  </>
                ) : computed ? (
                  <>
                    Latest derived{computed.proxy ? ' (proxy)' : ''}:{' '}
                    <strong>
                      {formatWithUnit(computed.value, indicator.decimals, unit.short)}
                    </strong>{' '}
                    ({computed.entity}, {formatPeriod(computed.period, 'year')}; {computed.title})
                  </>
                ) : (
                  <span className="meta">No observed data yet.</span>
                )}
              </p>
              {sources.map((s) => (
                <p key={s.id} className="source-line">
                  Source: <Link href={`/sources/${s.id}`}>{s.publisher}</Link>
                  {formatVolumeIssue(s) ? `, ${formatVolumeIssue(s)}` : ''}
                  {s.publishedOn ? ` (${s.publishedOn})` : ''}, “{s.title}”
                </p>
              ))}
            </li>
          );
        })}
      </ul>
    </>
  );
}
