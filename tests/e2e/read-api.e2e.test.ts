// The bounded read API: indicators without observations, observations a page at a
// time, and a clear 400 for a query it cannot answer.
import { beforeAll, describe, expect, inject, it } from 'vitest';

const baseUrl = inject('baseUrl');
const pristineUrl = inject('pristineUrl');
const token = inject('editorToken');
let seriesId: number;

beforeAll(async () => {
  const observations = Array.from({ length: 25 }, (_, i) => ({
    period: String(1990 + i),
    value: i * 1.5,
  }));
  const res = await fetch(`${baseUrl}/api/series`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({
      indicator: 'rural-urban-migration',
      kind: 'observed',
      unit: 'million people per year',
      entity: 'KAZ',
      label: 'Read API paging test',
      source: { title: 'Paging test', producer: 'Test lab', url: 'https://example.org/p' },
      observations,
    }),
  });
  expect(res.status).toBe(201);
  const report = (await res.json()) as { entities: { seriesId: number }[] };
  seriesId = report.entities[0]!.seriesId;
});

describe('GET /api/indicators', () => {
  it('lists indicators with their series counts and no observations', async () => {
    const body = await (await fetch(`${pristineUrl}/api/indicators`)).json();
    const density = body.indicators.find((i: { slug: string }) => i.slug === 'population-density');
    // The article's two figures and the shipped World Bank series (CHN, KAZ, FRA, World).
    expect(density).toMatchObject({ seriesCount: 6, url: '/api/indicators/population-density' });
    expect(JSON.stringify(body)).not.toContain('"observations":[');
  });

  it('answers 400 for an asOf it cannot read', async () => {
    const res = await fetch(`${pristineUrl}/api/indicators?asOf=2004-13-45`);
    expect(res.status).toBe(400);
    expect((await res.json()).error).toBe('asOf: must be a date as YYYY-MM-DD');
  });

  it('knows no indicator before the article was recorded', async () => {
    const body = await (await fetch(`${pristineUrl}/api/indicators?asOf=2004-01-01`)).json();
    expect(body.indicators).toEqual([]);
  });
});

describe('GET /api/indicators/<slug>', () => {
  it('gives the series with links to their observations, and the view’s points', async () => {
    const body = await (await fetch(`${pristineUrl}/api/indicators/population-density`)).json();
    expect(
      body.indicator.series.map(
        (s: { kind: string; entity: { code: string } }) => `${s.kind} ${s.entity.code}`,
      ),
    ).toEqual([
      'reported CHN',
      'reported KAZ',
      'observed CHN',
      'observed KAZ',
      'observed FRA',
      'observed WLD',
    ]);
    expect(body.indicator.series[0].observations).toMatch(/^\/api\/series\/\d+\/observations$/);
    const points = body.view.series.map((s: { points: { value: number }[] }) =>
      s.points.map((p) => p.value),
    );
    expect(points.slice(0, 2)).toEqual([[130], [5]]);
    expect(points.slice(2).every((p: number[]) => p.length > 50)).toBe(true);
  });

  it('converts the view to the unit asked for', async () => {
    const body = await (
      await fetch(`${pristineUrl}/api/indicators/population-density?unit=people%20per%20mi%C2%B2`)
    ).json();
    expect(body.view.unit.short).toBe('people/mi²');
    // 130 per km² is 336.7 per square mile.
    expect(body.view.series[0].points[0].value).toBe(336.7);
  });

  it('refuses more than 40 series in one view', async () => {
    const ids = Array.from({ length: 41 }, (_, i) => i + 1).join(',');
    const res = await fetch(`${pristineUrl}/api/indicators/population-density?series=${ids}`);
    expect(res.status).toBe(400);
    expect((await res.json()).error).toBe('series: at most 40 series in one view');
  });
});

