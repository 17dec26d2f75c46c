'use client';

// Downloads of the view on screen: the chart's CSV (same view, same transform), the
// full CSV, the metadata, the ZIP, and the chart as SVG or PNG framed with its title,
// unit, legend, sources and URL (chart-image.ts), drawn by the interactive chart, which
// an image download loads when the reader has not used the chart yet.
import { useState } from 'react';
import { CHART_WANTED_EVENT } from './chart-area';
import type { ImageFrame } from './chart-image';

const CHART_SELECTOR = '.chart-area svg.recharts-surface';

/** The interactive chart's drawing, asked for and waited on (up to 20 s) when not there yet. */
async function drawnChart(): Promise<SVGSVGElement | null> {
  const now = document.querySelector<SVGSVGElement>(CHART_SELECTOR);
  if (now) return now;
  window.dispatchEvent(new Event(CHART_WANTED_EVENT));
  for (let waited = 0; waited < 20_000; waited += 100) {
    await new Promise((r) => setTimeout(r, 100));
    const chart = document.querySelector<SVGSVGElement>(CHART_SELECTOR);
    if (chart) return chart;
  }
  return null;
}

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
  const [problem, setProblem] = useState<string | null>(null);
  async function image(format: 'svg' | 'png') {
    setProblem(null);
    const chart = await drawnChart();
    if (!chart) return setProblem('The chart could not be drawn.');
    const { chartSvgDocument, downloadPng, downloadSvg } = await import('./chart-image');
    const full = { ...frame, url: window.location.href };
    const svg = chartSvgDocument(chart, full);
    const name = `${slug}_chart${fileSuffix}.${format}`;
    try {
      if (format === 'svg') downloadSvg(svg, name);
      else await downloadPng(svg, name, full);
    } catch (error) {
      setProblem((error as Error).message);
    }
  }
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
      <button
        type="button"
        className="button"
        onClick={() => image('png')}
        data-testid="download-png"
      >
        Chart as PNG
      </button>
      <button
        type="button"
        className="button"
        onClick={() => image('svg')}
        data-testid="download-svg"
      >
        Chart as SVG
      </button>
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
      {problem && (
        <p className="notice" role="alert">
          {problem}
        </p>
      )}
    </div>
  );
}
