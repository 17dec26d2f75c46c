// What the scale bench's clients ask for: each request a new pick of indicator, series,
// range or download, as readers browse, so that few requests repeat and a cache of
// whole pages cannot hide the cost of rendering one. Seeded, so runs compare.
import type { ScaleDb } from './scale-db';
import { mulberry32 } from './lib';

/** A request's path, drawn afresh for every request (or a fixed one). */
export type PathSource = string | (() => string);

export type BenchRequest = { name: string; path: PathSource };

function picker(seed: number) {
  const random = mulberry32(seed);
  const int = (n: number) => Math.floor(random() * n);
  const one = <T>(list: readonly T[]) => list[int(list.length)]!;
  const some = <T>(list: readonly T[], n: number) => {
    const chosen = new Set<T>();
    while (chosen.size < Math.min(n, list.length)) chosen.add(one(list));
    return [...chosen];
  };
  return { int, one, some };
}

/** The bench's requests on `db`: fixed paths for single pages, random picks elsewhere. */
export function benchRequests(db: ScaleDb, wideIndicators: number): BenchRequest[] {
  const { daily, years, seriesId, sourceId } = db.probe;
  const r = picker(24);
  const wide = Array.from({ length: wideIndicators }, (_, i) => `scale-wide-${i + 1}`);
  const series = (n: number) => {
    const d = r.one(daily);
    return { slug: d.slug, ids: r.some(d.series, n) };
  };
  const range = () => {
    const from = years.from + r.int(Math.max(1, years.to - years.from - 2));
    return `from=${from}&to=${Math.min(years.to, from + 3)}`;
  };
  const three = () => {
    const s = series(3);
    return `/indicators/${s.slug}?series=${s.ids.join(',')}`;
  };
  const oneInRange = () => {
    const s = series(1);
    return `/indicators/${s.slug}?series=${s.ids[0]}&${range()}`;
  };
  let unique = 0;
  return [
    { name: 'overview', path: '/' },
    { name: 'claims', path: '/claims' },
    { name: 'indicator (default view)', path: () => `/indicators/${r.one(daily).slug}` },
    {
      name: 'indicator (default view, every URL new)',
      path: () => `/indicators/${r.one(daily).slug}?visit=${++unique}`,
    },
    { name: 'indicator (3 random series)', path: three },
    { name: 'indicator (1 series, 3 random years)', path: oneInRange },
    { name: 'indicator (500 series)', path: () => `/indicators/${r.one(wide)}` },
    { name: 'API indicators', path: '/api/indicators' },
    {
      name: 'API indicator (random series, range)',
      path: () => {
        const s = series(1 + r.int(3));
        return `/api/indicators/${s.slug}?series=${s.ids.join(',')}&${range()}`;
      },
    },
    {
      name: 'API observations page',
      path: () => `/api/series/${r.one(daily).series[0] ?? seriesId}/observations`,
    },
    { name: 'API series list (500 series)', path: () => `/api/indicators/${r.one(wide)}/series` },
    {
      name: 'chart image',
      path: () => {
        const s = series(3);
        return `/indicators/${s.slug}/chart.svg?series=${s.ids.join(',')}`;
      },
    },
    {
      name: 'chart CSV',
      path: () => {
        const s = series(2);
        return `/indicators/${s.slug}/data.csv?series=${s.ids.join(',')}&${range()}`;
      },
    },
    { name: 'metadata.json', path: () => `/indicators/${r.one(daily).slug}/metadata.json` },
    { name: 'source', path: `/sources/${sourceId}` },
    { name: 'claims CSV', path: '/claims.csv' },
  ];
}

export const nextPath = (p: PathSource) => (typeof p === 'string' ? p : p());
