import { indicatorChartSvg } from '@/lib/export/responses';

export async function GET(request: Request, { params }: { params: Promise<{ slug: string }> }) {
  return indicatorChartSvg(request, (await params).slug);
}
