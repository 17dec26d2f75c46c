// Server actions of the document, claim and derivation forms share this: a refused write
// becomes field errors shown beside the form, a busy database a message to retry.
import 'server-only';
import type { z } from 'zod';
import { fieldErrors, type FieldError } from '../schemas';
import { formFailure } from './errors';

export type FormState = {
  errors: FieldError[];
  error: string | null;
  values?: Record<string, string>;
};

export const EMPTY_FORM_STATE: FormState = { errors: [], error: null };

/** A text field of a form; a file or a missing field is undefined. */
export function formText(form: FormData, name: string): string | undefined {
  const v = form.get(name);
  return typeof v === 'string' ? v : undefined;
}

/** The text fields of a form, to refill it after a refusal. */
export function formValues(form: FormData): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of form.entries()) if (typeof v === 'string') out[k] = v;
  return out;
}

export async function formWrite<S extends z.ZodType, T>(
  form: FormData,
  schema: S,
  candidate: unknown,
  write: (input: z.infer<S>) => Promise<T>,
): Promise<{ ok: true; value: T } | { ok: false; state: FormState }> {
  const values = formValues(form);
  const parsed = schema.safeParse(candidate);
  if (!parsed.success)
    return { ok: false, state: { errors: fieldErrors(parsed.error), error: null, values } };
  try {
    return { ok: true, value: await write(parsed.data) };
  } catch (error) {
    // Refusals as field errors, a busy database or a full disk as one message (lib/api/errors.ts).
    return { ok: false, state: { ...formFailure(error), values } };
  }
}
