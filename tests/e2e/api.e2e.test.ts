// The write API over HTTP against the production server: auth, each file format,
// each kind of bad input, revisions, archiving, and that a rejected write changes nothing.
import http from 'node:http';
import { describe, expect, inject, it } from 'vitest';
import { launchBrowser } from './browser';
import { queryDatabase } from './support/db';
import { densityRows, worldBankFile } from './support/files';
import { logInThroughForm } from './support/login';

const baseUrl = inject('baseUrl');
const token = inject('editorToken');
const databaseUrl = inject('databaseUrl');
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

async function observationCount(): Promise<number> {
  const [row] = await queryDatabase<{ n: number }>(
    databaseUrl,
    'SELECT COUNT(*) AS n FROM "Observation"',
  );
  return row!.n;
}

const densityMeta = { indicator: 'population-density', unit: 'people per km²' };

/**
 * Sends the start of a POST, `chunks` and no more, over a connection of its own, and
 * waits for the answer without finishing the body. A server that refuses a body
 * closes the connection without reading the rest; bytes still arriving then would
 * reset the connection and could lose its answer, so a test sends only what the
 * server must read to refuse. A server that waits for more instead fails the test.
 */
function postPartial(
  path: string,
  headers: Record<string, string>,
  chunks: Uint8Array[],
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(`${baseUrl}${path}`, { method: 'POST', headers, agent: false });
    const timer = setTimeout(() => {
      req.destroy();
      reject(new Error('no answer within 30 s: the server is waiting for the rest of the body'));
    }, 30_000);
    req.on('response', (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d) => (body += d));
      res.on('end', () => {
        clearTimeout(timer);
        req.destroy();
        resolve({ status: res.statusCode!, body });
      });
    });
    req.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    req.flushHeaders();
    for (const chunk of chunks) req.write(chunk);
  });
}

