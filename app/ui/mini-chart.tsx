// An overview card's sketch: a server-drawn SVG image (lib/chart/static-chart.ts), so
// the overview stays light and readable before (or without) JavaScript, and a card
// costs the page one <img>, not its paths twice over (in the HTML and in the React
// payload). The browser fetches the sketches of the cards in view and revalidates
// them by their ETag.
import './chart.css';
export function MiniChart({ slug, asOf, alt }: { slug: string; asOf: string | null; alt: string }) {
  const query = asOf ? `?asOf=${asOf}` : '';
  return (
    // eslint-disable-next-line @next/next/no-img-element -- an SVG drawn at its size: nothing for next/image to do
    <img
      className="mini-chart"
      src={`/indicators/${slug}/sketch.svg${query}`}
      alt={alt}
      width={300}
      height={70}
      loading="lazy"
      decoding="async"
    />
  );
}
