import { overviewSketchSvg } from '@/lib/export/responses';
import { withFailures } from '@/lib/api/errors';

export const GET = withFailures(async function GET(
  request: Request,
  { params }: { params: Promise<{ slug: string }> },
) {
  return overviewSketchSvg(request, (await params).slug);
});
