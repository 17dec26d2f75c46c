// Share the view on screen: its link, and the code that embeds it in another page
// (the /embed route shows the chart, its legend and its sources, and may be framed).
// The server writes both for the view it rendered; only the copy buttons run script.
import { CopyButton } from '../../ui/copy-button';

export function SharePanel(props: { origin: string; slug: string; query: string; title: string }) {
  const { origin, slug, query, title } = props;
  const q = query ? `?${query}` : '';
  const link = `${origin}/indicators/${slug}${q}`;
  const embed = `<iframe src="${origin}/embed/indicators/${slug}${q}" title="${title.replace(/"/g, '&quot;')} (Sourced)" width="100%" height="520" style="border:0" loading="lazy"></iframe>`;
  return (
    <div className="share-panel" role="group" aria-labelledby="share-heading">
      <h3 id="share-heading">Share</h3>
      <div className="share-row">
        <label htmlFor="share-link">Link to this view</label>
        <input id="share-link" readOnly value={link} data-testid="share-link" />
        <CopyButton target="share-link" label="Copy link" />
      </div>
      <details className="share-embed">
        <summary>Embed this chart</summary>
        <label htmlFor="share-embed" className="meta">
          Paste this HTML into a page: the chart, its legend and its sources, with a link back.
        </label>
        <textarea id="share-embed" readOnly rows={3} value={embed} data-testid="embed-code" />
        <CopyButton target="share-embed" label="Copy embed code" />
      </details>
    </div>
  );
}
