'use server';

import { revalidatePath } from 'next/cache';
import { redirect } from 'next/navigation';
import { editorActionAuth } from '@/lib/web/auth';
import { claimPaths, runClaimWrite } from '@/lib/claims/routes';
import { claimInputSchema } from '@/lib/claims/schemas';
import type { CreatedClaim } from '@/lib/documents/writes';
import { formText, formWrite, type FormState } from '@/lib/api/form-writes';

/** Records the selected sentence's figure, then shows it on /claims, scored. */
export async function recordClaim(_previous: FormState, form: FormData): Promise<FormState> {
  const auth = await editorActionAuth();
  if (!auth.ok) return { errors: [], error: auth.message };
  const start = formText(form, 'quoteStart');
  const value = formText(form, 'value')?.trim().replace(/,/g, '') ?? '';
  const result = await formWrite(
    form,
    claimInputSchema,
    {
      source: formText(form, 'source'),
      quote: {
        text: formText(form, 'quote') ?? '',
        startOffset: start ? Number(start) : undefined,
      },
      speaker: formText(form, 'speaker'),
      citedOutlet: formText(form, 'citedOutlet'),
      attribution: formText(form, 'attribution'),
      indicator: formText(form, 'indicator') ?? '',
      entity: formText(form, 'entity') ?? '',
      entityName: formText(form, 'entityName'),
      kind: formText(form, 'kind'),
      period: formText(form, 'period') ?? '',
      value: value === '' ? undefined : Number(value),
      unit: formText(form, 'unit'),
      label: formText(form, 'label'),
      note: formText(form, 'note'),
    },
    (input) => runClaimWrite<CreatedClaim>({ type: 'claim', input }),
  );
  if (!result.ok) return result.state;
  for (const p of claimPaths(result.value.indicator)) revalidatePath(p);
  redirect(`/claims#claim-observation-${result.value.observationId}`);
}
