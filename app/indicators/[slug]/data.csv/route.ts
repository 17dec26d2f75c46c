import { indicatorDownload } from '@/lib/export/responses';

export async function GET(request: Request, { params }: { params: Promise<{ slug: string }> }) {
  return indicatorDownload(request, (await params).slug, 'chart');
}
