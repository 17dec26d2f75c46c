// The chart's controls are a plain GET form, rendered by the server; with JavaScript the
// view is read from the form's own fields, so the native controls keep their state and
// nothing but these few functions is needed to turn a change into a URL. Pure DOM, no React.
import { chartViewFromSearch, chartViewToSearch } from '@/lib/domain/chart-view';

type Fields = Pick<HTMLFormElement, 'elements'>;

/** A field of the form that holds a value (inputs, selects), not a button or a fieldset. */
type Field = HTMLInputElement | HTMLSelectElement;

function fields(form: Fields): Field[] {
  return [...form.elements].filter(
    (e): e is Field => e.tagName === 'INPUT' || e.tagName === 'SELECT',
  );
}

/** The form's values, as the browser would submit them (`new FormData(form)` in short). */
function formValues(form: Fields): URLSearchParams {
  const values = new URLSearchParams();
  for (const f of fields(form)) {
    if (!f.name || f.disabled) continue;
    if (f.tagName === 'SELECT') {
      for (const o of (f as HTMLSelectElement).options)
        if (o.selected) values.append(f.name, o.value);
      continue;
    }
    const input = f as HTMLInputElement;
    if ((input.type === 'checkbox' || input.type === 'radio') && !input.checked) continue;
    if (input.type === 'submit' || input.type === 'button') continue;
    values.append(input.name, input.value);
  }
  return values;
}

/** A time range thumb at its end of the track means "no limit": the URL leaves it out. */
function dropRangeEnds(form: Fields, values: URLSearchParams) {
  for (const f of fields(form)) {
    if (f.tagName !== 'INPUT' || (f as HTMLInputElement).type !== 'range') continue;
    const input = f as HTMLInputElement;
    if (input.name === 'from' && input.value === input.min) values.delete('from');
    if (input.name === 'to' && input.value === input.max) values.delete('to');
  }
}

/**
 * The query string of the view the form shows, as the page's URL writes it (defaults left
 * out). `withFind` keeps the search typed into "Find a series", which only a submit sends.
 */
export function formQuery(form: Fields, defaults: number[], withFind = false): string {
  const values = formValues(form);
  dropRangeEnds(form, values);
  const query = chartViewToSearch(chartViewFromSearch(values), defaults);
  const find = withFind ? values.get('find')?.trim() : '';
  if (!find) return query;
  return query ? `${query}&${new URLSearchParams({ find })}` : `${new URLSearchParams({ find })}`;
}

/** Whether the reader changed a control since the server rendered it (before any script ran). */
export function changedSinceRendered(form: Fields): boolean {
  return fields(form).some((f) => {
    if (f.tagName === 'SELECT')
      return [...(f as HTMLSelectElement).options].some((o) => o.selected !== o.defaultSelected);
    const input = f as HTMLInputElement;
    if (input.name === 'find' || input.type === 'hidden') return false;
    if (input.type === 'checkbox' || input.type === 'radio')
      return input.checked !== input.defaultChecked;
    return input.value !== input.defaultValue;
  });
}

/**
 * Puts every control back to what the server rendered for the view in the URL: after a
 * preset, a picked series or going back, the controls show the view on screen. The field
 * the reader is typing in is left alone.
 */
export function showRendered(form: Fields, focused: Element | null) {
  for (const f of fields(form)) {
    if (f === focused && f.tagName === 'INPUT' && (f as HTMLInputElement).type === 'search')
      continue;
    if (f.tagName === 'SELECT') {
      for (const o of (f as HTMLSelectElement).options) o.selected = o.defaultSelected;
      continue;
    }
    const input = f as HTMLInputElement;
    if (input.type === 'checkbox' || input.type === 'radio') input.checked = input.defaultChecked;
    else if (input.type !== 'hidden') input.value = input.defaultValue;
  }
}
