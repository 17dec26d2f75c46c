import { listIndicators } from '@/lib/data';

export async function GET() {
  const indicators = await listIndicators();
  return Response.json({
    indicators: indicators.map(({ series, ...indicator }) => ({
      ...indicator,
      url: `/api/indicators/${indicator.slug}`,
      series: series.map(({ observations, quotes: _quotes, color: _color, ...s }) => ({
        ...s,
        observationCount: observations.length,
      })),
    })),
  });
}
