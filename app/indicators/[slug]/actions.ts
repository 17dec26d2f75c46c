'use server';

import { z } from 'zod';
import { revalidateAfterWrite } from '@/lib/api';
import { requireEditorInAction } from '@/lib/auth';
import { getSeries } from '@/lib/data';
import { write } from '@/lib/write/write-queue';

const archiveSchema = z.object({
  seriesId: z.coerce.number().int().positive(),
  undo: z.enum(['0', '1']),
});

/** Archives (hides) a series, or restores it with undo=1. Nothing is deleted. */
export async function archiveSeriesAction(form: FormData): Promise<void> {
  await requireEditorInAction();
  const { seriesId, undo } = archiveSchema.parse({
    seriesId: form.get('seriesId'),
    undo: form.get('undo') ?? '0',
  });
  const series = await getSeries(seriesId);
  if (!series) throw new Error(`No series with id ${seriesId}`);
  await write({ type: 'archive', seriesId, archived: undo === '0' });
  revalidateAfterWrite(series.indicator.slug);
}
