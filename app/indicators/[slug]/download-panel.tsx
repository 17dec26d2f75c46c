// Downloads of the view on screen: the chart's CSV (same view, same transform), the
// full CSV, the metadata, the ZIP (links the server writes for the view it rendered),
// and the chart as SVG or PNG (image-downloads.tsx, whose code loads when clicked).
import type { ImageFrame } from './chart-image';
import { ImageDownloads } from './image-downloads';

export function DownloadPanel(props: {
  slug: string;
  query: string;
  /** The file name's view part, as the server names the CSV (range, transform). */
  fileSuffix: string;
  /** Everything but the URL, which is read when the image is made. */
  frame: Omit<ImageFrame, 'url'>;
}) {
  const { slug, query, fileSuffix, frame } = props;
  const q = query ? `?${query}` : '';
  const base = `/indicators/${slug}`;
  return (
    <div className="download-panel" role="group" aria-labelledby="download-heading">
      <h3 id="download-heading">Download</h3>
      <a
        className="button primary"
        href={`${base}/data.csv${q}`}
        download
        data-testid="download-csv"
      >
        Download CSV
      </a>
      <ImageDownloads slug={slug} fileSuffix={fileSuffix} frame={frame} />
      <a className="button" href={`${base}/data-full.csv`} download>
        Full CSV with provenance
      </a>
      <a className="button" href={`${base}/metadata.json${q}`} download>
        Metadata (JSON)
      </a>
      <a className="button" href={`${base}/data.zip${q}`} download>
        ZIP (all)
      </a>
      <p className="hint">
        The CSV is what the chart shows; UTF-8 with a byte-order mark for Excel (add{' '}
        <code>?bom=0</code> to the link to leave it out).
      </p>
    </div>
  );
}
