// The write API over HTTP against the production server: auth, each file format,
// each kind of bad input, revisions, archiving, and that a rejected write changes nothing.
import Database from 'better-sqlite3';
import { describe, expect, inject, it } from 'vitest';
import { densityRows, worldBankFile } from './support/files';

const baseUrl = inject('baseUrl');
const token = inject('editorToken');
const databaseFile = inject('databaseUrl').replace(/^file:/, '');
const auth = { Authorization: `Bearer ${token}` };

const source = {
  title: 'API test data',
  producer: 'Sourced tests',
  url: 'https://example.org/api-tests',
};

function importForm(file: string | Uint8Array, meta: Record<string, unknown>, name = 'data.csv') {
  const form = new FormData();
  form.set('file', new Blob([file as BlobPart], { type: 'text/csv' }), name);
  form.set('meta', JSON.stringify({ kind: 'observed', source, ...meta }));
  return form;
}

async function postImport(file: string | Uint8Array, meta: Record<string, unknown>, dryRun = true) {
  const res = await fetch(`${baseUrl}/api/imports${dryRun ? '?dryRun=1' : ''}`, {
    method: 'POST',
    headers: auth,
    body: importForm(file, meta),
  });
  return { status: res.status, body: await res.json() };
}

function observationCount(): number {
  const db = new Database(databaseFile, { readonly: true });
  try {
    return (db.prepare('SELECT COUNT(*) AS n FROM "Observation"').get() as { n: number }).n;
  } finally {
    db.close();
  }
}

const densityMeta = { indicator: 'population-density', unit: 'people per km²' };

describe('auth', () => {
  it('refuses a write without a token, with a wrong token, and says no more', async () => {
    const none = await fetch(`${baseUrl}/api/series`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '{}',
    });
    expect(none.status).toBe(401);
    const wrong = await fetch(`${baseUrl}/api/series`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: 'Bearer not-the-token-at-all' },
      body: '{}',
    });
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toEqual({ error: 'Unauthorized' });
  });

  it('refuses a cookie-authenticated request from another origin', async () => {
    const login = await fetch(`${baseUrl}/api/indicators`);
    expect(login.ok).toBe(true);
    const res = await fetch(`${baseUrl}/api/series/1/archive`, {
      method: 'POST',
      headers: { Cookie: 'sourced_editor=forged', Origin: 'https://evil.example' },
    });
    expect([401, 403]).toContain(res.status);
  });

  it('refuses an unsupported content type with 415', async () => {
    const res = await fetch(`${baseUrl}/api/series`, {
      method: 'POST',
      headers: { ...auth, 'Content-Type': 'text/plain' },
      body: 'x',
    });
    expect(res.status).toBe(415);
  });
});

describe('POST /api/imports: formats', () => {
  it('reads a World Bank download, and the same file without its preamble', async () => {
    const file = worldBankFile(densityRows());
    const full = await postImport(file, { ...densityMeta, entities: ['CHN', 'KAZ'] });
    expect(full.status).toBe(200);
    expect(full.body).toMatchObject({
      ok: true,
      format: 'worldbank',
      detected: 'worldbank',
      valuesRead: 128,
    });
    const bare = await postImport(file.replace(/^\ufeff(?:.*\r\n){4}/, ''), {
      ...densityMeta,
      entities: ['CHN'],
    });
    expect(bare.body).toMatchObject({ ok: true, format: 'worldbank', counts: { added: 64 } });
  });

  it('reads Our World in Data grapher CSV, with an empty Code for regions', async () => {
    const csv =
      'Entity,Code,Year,Population density\nChina,CHN,2022,151.3\nKazakhstan,KAZ,2022,7.2\nAsia,,2022,150.1\n';
    const r = await postImport(csv, { ...densityMeta, entities: ['CHN', 'KAZ'] });
    expect(r.body).toMatchObject({ ok: true, format: 'owid', counts: { added: 2 } });
  });

  it('reads FRED CSV with both date headers and "." for missing values', async () => {
    const csv = 'observation_date,CHNPOPDENS\n2020-01-01,150.2\n2021-01-01,.\n2022-01-01,151.3\n';
    const r = await postImport(csv, { ...densityMeta, entity: 'CHN' });
    expect(r.body).toMatchObject({ ok: true, format: 'fred', valuesRead: 2 });
    const old = await postImport('DATE,CHNPOPDENS\r\n2020-01-01,150.2\r\n', {
      ...densityMeta,
      entity: 'CHN',
    });
    expect(old.body).toMatchObject({ ok: true, format: 'fred', valuesRead: 1 });
  });

  it('reads tidy CSV with quoted notes, and lets the format be overridden', async () => {
    const csv =
      'entity,code,period,value,note\r\n"China","CHN",2021,151,"census, ""adjusted""\nline two"\r\n';
    const r = await postImport(csv, densityMeta);
    expect(r.body).toMatchObject({ ok: true, format: 'tidy', counts: { added: 1 } });
    const forced = await postImport(csv, { ...densityMeta, format: 'fred' });
    expect(forced.body.ok).toBe(false);
    expect(forced.body.format).toBe('fred');
  });
});

