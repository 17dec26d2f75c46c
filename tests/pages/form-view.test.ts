// The indicator page's controls read as a view (app/indicators/[slug]/form-view.ts): the
// server's GET form, its fields as the browser holds them, turned into the page's query
// string; whether the reader changed a field before any script ran; and the fields put
// back to what the server rendered.
import { describe, expect, it } from 'vitest';
import { changedSinceRendered, formQuery, showRendered } from '@/app/indicators/[slug]/form-view';

type Fake = Record<string, unknown> & { tagName: string; name: string };

const box = (name: string, value: string, checked: boolean, type = 'checkbox'): Fake => ({
  tagName: 'INPUT',
  type,
  name,
  value,
  checked,
  defaultChecked: checked,
  defaultValue: value,
  disabled: false,
});
const text = (name: string, value: string, type = 'text', extra = {}): Fake => ({
  tagName: 'INPUT',
  type,
  name,
  value,
  defaultValue: value,
  checked: false,
  defaultChecked: false,
  disabled: false,
  ...extra,
});
const select = (name: string, values: string[], chosen: string): Fake => ({
  tagName: 'SELECT',
  name,
  disabled: false,
  options: values.map((v) => ({ value: v, selected: v === chosen, defaultSelected: v === chosen })),
});

/** The form the server renders for the default view of an indicator with series 3, 5 and 8. */
function form() {
  const fields = {
    absolute: box('transform', 'absolute', true, 'radio'),
    relative: box('transform', 'relative', false, 'radio'),
    none: text('series', '', 'hidden'),
    s3: box('series', '3', true),
    s5: box('series', '5', true),
    s8: box('series', '8', false),
    linear: box('scale', 'linear', true, 'radio'),
    log: box('scale', 'log', false, 'radio'),
    unit: select('unit', ['', 'kg'], ''),
    find: text('find', '', 'search'),
    from: text('from', '1990', 'range', { min: '1990', max: '2020' }),
    to: text('to', '2020', 'range', { min: '1990', max: '2020' }),
    apply: text('', 'Apply', 'submit'),
  };
  const elements = Object.values(fields) as unknown as HTMLFormControlsCollection;
  return { fields, form: { elements } as Pick<HTMLFormElement, 'elements'> };
}

const DEFAULTS = [3, 5];

describe('the controls’ form as a view', () => {
  it('is the plain URL while the fields show the default view', () => {
    const { form: f } = form();
    expect(formQuery(f, DEFAULTS)).toBe('');
    expect(changedSinceRendered(f)).toBe(false);
  });

  it('writes each changed field as the page’s URL writes it', () => {
    const { form: f, fields } = form();
    fields.s8.checked = true;
    fields.relative.checked = true;
    fields.absolute.checked = false;
    fields.log.checked = true;
    fields.linear.checked = false;
    (fields.unit.options as { selected: boolean }[])[1]!.selected = true;
    (fields.unit.options as { selected: boolean }[])[0]!.selected = false;
    fields.from.value = '2000';
    expect(new URLSearchParams(formQuery(f, DEFAULTS))).toEqual(
      new URLSearchParams({
        series: '3,5,8',
        scale: 'log',
        from: '2000',
        unit: 'kg',
        transform: 'relative',
      }),
    );
    expect(changedSinceRendered(f)).toBe(true);
  });

  it('names an empty selection, and leaves out a thumb at its end of the track', () => {
    const { form: f, fields } = form();
    fields.s3.checked = false;
    fields.s5.checked = false;
    fields.to.value = '2010';
    expect(formQuery(f, DEFAULTS)).toBe('series=&to=2010');
  });

  it('sends the search typed into "Find a series" only when asked (a submit)', () => {
    const { form: f, fields } = form();
    fields.find.value = '  zamb ';
    expect(formQuery(f, DEFAULTS)).toBe('');
    expect(formQuery(f, DEFAULTS, true)).toBe('find=zamb');
    fields.log.checked = true;
    fields.linear.checked = false;
    expect(formQuery(f, DEFAULTS, true)).toBe('scale=log&find=zamb');
    // Typing a search is not a change of view.
    fields.log.checked = false;
    fields.linear.checked = true;
    expect(changedSinceRendered(f)).toBe(false);
  });

  it('puts the fields back to what the server rendered, but not the box being typed in', () => {
    const { form: f, fields } = form();
    fields.s3.checked = false;
    fields.from.value = '2001';
    fields.find.value = 'zam';
    fields.none.value = 'kept';
    showRendered(f, fields.find as unknown as Element);
    expect(fields.s3.checked).toBe(true);
    expect(fields.from.value).toBe('1990');
    expect(fields.find.value).toBe('zam');
    expect(fields.none.value).toBe('kept');
    showRendered(f, null);
    expect(fields.find.value).toBe('');
    expect(changedSinceRendered(f)).toBe(false);
  });
});
