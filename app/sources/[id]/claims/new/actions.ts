'use server';

import { revalidatePath } from 'next/cache';
import { redirect } from 'next/navigation';
import { editorActionAuth } from '@/lib/web/auth';
import { claimPaths } from '@/lib/claims/routes';
import { writeClaimForm } from '@/lib/claims/form';
import type { FormState } from '@/lib/api/form-writes';

/** Records the selected sentence's figure, then shows it on /claims, scored. */
export async function recordClaim(_previous: FormState, form: FormData): Promise<FormState> {
  const auth = await editorActionAuth();
  if (!auth.ok) return { errors: [], error: auth.message };
  const result = await writeClaimForm(form);
  if (!result.ok) return result.state;
  for (const p of claimPaths(result.value.indicator)) revalidatePath(p);
  redirect(`/claims#claim-observation-${result.value.observationId}`);
}