describe('POST /api/imports: bad input is named by row, column and reason', () => {
  const tidy = (rows: string) => `entity,period,value\n${rows}`;
  const cases: [string, string | Uint8Array, Record<string, unknown>, RegExp, number | null][] = [
    ['an empty file', '', densityMeta, /empty/, null],
    [
      // UTF-8 ("é" as C3 A9) with a broken byte: refused, not read as another encoding.
      'broken UTF-8',
      new Uint8Array([0x65, 0x6e, 0x74, 0xc3, 0xa9, 0xff, 0xfe, 0x0a]),
      densityMeta,
      /not valid UTF-8/,
      null,
    ],
    ['a ragged row', tidy('CHN,2020,1\nCHN,2021,2,extra\n'), densityMeta, /fields|columns/, 3],
    ['a non-numeric value', tidy('CHN,2020,abc\n'), densityMeta, /"abc" is not a number/, 2],
    ['a non-finite value', tidy('CHN,2020,Infinity\n'), densityMeta, /finite/, 2],
    ['a period out of range', tidy('CHN,3020,1\n'), densityMeta, /3020/, 2],
    ['the same period twice', tidy('CHN,2020,1\nCHN,2020,2\n'), densityMeta, /row 2/, 3],
    ['an unknown entity code', tidy('DEU,2020,1\n'), densityMeta, /unknown entity code "DEU"/, 2],
    [
      'a unit that does not convert',
      tidy('CHN,2020,1\n'),
      { ...densityMeta, unit: 'kb/d' },
      /cannot be converted/,
      null,
    ],
  ];
  for (const [what, file, meta, reason, row] of cases) {
    it(`rejects ${what} with 400 and writes nothing`, async () => {
      const before = observationCount();
      const r = await postImport(file, meta, false);
      expect(r.status).toBe(400);
      expect(r.body.ok).toBe(false);
      const error = r.body.errors.find((e: { reason: string }) => reason.test(e.reason));
      expect(error, JSON.stringify(r.body.errors)).toBeDefined();
      if (row !== null) expect(error.row).toBe(row);
      expect(observationCount()).toBe(before);
    });
  }

  it('offers to create an unknown entity and creates it when asked', async () => {
    const csv = 'entity,code,period,value\nGermany,DEU,2020,240\n';
    const offered = await postImport(csv, densityMeta);
    expect(offered.body.unknownEntities).toEqual([{ code: 'DEU', name: 'Germany', row: 2 }]);
    const created = await postImport(csv, { ...densityMeta, createEntities: true }, false);
    expect(created.status).toBe(201);
  });

  it('rejects a file over the row limit', async () => {
    const codes = ['CHN', 'KAZ', 'FRA', 'DEU', 'USA'];
    const rows = Array.from(
      { length: 5001 },
      (_, i) => `${codes[i % 5]},${1000 + Math.floor(i / 5)},1`,
    ).join('\n');
    const r = await postImport(tidy(rows), densityMeta);
    expect(r.body.errors.some((e: { reason: string }) => /rows|limit/i.test(e.reason))).toBe(true);
  });

  it('rejects a body over the size limit with 413', async () => {
    const r = await fetch(`${baseUrl}/api/imports`, {
      method: 'POST',
      headers: auth,
      body: importForm('x'.repeat(3 * 1024 * 1024), densityMeta),
    });
    expect(r.status).toBe(413);
  });

  it('rejects invalid meta with per-field errors', async () => {
    const r = await postImport('entity,period,value\nCHN,2020,1\n', {
      indicator: 'Not A Slug',
      unit: '',
      source: { title: '', producer: 'x' },
    });
    expect(r.status).toBe(400);
    const paths = r.body.errors.map((e: { path: string }) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['unit', 'source.title']));
  });
});

