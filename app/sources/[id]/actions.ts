'use server';

import { revalidatePath } from 'next/cache';
import { editorActionAuth } from '@/lib/web/auth';
import { claimPaths } from '@/lib/claims/routes';
import { writeClaimForm } from '@/lib/claims/form';
import type { FormState } from '@/lib/api/form-writes';

export type AcceptResult =
  | { ok: true; observationId: number; created: boolean; indicator: string }
  | { ok: false; state: FormState };

/** Accepts a proposed claim: its fields, as edited, recorded exactly as the claim form records them. */
export async function acceptProposal(form: FormData): Promise<AcceptResult> {
  const auth = await editorActionAuth();
  if (!auth.ok) return { ok: false, state: { errors: [], error: auth.message } };
  const result = await writeClaimForm(form);
  if (!result.ok) return result;
  const c = result.value;
  for (const p of claimPaths(c.indicator)) revalidatePath(p);
  revalidatePath(`/sources/${form.get('source')}`);
  return { ok: true, observationId: c.observationId, created: c.created, indicator: c.indicator };
}
