import Link from 'next/link';
import type { DerivedSeriesSource } from '@/lib/derivations/series';

/**
 * Where a derived line comes from: its formula and each operand's series and sources, as
 * items of the page's list of sources.
 */
export function DerivedSourceItems({ items }: { items: DerivedSeriesSource[] }) {
  return (
    <>
      {items.map((d) => (
        <li
          key={d.seriesId}
          className="source-item"
          data-series={d.seriesId}
          data-testid="derived-source"
        >
          <strong>{d.title}</strong> <span className="kind-badge">Derived</span>
          {d.proxy && <span className="kind-badge proxy-badge">Proxy</span>}{' '}
          <span className="meta">
            {d.entity.name} ({d.entity.code})
          </span>
          <p className="meta">
            Computed on every view from the operands’ current values: {d.expression}.
          </p>
          {d.note && <p className="meta">{d.note}</p>}
          <ul>
            {d.operands.map((o) => (
              <li key={o.role} className="meta">
                {o.role} = <Link href={`/indicators/${o.indicator.slug}`}>{o.indicator.title}</Link>
                , {o.entity.name}:{' '}
                {o.sources.length === 0
                  ? 'no observed data yet'
                  : o.sources.map((s, i) => (
                      <span key={s.id}>
                        {i > 0 && '; '}
                        <Link href={`/sources/${s.id}`}>
                          {s.publisher}, “{s.title}”
                        </Link>
                        {s.license ? ` (${s.license})` : ''}
                      </span>
                    ))}
              </li>
            ))}
          </ul>
        </li>
      ))}
    </>
  );
}