describe('series, observations, revisions and archive', () => {
  it('creates a series by JSON, revises it by CSV, keeps every revision, and archives it reversibly', async () => {
    const created = await fetch(`${baseUrl}/api/series`, {
      method: 'POST',
      headers: { ...auth, 'Content-Type': 'application/json' },
      body: JSON.stringify({
        indicator: 'oil-consumption',
        entity: 'CHN',
        kind: 'observed',
        label: 'API test consumption',
        unit: 'Mt/yr',
        source,
        observations: [
          { period: '2019', value: 650 },
          { period: '2020', value: 669 },
        ],
      }),
    });
    expect(created.status).toBe(201);
    const report = await created.json();
    const id = report.entities[0].seriesId as number;
    expect(id).toBeGreaterThan(0);

    const csv = await fetch(`${baseUrl}/api/series/${id}/observations`, {
      method: 'POST',
      headers: { ...auth, 'Content-Type': 'text/csv' },
      body: 'entity,period,value\nCHN,2020,670.5\nCHN,2021,700\n',
    });
    expect(csv.status).toBe(201);
    expect(await csv.json()).toMatchObject({
      counts: { added: 1, changed: 1 },
      changes: [{ period: '2020', old: 669, new: 670.5 }],
    });

    const again = await fetch(`${baseUrl}/api/series/${id}/observations`, {
      method: 'POST',
      headers: { ...auth, 'Content-Type': 'application/json' },
      body: JSON.stringify({ observations: [{ period: '2021', value: 700 }] }),
    });
    expect(await again.json()).toMatchObject({ counts: { added: 0, changed: 0, unchanged: 1 } });

    const revisions = await (await fetch(`${baseUrl}/api/series/${id}/revisions`)).json();
    expect(
      revisions.revisions
        .filter((r: { period: string }) => r.period === '2020')
        .map((r: { value: number; revision: number; supersededAt: string | null }) => [
          r.value,
          r.revision,
          r.supersededAt !== null,
        ]),
    ).toEqual([
      [669, 1, true],
      [670.5, 2, false],
    ]);

    // The indicator page shows the same history, rendered on the server.
    const page = await (await fetch(`${baseUrl}/indicators/oil-consumption?history=${id}`)).text();
    const history = page.slice(page.indexOf('data-testid="revision-history"'));
    expect(history).toMatch(/669<\/td>.*current|669/s);
    expect(history).toContain('670.5');

    const archive = await fetch(`${baseUrl}/api/series/${id}/archive`, {
      method: 'POST',
      headers: auth,
    });
    expect((await archive.json()).series.archivedAt).not.toBeNull();
    const hidden = await (await fetch(`${baseUrl}/api/indicators/oil-consumption`)).json();
    expect(hidden.indicator.series.some((s: { id: number }) => s.id === id)).toBe(false);
    const undo = await fetch(`${baseUrl}/api/series/${id}/archive?undo=1`, {
      method: 'POST',
      headers: auth,
    });
    expect((await undo.json()).series.archivedAt).toBeNull();
    const shown = await (await fetch(`${baseUrl}/api/indicators/oil-consumption`)).json();
    expect(shown.indicator.series.some((s: { id: number }) => s.id === id)).toBe(true);
  });

  it('refuses rows for another entity in a series CSV instead of dropping them', async () => {
    const list = await (await fetch(`${baseUrl}/api/indicators/population-density`)).json();
    const kaz = list.indicator.series.find(
      (s: { entity: { code: string } }) => s.entity.code === 'KAZ',
    );
    const r = await fetch(`${baseUrl}/api/series/${kaz.id}/observations?dryRun=1`, {
      method: 'POST',
      headers: { ...auth, 'Content-Type': 'text/csv' },
      body: 'entity,period,value\nCHN,2022,151\n',
    });
    expect(r.status).toBe(400);
    expect((await r.json()).errors[0].reason).toMatch(/this series is for KAZ, not CHN/);
  });
});
