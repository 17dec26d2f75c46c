'use server';

import { redirect } from 'next/navigation';
import { z } from 'zod';
import { revalidateAfterWrite } from '@/lib/api/routes';
import { editorActionAuth } from '@/lib/web/auth';
import { getSeries } from '@/lib/read/catalog';
import { idSchema } from '@/lib/domain/ids';
import { write } from '@/lib/write/write-queue';

const archiveSchema = z.object({
  seriesId: idSchema,
  undo: z.enum(['0', '1']),
});

/**
 * Archives (hides) a series, or restores it with undo=1. Nothing is deleted. A form
 * posted without a session goes to the login page, which comes back here; one that
 * names no series, or comes from another site, changes nothing.
 */
export async function archiveSeriesAction(form: FormData): Promise<void> {
  const parsed = archiveSchema.safeParse({
    seriesId: form.get('seriesId'),
    undo: form.get('undo') ?? '0',
  });
  const series = parsed.success ? await getSeries(parsed.data.seriesId) : null;
  const page = series ? `/indicators/${series.indicator.slug}` : '/';
  const auth = await editorActionAuth();
  if (!auth.ok) {
    if (auth.reason === 'login') redirect(`/login?next=${encodeURIComponent(page)}`);
    return;
  }
  if (!parsed.success || !series) return;
  await write({ type: 'archive', seriesId: series.id, archived: parsed.data.undo === '0' });
  revalidateAfterWrite(series.indicator.slug);
}
