'use client';

// The chart as PNG or SVG, framed with its title, unit, legend, sources and URL
// (chart-image.ts). The image is the interactive chart's drawing, which a click loads
// when the reader has not used the chart yet; the framing code loads with the click too.
import { useState } from 'react';
import type { ImageFrame } from './chart-image';

export function ImageDownloads(props: {
  slug: string;
  /** The file name's view part, as the server names the CSV (range, transform). */
  fileSuffix: string;
  /** Everything but the URL, which is read when the image is made. */
  frame: Omit<ImageFrame, 'url'>;
}) {
  const [problem, setProblem] = useState<string | null>(null);
  async function image(format: 'svg' | 'png') {
    setProblem(null);
    const { saveChartImage } = await import('./chart-image');
    const failed = await saveChartImage(format, {
      name: `${props.slug}_chart${props.fileSuffix}.${format}`,
      frame: { ...props.frame, url: window.location.href },
    });
    if (failed) setProblem(failed);
  }
  return (
    <>
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
      {problem && (
        <p className="notice" role="alert">
          {problem}
        </p>
      )}
    </>
  );
}
