'use client';

import { useActionState } from 'react';
import type { FormState } from '@/lib/api/form-writes';
import { errorFor, FieldErrors } from '../../ui/field-errors';
import { addDocument } from './actions';

const initial: FormState = { errors: [], error: null };

export function DocumentForm({ maxChars }: { maxChars: number }) {
  const [state, action, pending] = useActionState(addDocument, initial);
  const v = state.values ?? {};
  const field = (
    name: string,
    label: string,
    props: React.InputHTMLAttributes<HTMLInputElement> = {},
  ) => {
    const problem = errorFor(state.errors, name);
    return (
      <label className="field">
        {label}
        <input
          name={name}
          defaultValue={v[name] ?? ''}
          aria-invalid={problem ? true : undefined}
          {...props}
        />
        {problem && <span className="problem">{problem}</span>}
      </label>
    );
  };
  return (
    <form className="data-form" action={action}>
      <FieldErrors errors={state.errors} error={state.error} />
      <fieldset>
        <legend>The document</legend>
        <div className="field-grid">
          {field('title', 'Title (default: the file’s own title)')}
          {field('publisher', 'Publisher', { required: true })}
          {field('publishedAt', 'Published (YYYY, YYYY-MM or YYYY-MM-DD)', {
            required: true,
            placeholder: '2018-11-13',
          })}
          {field('url', 'URL', { type: 'url', placeholder: 'https://' })}
          {field('license', 'Licence or terms', { placeholder: 'CC BY 4.0' })}
          {field('accessedAt', 'Accessed (default: today)')}
        </div>
        {field('citation', 'Full citation (optional: one is built from the fields above)')}
      </fieldset>
      <fieldset>
        <legend>Its text</legend>
        {field('file', 'A file: .txt, .html, .pdf (with a text layer) or .docx, up to 1 MB here', {
          type: 'file',
          accept: '.txt,.text,.md,.html,.htm,.pdf,.docx,text/plain,text/html,application/pdf',
        })}
        <label className="field">
          Or the text, or the excerpt that makes the claims, exactly as published
          <textarea
            name="text"
            rows={12}
            maxLength={maxChars}
            defaultValue={v.text ?? ''}
            aria-invalid={errorFor(state.errors, 'text') ? true : undefined}
          />
          {errorFor(state.errors, 'text') && (
            <span className="problem">{errorFor(state.errors, 'text')}</span>
          )}
        </label>
        <p className="hint">
          Quotes are stored with their place in this text (in characters) and checked against it, so
          paste it unedited. A file is read into text (a web page’s article without its menus; a
          PDF’s text layer, so a scan without one is refused): that text is what is stored. Larger
          files (up to 20 MB) go through <code>POST /api/sources</code>. Store only what the
          document’s licence lets you store: an excerpt is enough.
        </p>
      </fieldset>
      <div className="actions">
        <button type="submit" className="button primary" disabled={pending}>
          Save the document and review its claims
        </button>
        {pending && <span role="status">Saving…</span>}
      </div>
    </form>
  );
}
