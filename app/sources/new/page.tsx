import type { Metadata } from 'next';
import Link from 'next/link';
import { isEditor } from '@/lib/web/auth';
import { MAX_DOCUMENT_CHARS } from '@/lib/claims/schemas';
import { EditorGate } from '../../ui/editor-gate';
import { DocumentForm } from './document-form';

export const metadata: Metadata = { title: 'Add a document' };

export default async function NewDocumentPage() {
  if (!(await isEditor()))
    return <EditorGate title="Add a document" what="Adding a document" next="/sources/new" />;
  return (
    <>
      <p className="meta">
        <Link href="/claims">Claims</Link> › Add a document
      </p>
      <h1>Add a document</h1>
      <p className="lede">
        A newer projection or report (an agency’s outlook, another article): store it with its text,
        then select the sentences that make claims. Each claim keeps its verbatim quote and is
        scored against the observed data like the 2004 article’s.
      </p>
      <DocumentForm maxChars={MAX_DOCUMENT_CHARS} />
    </>
  );
}
