import { describe, expect, it } from 'vitest';
import { readDataForm } from '@/lib/import/data-form';

function form(fields: Record<string, string | string[]>) {
  const f = new FormData();
  for (const [k, v] of Object.entries(fields))
    for (const x of Array.isArray(v) ? v : [v]) f.append(k, x);
  return f;
}

const base = {
  indicatorMode: 'existing',
  indicator: 'oil-import-share',
  kind: 'observed',
  unit: '%',
  entity: 'chn',
  sourceTitle: 'Statistical Review',
  sourceProducer: 'Energy Institute',
  sourceUrl: 'https://www.energyinst.org/statistical-review',
  mode: 'grid',
};

describe('the Add data form', () => {
  it('reads typed rows, skipping empty ones, with the entity upper-cased', async () => {
    const r = await readDataForm(
      form({
        ...base,
        gridPeriod: ['2010', '', '2020'],
        gridValue: ['55.2', '', '72'],
        gridNote: ['', '', 'estimate'],
      }),
    );
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.meta.entity).toBe('CHN');
    expect([...r.values.values].map((v) => [v.row, v.period, v.value, v.note])).toEqual([
      [1, '2010', 55.2, undefined],
      [3, '2020', 72, 'estimate'],
    ]);
  });

  it('names the row and column of a bad typed value', async () => {
    const r = await readDataForm(
      form({ ...base, gridPeriod: ['2010', '2011'], gridValue: ['55', 'lots'] }),
    );
    expect(r).toEqual({
      ok: false,
      errors: [{ path: 'row 2.value', message: expect.stringContaining('"lots"') }],
    });
  });

  it('requires provenance: a title, a producer, and a URL or citation', async () => {
    const r = await readDataForm(
      form({ ...base, sourceTitle: '', sourceUrl: '', gridPeriod: '2010', gridValue: '1' }),
    );
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.map((e) => e.path).sort()).toEqual(['source.title', 'source.url']);
  });

  it('asks for a file in file mode', async () => {
    const r = await readDataForm(form({ ...base, mode: 'file' }));
    expect(r).toEqual({
      ok: false,
      errors: [{ path: 'file', message: 'choose a file (CSV or Excel)' }],
    });
  });
});

describe('the mapping step in the form', () => {
  const fileForm = (mapping: string) => {
    const f = form({ ...base, mode: 'file', mapping });
    f.set(
      'file',
      new Blob(['Land;Jahr;Wert\nDeutschland;2020;1,5\n'], { type: 'text/csv' }),
      'wert.csv',
    );
    return f;
  };

  it('reads the mapping sent as JSON, with the same schema as the API', async () => {
    const r = await readDataForm(fileForm('{"entity":"Land","period":"Jahr","values":["Wert"]}'));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.meta.mapping).toEqual({ entity: 'Land', period: 'Jahr', values: ['Wert'] });
    expect([...r.values.values].map((v) => [v.entityCode, v.period, v.value])).toEqual([
      ['DEU', '2020', 1.5],
    ]);
  });

  it('names a mapping field the schema refuses', async () => {
    const r = await readDataForm(fileForm('{"decimal":";"}'));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.map((e) => e.path)).toEqual(['mapping.decimal']);
  });

  it('takes a chosen recipe’s format, value column and period, and the recipe name to save', async () => {
    const file = new Blob(['Country,Value\nChina,55\n'], { type: 'text/csv' });
    const f = form({
      ...base,
      mode: 'file',
      saveRecipe: ' share as of 2006 ',
      recipeMeta: JSON.stringify({ format: 'columns', valueColumn: 'Value', period: '2006' }),
    });
    f.set('file', file, 'share.csv');
    const r = await readDataForm(f);
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    expect(r.meta).toMatchObject({
      format: 'columns',
      valueColumn: 'Value',
      period: '2006',
      saveRecipe: 'share as of 2006',
    });
    // A field the form sets overrides the recipe's.
    f.set('filePeriod', '2007');
    const again = await readDataForm(f);
    expect(again.ok && again.meta.period).toBe('2007');
    expect(r.meta.vintage).toBeUndefined();
    f.set('vintage', 'separate');
    const apart = await readDataForm(f);
    expect(apart.ok && apart.meta.vintage).toBe('separate');
  });
});
