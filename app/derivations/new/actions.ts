'use server';

import { revalidatePath } from 'next/cache';
import { redirect } from 'next/navigation';
import { editorActionAuth } from '@/lib/web/auth';
import { claimPaths, runClaimWrite } from '@/lib/claims/routes';
import { derivationInputSchema } from '@/lib/claims/schemas';
import type { createDerivation } from '@/lib/derivations/writes';
import { formText, formWrite, type FormState } from '@/lib/api/form-writes';

const str = (form: FormData, name: string) => formText(form, name)?.trim() || undefined;

const operand = (form: FormData, prefix: string) => {
  const indicator = str(form, `${prefix}Indicator`);
  const entity = str(form, `${prefix}Entity`);
  return indicator || entity ? { indicator: indicator ?? '', entity: entity ?? '' } : undefined;
};

/** Defines the derivation, then shows the claims it scores. */
export async function defineDerivation(_previous: FormState, form: FormData): Promise<FormState> {
  const auth = await editorActionAuth();
  if (!auth.ok) return { errors: [], error: auth.message };
  const formula = str(form, 'formula');
  const [targetIndicator, targetEntity] = (str(form, 'target') ?? '').split(':');
  const result = await formWrite(
    form,
    derivationInputSchema,
    {
      title: str(form, 'title') ?? '',
      slug: str(form, 'slug'),
      formula,
      a: operand(form, 'a'),
      // A one-operand formula ignores b, whatever the form still holds.
      b: formula === 'change' ? undefined : operand(form, 'b'),
      target:
        targetIndicator && targetEntity
          ? { indicator: targetIndicator, entity: targetEntity }
          : undefined,
      proxy: form.get('proxy') === 'on',
      note: str(form, 'note'),
    },
    (input) =>
      runClaimWrite<Awaited<ReturnType<typeof createDerivation>>>({ type: 'derivation', input }),
  );
  if (!result.ok) return result.state;
  for (const p of claimPaths(...result.value.affects)) revalidatePath(p);
  redirect(`/claims?derivation=${encodeURIComponent(result.value.slug)}`);
}