/** The cells of a server-rendered table (found by its data-testid), as text. */
function tableRows(html: string, testId: string): string[][] {
  const start = html.indexOf(`data-testid="${testId}"`);
  expect(start, `no table ${testId}`).toBeGreaterThan(-1);
  const table = html.slice(start, html.indexOf('</table>', start));
  const body = table.slice(table.indexOf('<tbody'));
  return [...body.matchAll(/<tr[^>]*>(.*?)<\/tr>/gs)].map((tr) =>
    [...tr[1]!.matchAll(/<td[^>]*>(.*?)<\/td>/gs)].map((td) =>
      td[1]!
        .replace(/<!-- -->/g, '')
        .replace(/<[^>]+>/g, '')
        .trim(),
    ),
  );
}

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

  it('refuses a valid login cookie sent from another origin, or with no origin', async () => {
    // A real session, from the login form: only the Origin check can refuse it.
    const browser = await launchBrowser();
    const { cookie } = await logInThroughForm(browser, baseUrl, token).finally(() =>
      browser.close(),
    );
    expect(cookie).toMatch(/^[\w-]+=\S+$/);
    const created = await fetch(`${baseUrl}/api/series`, {
      method: 'POST',
      headers: { ...auth, 'Content-Type': 'application/json' },
      body: JSON.stringify({
        indicator: 'population-density',
        entity: 'KAZ',
        kind: 'observed',
        label: 'Origin check series',
        unit: 'people per km²',
        source,
        observations: [{ period: '2021', value: 7.1 }],
      }),
    });
    expect(created.status).toBe(201);
    const id = (await created.json()).entities[0].seriesId as number;
    const archive = (headers: Record<string, string>) =>
      fetch(`${baseUrl}/api/series/${id}/archive`, { method: 'POST', headers });
    const archivedAt = async () =>
      (
        await queryDatabase<{ archivedAt: unknown }>(
          databaseUrl,
          'SELECT "archivedAt" FROM "Series" WHERE id = ?',
          [id],
        )
      )[0]?.archivedAt;

    for (const origin of ['https://evil.example', `${baseUrl}.evil.example`, null, 'null']) {
      const res = await archive({ Cookie: cookie, ...(origin === null ? {} : { Origin: origin }) });
      expect(res.status, `Origin: ${origin}`).toBe(403);
      expect(await res.json()).toEqual({ error: 'Cross-origin request refused' });
    }
    expect(await archivedAt()).toBeNull();

    // The same cookie from the server's own origin is accepted.
    const own = await archive({ Cookie: cookie, Origin: baseUrl });
    expect(own.status).toBe(200);
    expect(await archivedAt()).not.toBeNull();
    const forged = await archive({ Cookie: 'sourced_editor=forged', Origin: baseUrl });
    expect(forged.status).toBe(401);
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
      const before = await observationCount();
      const r = await postImport(file, meta, false);
      expect(r.status).toBe(400);
      expect(r.body.ok).toBe(false);
      const error = r.body.errors.find((e: { reason: string }) => reason.test(e.reason));
      expect(error, JSON.stringify(r.body.errors)).toBeDefined();
      if (row !== null) expect(error.row).toBe(row);
      expect(await observationCount()).toBe(before);
    });
  }

  it('offers to create an unknown entity and creates it when asked', async () => {
    const csv = 'entity,code,period,value\nGermany,DEU,2020,240\n';
    const offered = await postImport(csv, densityMeta);
    expect(offered.body.unknownEntities).toEqual([{ code: 'DEU', name: 'Germany', row: 2 }]);
    const created = await postImport(csv, { ...densityMeta, createEntities: true }, false);
    expect(created.status).toBe(201);
  });

  it('rejects a file over the row limit (SOURCED_MAX_ROWS=5000 here), naming the first row past it', async () => {
    // Two entities, a month each per row: 5,000 rows stay within 1800–2008.
    const rows = (n: number) =>
      Array.from({ length: n }, (_, i) => {
        const month = Math.floor(i / 2);
        const period = `${1800 + Math.floor(month / 12)}-${String((month % 12) + 1).padStart(2, '0')}`;
        return `${i % 2 ? 'KAZ' : 'CHN'},${period},1`;
      }).join('\n');
    const before = await observationCount();
    const over = await postImport(tidy(rows(5001)), densityMeta, false);
    expect(over.status).toBe(400);
    // Line 1 is the header, so data row 5,001 is line 5,002.
    expect(over.body.errors).toEqual([
      {
        row: 5002,
        column: null,
        reason:
          'the file has more than 5,000 data rows, the most one upload may have; reading stopped here',
        severity: 'error',
      },
    ]);
    expect(await observationCount()).toBe(before);
    // At the limit exactly, the file is read whole.
    const at = await postImport(tidy(rows(5000)), densityMeta);
    expect(at.status).toBe(200);
    expect(at.body).toMatchObject({ ok: true, rowsRead: 5000, valuesRead: 5000 });
  });

  it('rejects a chunked body over the size limit on /api/series with 413, and writes nothing', async () => {
    const before = await observationCount();
    // A JSON body in chunks, without a Content-Length, one byte past the 2 MB limit:
    // only counting the bytes as they arrive can refuse it.
    const json = new TextEncoder().encode(
      JSON.stringify({
        indicator: 'population-density',
        entity: 'CHN',
        kind: 'observed',
        label: 'Chunked upload',
        unit: 'people per km²',
        source,
        observations: [{ period: '2021', value: 151 }],
      }).slice(0, -1), // the closing brace would come after the padding
    );
    const limit = 2 * 1024 * 1024;
    const padding = new Uint8Array(limit + 1 - json.length).fill(0x20);
    const chunks = [json];
    for (let at = 0; at < padding.length; at += 65536)
      chunks.push(padding.subarray(at, at + 65536));
    expect(chunks.reduce((n, c) => n + c.length, 0)).toBe(limit + 1);
    const r = await postPartial(
      '/api/series',
      { ...auth, 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' },
      chunks,
    );
    expect(r.status).toBe(413);
    expect(JSON.parse(r.body)).toEqual({
      error: 'The request body is larger than the limit of 2 MB',
    });
    expect(await observationCount()).toBe(before);
  });

  it('rejects a body whose declared length is over the limit with 413, before reading it', async () => {
    const before = await observationCount();
    // The limit on /api/imports is the file's 2 MB plus 1 MB for the meta part and
    // the framing. The body is announced, and none of it is sent.
    const request = new Request(baseUrl, {
      method: 'POST',
      body: importForm('x'.repeat(3.5 * 1024 * 1024), densityMeta),
    });
    const length = (await request.arrayBuffer()).byteLength;
    expect(length).toBeGreaterThan(3 * 1024 * 1024);
    const r = await postPartial(
      '/api/imports',
      {
        ...auth,
        'Content-Type': request.headers.get('content-type')!,
        'Content-Length': String(length),
      },
      [],
    );
    expect(r.status).toBe(413);
    expect(JSON.parse(r.body)).toEqual({
      error: 'The request body is larger than the limit of 3 MB',
    });
    expect(await observationCount()).toBe(before);
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
    const history = tableRows(page, 'revision-history');
    // Period, revision, value, recorded, superseded: 669 superseded, 670.5 current.
    const stamp = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC$/;
    expect(history.map((r) => [r[0], r[1], r[2], r[4] === 'current' ? 'current' : r[4]])).toEqual([
      ['2019', '1', '650', 'current'],
      ['2020', '1', '669', expect.stringMatching(stamp)],
      ['2020', '2', '670.5', 'current'],
      ['2021', '1', '700', 'current'],
    ]);

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
