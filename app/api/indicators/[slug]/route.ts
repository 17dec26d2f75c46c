import { getIndicator } from '@/lib/data';

export async function GET(_request: Request, { params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const indicator = await getIndicator(slug);
  if (!indicator) {
    return Response.json({ error: `No indicator with slug "${slug}"` }, { status: 404 });
  }
  const { series, ...fields } = indicator;
  return Response.json({
    indicator: {
      ...fields,
      series: series.map(({ color: _color, ...s }) => s),
    },
  });
}
