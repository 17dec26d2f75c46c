// A small server-drawn SVG for the overview cards: no script, so the overview stays
// light and readable before (or without) JavaScript. The markup is drawn once per data
// version (lib/overview.ts, lib/chart/static-chart.ts) and written as it is, not
// rebuilt as React elements on every request.
export function MiniChart({ svg }: { svg: string }) {
  return <div className="mini-chart-box" dangerouslySetInnerHTML={{ __html: svg }} />;
}