describe('GET /api/series/<id>/observations', () => {
  it('pages through every value by cursor, in period order', async () => {
    const periods: string[] = [];
    let url: string | null = `/api/series/${seriesId}/observations?limit=10`;
    let pages = 0;
    while (url) {
      const body: { observations: { period: string }[]; next: string | null; limit: number } =
        await (await fetch(`${baseUrl}${url}`)).json();
      expect(body.limit).toBe(10);
      periods.push(...body.observations.map((o) => o.period));
      url = body.next;
      pages++;
    }
    expect(pages).toBe(3);
    expect(periods).toEqual(Array.from({ length: 25 }, (_, i) => String(1990 + i)));
  });

  it('takes a year range and a unit', async () => {
    const body = await (
      await fetch(
        `${baseUrl}/api/series/${seriesId}/observations?from=2000&to=2001&unit=people%2Fyr`,
      )
    ).json();
    expect(body.unit).toBe('people per year');
    expect(
      body.observations.map((o: { period: string; value: number }) => [o.period, o.value]),
    ).toEqual([
      ['2000', 15_000_000],
      ['2001', 16_500_000],
    ]);
  });

  it('answers 400 for a limit over the maximum, and 404 for no such series', async () => {
    const big = await fetch(`${baseUrl}/api/series/${seriesId}/observations?limit=10001`);
    expect(big.status).toBe(400);
    expect((await big.json()).error).toMatch(/^limit: /);
    expect((await fetch(`${baseUrl}/api/series/987654/observations`)).status).toBe(404);
    expect((await fetch(`${baseUrl}/api/series/abc/observations`)).status).toBe(404);
  });
});

describe('GET /api/series/<id>/revisions', () => {
  it('pages through revisions by cursor', async () => {
    const first = await (
      await fetch(`${baseUrl}/api/series/${seriesId}/revisions?limit=20`)
    ).json();
    expect(first.revisions).toHaveLength(20);
    expect(first.nextCursor).toBe('2009~1');
    const second = await (
      await fetch(`${baseUrl}/api/series/${seriesId}/revisions?limit=20&cursor=${first.nextCursor}`)
    ).json();
    expect(second.revisions.map((r: { period: string }) => r.period)).toEqual([
      '2010',
      '2011',
      '2012',
      '2013',
      '2014',
    ]);
    expect(second.nextCursor).toBeNull();
  });
});

describe('asOf on every read route', () => {
  // The article's figures count as recorded on 2004-06-29.
  const before = '2004-06-28';
  const after = '2004-06-30';
  const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);

  it('/api/indicators/<slug> shows the series known then', async () => {
    const then = await (
      await fetch(`${pristineUrl}/api/indicators/population-density?asOf=${before}`)
    ).json();
    expect(then.asOf).toBe(`${before}T23:59:59.999Z`);
    expect(then.indicator.series).toEqual([]);
    const now = await (await fetch(`${baseUrl}/api/indicators/rural-urban-migration`)).json();
    const old = await (
      await fetch(`${baseUrl}/api/indicators/rural-urban-migration?asOf=${yesterday}`)
    ).json();
    const labels = (b: { indicator: { series: { label: string }[] } }) =>
      b.indicator.series.map((s) => s.label);
    expect(labels(now)).toContain('Read API paging test');
    expect(labels(old)).not.toContain('Read API paging test');
  });

  it('/api/series/<id>/observations answers the values known then', async () => {
    // The paging test's series was recorded by beforeAll, today.
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    const values = async (asOf: string) => {
      const body = await (
        await fetch(`${baseUrl}/api/series/${seriesId}/observations?asOf=${asOf}`)
      ).json();
      return body.observations.map((o: { period: string }) => o.period);
    };
    expect(await values(yesterday)).toEqual([]);
    expect(await values(tomorrow)).toHaveLength(25);
  });

  it('/api/export.csv and data-full.csv export what was known then', async () => {
    const rows = async (path: string) =>
      (await (await fetch(`${pristineUrl}${path}`)).text()).trim().split('\r\n');
    expect(await rows(`/api/export.csv?bom=0&asOf=${before}`)).toHaveLength(1);
    expect(await rows(`/api/export.csv?bom=0&asOf=${after}`)).toHaveLength(1 + 6);
    expect(
      await rows(`/indicators/population-density/data-full.csv?bom=0&asOf=${before}`),
    ).toHaveLength(1);
    const full = await rows(`/indicators/population-density/data-full.csv?bom=0&asOf=${after}`);
    expect(full.map((r) => r.split(',').slice(0, 5).join(','))).toEqual([
      'indicator,entity,code,period,value',
      'population-density,China,CHN,2004,130',
      'population-density,Kazakhstan,KAZ,2004,5',
    ]);
  });
});

