import type { Metadata } from 'next';
import Link from 'next/link';
import { isEditor } from '@/lib/web/auth';
import { listEntities, listIndicatorOptions } from '@/lib/read/catalog';
import { listClaimTargets, listDerivationSummaries } from '@/lib/derivations/read';
import { EditorGate } from '../../ui/editor-gate';
import { DerivationForm } from './derivation-form';

export const metadata: Metadata = { title: 'Define a derivation' };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function NewDerivationPage({ searchParams }: Props) {
  if (!(await isEditor()))
    return (
      <EditorGate
        title="Define a derivation"
        what="Defining a derivation"
        next="/derivations/new"
      />
    );
  const query = await searchParams;
  const [indicators, entities, targets, existing] = await Promise.all([
    listIndicatorOptions(),
    listEntities(),
    listClaimTargets(),
    listDerivationSummaries(),
  ]);
  return (
    <>
      <p className="meta">
        <Link href="/claims">Claims</Link> › Define a derivation
      </p>
      <h1>Define a derivation</h1>
      <p className="lede">
        When no series measures a claim directly, compute its outcome from series that do: a ratio,
        the share one leaves uncovered of another, a difference, or the change over the previous
        period. Each operand keeps its own source; the value is recomputed from the operands’
        current data every time it is shown.
      </p>
      <DerivationForm
        indicators={indicators}
        entities={entities}
        targets={targets}
        preselected={typeof query.target === 'string' ? query.target : undefined}
      />
      <h2>Derivations defined</h2>
      <ul>
        {existing.map((d) => (
          <li key={d.id}>
            <strong>{d.title}</strong>
            {d.proxy && <span className="kind-badge proxy-badge">Proxy</span>}:{' '}
            <span className="meta">{d.expression}</span>
            {d.target && (
              <>
                {' '}
                → <Link href={`/indicators/${d.target.indicator}`}>{d.target.indicator}</Link> (
                {d.target.entity})
              </>
            )}
          </li>
        ))}
      </ul>
    </>
  );
}
