'use server';

import { redirect } from 'next/navigation';
import { editorActionAuth } from '@/lib/web/auth';
import { documentInputSchema, MAX_DOCUMENT_CHARS } from '@/lib/claims/schemas';
import { runClaimWrite } from '@/lib/claims/routes';
import type { createDocument } from '@/lib/documents/writes';
import { parseDocument } from '@/lib/documents/parse';
import { formText, formValues, formWrite, type FormState } from '@/lib/api/form-writes';

/** The uploaded file's text and title, or the field error that says why it cannot be read. */
async function uploadedText(form: FormData) {
  const file = form.get('file');
  if (!(file instanceof File) || file.size === 0)
    return { ok: true as const, text: null, title: null };
  const parsed = await parseDocument(
    { name: file.name, type: file.type, bytes: new Uint8Array(await file.arrayBuffer()) },
    { maxChars: MAX_DOCUMENT_CHARS },
  );
  if (!parsed.ok) return parsed;
  return { ok: true as const, text: parsed.text, title: parsed.title };
}

/** Stores the document (its pasted text, or the text of the uploaded file), then shows its proposed claims. */
export async function addDocument(_previous: FormState, form: FormData): Promise<FormState> {
  const auth = await editorActionAuth();
  if (!auth.ok) return { errors: [], error: auth.message };
  const upload = await uploadedText(form);
  if (!upload.ok)
    return {
      errors: [{ path: 'file', message: upload.error }],
      error: null,
      values: formValues(form),
    };
  const pasted = formText(form, 'text') ?? '';
  if (upload.text !== null && pasted.trim())
    return {
      errors: [{ path: 'file', message: 'give the text or a file, not both' }],
      error: null,
      values: formValues(form),
    };
  const result = await formWrite(
    form,
    documentInputSchema,
    {
      title: formText(form, 'title')?.trim() || upload.title || '',
      publisher: formText(form, 'publisher') ?? '',
      publishedAt: formText(form, 'publishedAt') ?? '',
      url: formText(form, 'url'),
      license: formText(form, 'license'),
      citation: formText(form, 'citation'),
      accessedAt: formText(form, 'accessedAt'),
      note: formText(form, 'note'),
      text: upload.text ?? pasted,
    },
    (input) =>
      runClaimWrite<Awaited<ReturnType<typeof createDocument>>>({ type: 'document', input }),
  );
  if (!result.ok) return result.state;
  redirect(`/sources/${result.value.id}#review`);
}
