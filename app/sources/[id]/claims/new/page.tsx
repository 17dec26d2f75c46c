import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { isEditor } from '@/lib/web/auth';
import { listEntities, listIndicatorOptions } from '@/lib/read/catalog';
import { getDocument } from '@/lib/documents/read';
import { formatValue } from '@/lib/domain/format';
import { EditorGate } from '@/app/ui/editor-gate';
import { ClaimForm } from './claim-form';

export const metadata: Metadata = { title: 'Record a claim' };

type Props = {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
};

export default async function RecordClaimPage({ params, searchParams }: Props) {
  const [{ id }, query] = await Promise.all([params, searchParams]);
  if (!(await isEditor()))
    return (
      <EditorGate
        title="Record a claim"
        what="Recording a claim"
        next={`/sources/${id}/claims/new`}
      />
    );
  const doc = /^\d+$/.test(id) ? await getDocument(Number(id)) : null;
  if (!doc) notFound();
  const [indicators, entities] = await Promise.all([listIndicatorOptions(), listEntities()]);
  return (
    <>
      <p className="meta">
        <Link href="/claims">Claims</Link> › <Link href={`/sources/${doc.id}`}>{doc.title}</Link> ›
        Record a claim
      </p>
      <h1>Record a claim from “{doc.title}”</h1>
      <p className="lede">{doc.citation}</p>
      {doc.text === null ? (
        <p className="notice">
          This source stores its quotes only, not its text, so new quotes cannot be checked against
          it. <Link href="/sources/new">Add the document with its text</Link> to quote from it.
        </p>
      ) : (
        <ClaimForm
          source={doc}
          text={doc.text}
          sentences={doc.sentences}
          indicators={indicators}
          entities={entities}
          preselected={typeof query.indicator === 'string' ? query.indicator : undefined}
        />
      )}
      {doc.claims.length > 0 && (
        <>
          <h2>Claims already recorded from it</h2>
          <ul>
            {doc.claims.map((c) => (
              <li key={c.id}>
                <Link href={`/claims#claim-${c.id}`}>
                  {c.indicator.title}, {c.period}: {formatValue(c.value, 0)}
                </Link>{' '}
                <span className="meta">
                  ({c.kind}) — “{c.quote}”
                </span>
              </li>
            ))}
          </ul>
        </>
      )}
    </>
  );
}
