// Markup written as text, for long runs of rows that never change once rendered (a data
// table's body). Each element React renders on the server is serialized into the page's
// payload, read back and rendered again to HTML; fifty rows of seven cells were a fifth of
// an indicator page's render. As text they are one string React passes through.
// Every value put in is escaped unless it is itself Markup, so a label or a note from an
// imported file can never become markup. Attributes must be quoted in the template.
import { escape } from 'html-escaper';

export class Markup {
  constructor(readonly text: string) {}
}

function textOf(value: unknown): string {
  if (value instanceof Markup) return value.text;
  if (Array.isArray(value)) return value.map(textOf).join('');
  if (value === null || value === undefined || value === false) return '';
  return escape(String(value));
}

/** A template of markup whose values are escaped (Markup, and arrays of it, are kept). */
export function markup(strings: TemplateStringsArray, ...values: unknown[]): Markup {
  let text = strings[0]!;
  for (let i = 0; i < values.length; i++) text += textOf(values[i]) + strings[i + 1]!;
  return new Markup(text);
}
