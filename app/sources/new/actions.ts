'use server';

import { redirect } from 'next/navigation';
import { requireEditorInAction } from '@/lib/auth';
import { documentInputSchema } from '@/lib/claim-schemas';
import { getWriter } from '@/lib/db';
import { createDocument } from '@/lib/document-writes';
import { formWrite, type FormState } from '@/lib/form-writes';

const str = (form: FormData, name: string) => {
  const v = form.get(name);
  return typeof v === 'string' ? v : undefined;
};

/** Stores the document, then goes on to recording its claims. */
export async function addDocument(_previous: FormState, form: FormData): Promise<FormState> {
  await requireEditorInAction();
  const result = formWrite(
    form,
    documentInputSchema,
    {
      title: str(form, 'title') ?? '',
      publisher: str(form, 'publisher') ?? '',
      publishedAt: str(form, 'publishedAt') ?? '',
      url: str(form, 'url'),
      license: str(form, 'license'),
      citation: str(form, 'citation'),
      accessedAt: str(form, 'accessedAt'),
      note: str(form, 'note'),
      text: str(form, 'text') ?? '',
    },
    (input) => createDocument(getWriter(), input),
  );
  if (!result.ok) return result.state;
  redirect(`/sources/${result.value.id}/claims/new`);
}
