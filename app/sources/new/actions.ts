'use server';

import { redirect } from 'next/navigation';
import { editorActionAuth } from '@/lib/web/auth';
import { documentInputSchema } from '@/lib/claims/schemas';
import { runClaimWrite } from '@/lib/claims/routes';
import type { createDocument } from '@/lib/documents/writes';
import { formText, formWrite, type FormState } from '@/lib/api/form-writes';

/** Stores the document, then goes on to recording its claims. */
export async function addDocument(_previous: FormState, form: FormData): Promise<FormState> {
  const auth = await editorActionAuth();
  if (!auth.ok) return { errors: [], error: auth.message };
  const result = await formWrite(
    form,
    documentInputSchema,
    {
      title: formText(form, 'title') ?? '',
      publisher: formText(form, 'publisher') ?? '',
      publishedAt: formText(form, 'publishedAt') ?? '',
      url: formText(form, 'url'),
      license: formText(form, 'license'),
      citation: formText(form, 'citation'),
      accessedAt: formText(form, 'accessedAt'),
      note: formText(form, 'note'),
      text: formText(form, 'text') ?? '',
    },
    (input) =>
      runClaimWrite<Awaited<ReturnType<typeof createDocument>>>({ type: 'document', input }),
  );
  if (!result.ok) return result.state;
  redirect(`/sources/${result.value.id}/claims/new`);
}
