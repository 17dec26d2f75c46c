import { getDocument } from '@/lib/documents/read';
import { listEntities, listIndicatorOptions } from '@/lib/read/catalog';
import { extractOptions, reviewProposals } from '@/lib/claims/proposals';
import { extractOffThread } from '@/lib/claims/extract-thread';
import { ProposalReview } from './proposal-review';

/** The claims the extractor proposes from a stored document's text, for an editor to review. */
export async function ReviewSection({ sourceId }: { sourceId: number }) {
  const doc = await getDocument(sourceId);
  if (!doc?.text) return null;
  const [indicators, entities] = await Promise.all([listIndicatorOptions(), listEntities()]);
  const documentDate = doc.publishedOn ?? undefined;
  const extraction = await extractOffThread(doc.text, extractOptions(documentDate, indicators));
  const proposals = reviewProposals(doc.text, extraction, {
    documentDate,
    indicators,
    recorded: doc.claims.map((c) => ({ startOffset: c.startOffset, value: c.value })),
  });
  if (proposals.length === 0)
    return (
      <p className="meta" id="review">
        Sourced found no figures to propose in this document’s text.
      </p>
    );
  return (
    <ProposalReview
      sourceId={sourceId}
      proposals={proposals}
      indicators={indicators}
      entities={entities}
    />
  );
}