describe('GET /api/indicators/<slug>/series', () => {
  it('lists every live series as the picker names them, as known at asOf', async () => {
    const body = await (
      await fetch(`${pristineUrl}/api/indicators/population-density/series`)
    ).json();
    expect(body.indicator).toBe('population-density');
    expect(body.series).toHaveLength(6);
    for (const s of body.series) {
      expect(Object.keys(s).sort()).toEqual(['entity', 'id', 'kind', 'label', 'name']);
    }
    // Series that share a label are told apart by their entity.
    const names = body.series.map((s: { name: string }) => s.name);
    expect(new Set(names).size).toBe(names.length);
    const then = await (
      await fetch(`${pristineUrl}/api/indicators/population-density/series?asOf=2004-01-01`)
    ).json();
    expect(then.series).toEqual([]);
  });

  it('answers 400 for a bad asOf and 404 for no such indicator', async () => {
    const bad = await fetch(`${pristineUrl}/api/indicators/population-density/series?asOf=soon`);
    expect(bad.status).toBe(400);
    expect((await bad.json()).error).toBe('asOf: must be a date as YYYY-MM-DD');
    expect((await fetch(`${pristineUrl}/api/indicators/no-such/series`)).status).toBe(404);
  });
});

describe('GET /indicators/<slug>/chart.svg', () => {
  it('draws the view as an SVG image, revalidated by its ETag', async () => {
    const url = `${pristineUrl}/indicators/population-density/chart.svg?size=narrow`;
    const res = await fetch(url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/svg+xml; charset=utf-8');
    const svg = await res.text();
    expect(svg).toMatch(/^<svg [^>]*width="325" height="280"/);
    expect(svg).toContain('prefers-color-scheme: dark');
    const etag = res.headers.get('etag')!;
    expect((await fetch(url, { headers: { 'if-none-match': etag } })).status).toBe(304);
    // Another view is another drawing.
    const wide = await fetch(url.replace('size=narrow', 'size=wide'));
    expect(wide.headers.get('etag')).not.toBe(etag);
  });

  it('draws again after a write: the old ETag no longer matches', async () => {
    const url = `${baseUrl}/indicators/rural-urban-migration/chart.svg?series=${seriesId}`;
    const etag = (await fetch(url)).headers.get('etag')!;
    expect((await fetch(url, { headers: { 'if-none-match': etag } })).status).toBe(304);
    const res = await fetch(`${baseUrl}/api/series`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({
        indicator: 'rural-urban-migration',
        kind: 'observed',
        unit: 'million people per year',
        entity: 'KAZ',
        label: 'Read API paging test',
        source: { title: 'Paging test', producer: 'Test lab', url: 'https://example.org/p' },
        observations: [{ period: '2015', value: 99 }],
      }),
    });
    expect(res.status).toBe(201);
    const report = (await res.json()) as { entities: { seriesId: number }[] };
    expect(report.entities[0]!.seriesId).toBe(seriesId);
    const after = await fetch(url, { headers: { 'if-none-match': etag } });
    expect(after.status).toBe(200);
    expect(after.headers.get('etag')).not.toBe(etag);
  });

  it('answers 400 for a size it does not draw, and 404 for no such indicator', async () => {
    const bad = await fetch(`${pristineUrl}/indicators/population-density/chart.svg?size=huge`);
    expect(bad.status).toBe(400);
    expect((await bad.json()).error).toMatch(/^size: must be one of wide, narrow/);
    expect((await fetch(`${pristineUrl}/indicators/no-such/chart.svg`)).status).toBe(404);
  });
});

describe('GET /indicators/<slug>/sketch.svg', () => {
  it("draws the overview card's sketch, in both themes, revalidated by its ETag", async () => {
    const url = `${pristineUrl}/indicators/oil-consumption/sketch.svg`;
    const res = await fetch(url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/svg+xml; charset=utf-8');
    const svg = await res.text();
    expect(svg).toMatch(/^<svg [^>]*viewBox="0 0 300 70"/);
    expect(svg).toContain('prefers-color-scheme: dark');
    expect(svg).toContain('<path');
    const etag = res.headers.get('etag')!;
    expect((await fetch(url, { headers: { 'if-none-match': etag } })).status).toBe(304);
    // As of a day before the outcomes were recorded, the card has only the article's figure.
    const then = await fetch(`${url}?asOf=2005-01-01`);
    expect(then.status).toBe(200);
    expect(then.headers.get('etag')).not.toBe(etag);
  });

  it('answers 404 for no such indicator', async () => {
    expect((await fetch(`${pristineUrl}/indicators/no-such/sketch.svg`)).status).toBe(404);
  });
});
