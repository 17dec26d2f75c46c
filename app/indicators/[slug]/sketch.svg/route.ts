import { overviewSketchSvg } from '@/lib/export/responses';

export async function GET(request: Request, { params }: { params: Promise<{ slug: string }> }) {
  return overviewSketchSvg(request, (await params).slug);
}
