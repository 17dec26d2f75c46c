'use server';

import { revalidatePath } from 'next/cache';
import { redirect } from 'next/navigation';
import { requireEditorInAction } from '@/lib/auth';
import { claimPaths } from '@/lib/claim-routes';
import { claimInputSchema } from '@/lib/claim-schemas';
import { getWriter } from '@/lib/db';
import { createClaim } from '@/lib/document-writes';
import { formWrite, type FormState } from '@/lib/form-writes';

const str = (form: FormData, name: string) => {
  const v = form.get(name);
  return typeof v === 'string' ? v : undefined;
};

/** Records the selected sentence's figure, then shows it on /claims, scored. */
export async function recordClaim(_previous: FormState, form: FormData): Promise<FormState> {
  await requireEditorInAction();
  const start = str(form, 'quoteStart');
  const value = str(form, 'value')?.trim().replace(/,/g, '') ?? '';
  const result = formWrite(
    form,
    claimInputSchema,
    {
      source: str(form, 'source'),
      quote: { text: str(form, 'quote') ?? '', startOffset: start ? Number(start) : undefined },
      speaker: str(form, 'speaker'),
      citedOutlet: str(form, 'citedOutlet'),
      attribution: str(form, 'attribution'),
      indicator: str(form, 'indicator') ?? '',
      entity: str(form, 'entity') ?? '',
      entityName: str(form, 'entityName'),
      kind: str(form, 'kind'),
      period: str(form, 'period') ?? '',
      value: value === '' ? undefined : Number(value),
      unit: str(form, 'unit'),
      label: str(form, 'label'),
      note: str(form, 'note'),
    },
    (input) => createClaim(getWriter(), input),
  );
  if (!result.ok) return result.state;
  for (const p of claimPaths(result.value.indicator)) revalidatePath(p);
  redirect(`/claims#claim-observation-${result.value.observationId}`);
}
