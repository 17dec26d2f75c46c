import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { cache } from 'react';
import { loadSourceDetail } from '@/lib/views/source-detail';
import { parseId } from '@/lib/domain/ids';
import { KIND_LABELS } from '@/lib/domain/format';
import { isEditor } from '@/lib/web/auth';
import { ReviewSection } from './review-section';
import { RecipesSection } from './recipes-section';
import { listRecipeOptions } from '@/lib/import/recipe-options';

type Props = { params: Promise<{ id: string }> };

// The metadata and the page read the same source once per request.
const loadSource = cache((id: string) => {
  const sourceId = parseId(id);
  return sourceId === null ? null : loadSourceDetail(sourceId);
});

async function load(params: Props['params']) {
  return loadSource((await params).id);
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const source = await load(params);
  return { title: source?.title ?? 'Source not found' };
}

export default async function SourcePage({ params }: Props) {
  const source = await load(params);
  if (!source) notFound();
  const [editor, recipes] = await Promise.all([isEditor(), listRecipeOptions(source.id)]);
  return (
    <>
      <p className="meta">
        <Link href="/">Indicators</Link> › Source
      </p>
      <h1>{source.title}</h1>
      <p className="lede">{source.citation}</p>
      <dl className="facts">
        <dt>Publisher</dt>
        <dd>{source.publisher}</dd>
        {source.volume && (
          <>
            <dt>Volume</dt>
            <dd>{source.volume}</dd>
          </>
        )}
        {source.issue && (
          <>
            <dt>Issue</dt>
            <dd>{source.issue}</dd>
          </>
        )}
        <dt>Published</dt>
        <dd>
          {source.publishedOn ?? 'unknown'}
          {source.publishedPrecision && source.publishedOn
            ? ` (precision: ${source.publishedPrecision})`
            : ''}
          {source.publishedNote && <span className="meta"> — {source.publishedNote}</span>}
        </dd>
        <dt>URL</dt>
        <dd>{source.url ? <a href={source.url}>{source.url}</a> : 'not known'}</dd>
        {source.license && (
          <>
            <dt>License</dt>
            <dd>{source.license}</dd>
          </>
        )}
        {source.usageNote && (
          <>
            <dt>Note</dt>
            <dd>{source.usageNote}</dd>
          </>
        )}
      </dl>

      {editor && <ReviewSection sourceId={source.id} />}

      <h2>Quotes, in reading order</h2>
      <p className="meta">
        <Link href={`/sources/${source.id}/claims/new`}>Record a claim from this document</Link>
      </p>
      {source.quotes.length === 0 && <p className="meta">No quotes are stored for this source.</p>}
      <ol className="sources">
        {source.quotes.map((q) => (
          <li key={q.id} id={`quote-${q.id}`} className="source-item">
            <blockquote>{q.text}</blockquote>
            <p className="meta">
              Characters {q.startOffset}–{q.endOffset}.{q.speaker && <> Said by {q.speaker}.</>}
              {q.attribution && <> Attribution: {q.attribution}.</>}
              {q.citedOutlet && <> Cited outlet: {q.citedOutlet}.</>}
            </p>
            <p className="meta">
              Charted in:{' '}
              {q.indicators.map((i, n) => (
                <span key={i.slug}>
                  {n > 0 && ', '}
                  <Link href={`/indicators/${i.slug}`}>{i.title}</Link>
                </span>
              ))}
            </p>
          </li>
        ))}
      </ol>

      <h2>Series from this source</h2>
      <ul data-testid="source-series">
        {source.series.map((g) => (
          <li key={g.indicator.slug}>
            <Link href={`/indicators/${g.indicator.slug}`}>{g.indicator.title}</Link>:{' '}
            {g.listed.map((s) => `${s.label} (${KIND_LABELS[s.kind].toLowerCase()})`).join('; ')}
            {g.count > g.listed.length && (
              <span className="meta">
                {' '}
                and {(g.count - g.listed.length).toLocaleString('en-US')} more series
              </span>
            )}
          </li>
        ))}
      </ul>
      <RecipesSection recipes={recipes} editor={editor} />
    </>
  );
}
