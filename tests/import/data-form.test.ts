import { describe, expect, it } from 'vitest';
import { FILE_NEEDS_SCRIPT, readDataForm } from '@/lib/import/data-form';
import { ChunkQueue, readUpload } from '@/lib/write/upload';

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

  it('refuses a file sent to it (a browser without JavaScript) without reading it', async () => {
    const f = form({ ...base, mode: 'file' });
    // Not a CSV at all: the refusal does not depend on reading it.
    f.set('file', new Blob([new Uint8Array([0, 1, 2])]), 'x.csv');
    expect(await readDataForm(f)).toEqual({ ok: false, errors: [FILE_NEEDS_SCRIPT] });
  });
});

/**
 * The form with its file as the page's script sends it (fields, then the file), read as the
 * write worker reads it from /api/imports/form.
 */
async function readForm(f: FormData) {
  const response = new Response(f);
  const queue = new ChunkQueue();
  queue.push(new Uint8Array(await response.arrayBuffer()));
  queue.end();
  const read = await readUpload(
    queue,
    response.headers.get('content-type')!,
    0,
    undefined,
    undefined,
    'form',
  );
  if (!read.ok) return { ok: false as const, errors: read.errors ?? [] };
  return { ok: true as const, meta: read.meta, values: read.imports.items[0]!.input };
}

describe('the mapping step in the form, read on the write worker', () => {
  const fileForm = (mapping: string) => {
    const f = form({ ...base, mode: 'file', mapping });
    f.append(
      'file',
      new Blob(['Land;Jahr;Wert\nDeutschland;2020;1,5\n'], { type: 'text/csv' }),
      'wert.csv',
    );
    return f;
  };

  it('reads the mapping sent as JSON, with the same schema as the API', async () => {
    const r = await readForm(fileForm('{"entity":"Land","period":"Jahr","values":["Wert"]}'));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.meta.mapping).toEqual({ entity: 'Land', period: 'Jahr', values: ['Wert'] });
    expect([...r.values.values].map((v) => [v.entityCode, v.period, v.value])).toEqual([
      ['DEU', '2020', 1.5],
    ]);
  });

  it('names a mapping field the schema refuses', async () => {
    const r = await readForm(fileForm('{"decimal":";"}'));
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
    const withFile = (fields: FormData) => {
      const sent = new FormData();
      for (const [k, v] of fields) if (k !== 'file') sent.append(k, v);
      sent.append('file', file, 'share.csv');
      return sent;
    };
    const r = await readForm(withFile(f));
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    expect(r.meta).toMatchObject({
      format: 'columns',
      valueColumn: 'Value',
      period: '2006',
      saveRecipe: 'share as of 2006',
    });
    // A field the form sets overrides the recipe's.
    f.set('filePeriod', '2007');
    const again = await readForm(withFile(f));
    expect(again.ok && again.meta.period).toBe('2007');
    expect(r.meta.vintage).toBeUndefined();
    f.set('vintage', 'separate');
    const apart = await readForm(withFile(f));
    expect(apart.ok && apart.meta.vintage).toBe('separate');
  });
});
