// The origin a page was requested at (behind a proxy, the one the browser used), for
// absolute links: share and embed links, citations, Open Graph images.
import 'server-only';
import { headers } from 'next/headers';

export async function requestOrigin(): Promise<string> {
  const h = await headers();
  const host = h.get('x-forwarded-host') ?? h.get('host') ?? 'localhost:3000';
  const proto = h.get('x-forwarded-proto')?.split(',')[0]?.trim() ?? 'http';
  return `${proto === 'https' ? 'https' : 'http'}://${host.split(',')[0]!.trim()}`;
}
