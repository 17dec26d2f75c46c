// The Open Graph image of a view (1200 × 630 PNG): title, unit, the chart as the server
// draws it, and the sources. Link previews of a shared URL show the chart of that view.
import { createHash } from 'node:crypto';
import { ImageResponse } from 'next/og';
import { chartScene, sceneToSvg } from '@/lib/chart/chart-scene';
import { viewSceneInput } from '@/lib/chart/static-chart';
import { LIGHT } from '@/lib/domain/chart-theme';
import { loadIndicatorView } from '@/lib/views/indicator';
import { notFoundResponse, viewFromUrl } from '@/lib/export/responses';
import { withFailures } from '@/lib/api/errors';

const WIDTH = 1200;
const HEIGHT = 630;
/** A 1,100-pixel chart needs no more points than this. */
const POINT_BUDGET = 1200;

export const GET = withFailures(async function GET(
  request: Request,
  { params }: { params: Promise<{ slug: string }> },
) {
  const { slug } = await params;
  const v = await loadIndicatorView(slug, viewFromUrl(new URL(request.url)), {
    compact: true,
    pointBudget: POINT_BUDGET,
  });
  if (!v) return notFoundResponse(slug);
  const svg = sceneToSvg(chartScene(viewSceneInput(v, { width: 1120, height: 410 })));
  const publishers = [
    ...new Set(v.selected.flatMap((s) => v.sources.get(s.sourceId)?.publisher ?? [])),
  ];
  const subtitle =
    v.transform.id === 'absolute'
      ? `${v.unit.long}`
      : `${v.transform.unit.long} (values in ${v.unit.long})`;
  // Revalidated on every use, like chart.svg: a preview fetched after a write shows it
  // (it was cached publicly for an hour); an unchanged image costs a 304.
  const etag = `"${createHash('sha1')
    .update(`${v.indicator.title}\u0000${subtitle}\u0000${publishers.join('\u0000')}\u0000${svg}`)
    .digest('base64url')}"`;
  const cacheHeaders = { 'Cache-Control': 'public, no-cache', ETag: etag };
  if (request.headers.get('if-none-match') === etag)
    return new Response(null, { status: 304, headers: cacheHeaders });
  return new ImageResponse(
    <div
      style={{
        display: 'flex',
        flexDirection: 'column',
        width: '100%',
        height: '100%',
        background: LIGHT.bg,
        color: LIGHT.fg,
        padding: '28px 40px',
      }}
    >
      <div style={{ fontSize: 44, fontWeight: 700, lineHeight: 1.1 }}>{v.indicator.title}</div>
      <div style={{ fontSize: 24, color: LIGHT.muted, marginTop: 6 }}>{subtitle}</div>
      {/* eslint-disable-next-line @next/next/no-img-element -- ImageResponse draws plain img */}
      <img
        alt=""
        width={1120}
        height={410}
        src={`data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`}
        style={{ marginTop: 12 }}
      />
      <div
        style={{ display: 'flex', fontSize: 20, color: LIGHT.muted, marginTop: 'auto' }}
      >{`Source: ${publishers.join('; ') || 'see the page'} · Sourced, every number carries its source`}</div>
    </div>,
    {
      width: WIDTH,
      height: HEIGHT,
      headers: cacheHeaders,
    },
  );
});
