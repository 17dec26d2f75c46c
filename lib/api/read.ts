// What the read routes share: parsing the query (asOf, unit, paging) into a clear 400
// when it is wrong, and the JSON shapes built from the indicator view.
import 'server-only';
import { z } from 'zod';
import { RequestFailure } from './errors';
import { getSeries } from '../read/catalog';
import { getReadStore, type ReadStore } from '../read';
import type { IndicatorView } from '../views/indicator';
import { parseAsOf } from '../domain/as-of';
import { MAX_VISIBLE_SERIES } from '../domain/chart-view';
import { isTransform, TRANSFORMS } from '../domain/transform';
import { conversionTo, convertFinite, displayUnit } from '../domain/units';

export const OBSERVATIONS_PAGE_DEFAULT = 1000;
export const OBSERVATIONS_PAGE_MAX = 10_000;

/** A query parameter the route does not take: 400 naming it (lib/api/errors.ts). */
export class QueryError extends RequestFailure {
  constructor(message: string) {
    super({ kind: 'invalid', status: 400, message });
    this.name = 'QueryError';
  }
}

const year = z.coerce.number().int().min(1000).max(3000);
const observationsQuery = z.object({
  from: year.optional(),
  to: year.optional(),
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(OBSERVATIONS_PAGE_MAX)
    .default(OBSERVATIONS_PAGE_DEFAULT),
  cursor: z
    .string()
    .regex(/^\d{4}(-\d{2}(-\d{2})?)?$/, 'must be the nextCursor of the previous page')
    .optional(),
  asOf: z
    .string()
    .refine((v) => parseAsOf(v) !== null, 'must be a date as YYYY-MM-DD')
    .optional(),
  unit: z.string().max(60).optional(),
});

/** Reads the query of a read route; unknown values are refused, never ignored. */
function parseQuery<T extends z.ZodTypeAny>(schema: T, url: URL): z.infer<T> {
  const raw = Object.fromEntries(
    [...url.searchParams.keys()].map((k) => [k, url.searchParams.get(k) ?? undefined]),
  );
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const first = parsed.error.issues[0]!;
    throw new QueryError(`${first.path.join('.') || 'query'}: ${first.message}`);
  }
  return parsed.data;
}

const seriesListSchema = z.object({
  asOf: z
    .string()
    .refine((v) => parseAsOf(v) !== null, 'must be a date as YYYY-MM-DD')
    .optional(),
});

/** The query of an indicator's series list: `asOf` only. */
export function seriesListQuery(url: URL): { asOf?: string } {
  return parseQuery(seriesListSchema, url);
}

/** The checks an indicator view's URL gets before it is built. */
export function checkViewQuery(url: URL) {
  const asOf = url.searchParams.get('asOf');
  if (asOf !== null && parseAsOf(asOf) === null)
    throw new QueryError('asOf: must be a date as YYYY-MM-DD');
  const ids = url.searchParams
    .getAll('series')
    .flatMap((s) => s.split(','))
    .filter(Boolean);
  if (ids.length > MAX_VISIBLE_SERIES)
    throw new QueryError(`series: at most ${MAX_VISIBLE_SERIES} series in one view`);
  if (ids.some((id) => !/^\d{1,15}$/.test(id.trim())))
    throw new QueryError('series: must be series ids separated by commas');
  const transform = url.searchParams.get('transform');
  if (transform !== null && !isTransform(transform))
    throw new QueryError(`transform: must be one of ${TRANSFORMS.join(', ')}`);
}

export function queryErrorResponse(error: QueryError) {
  return Response.json({ error: error.message }, { status: 400 });
}

/** The indicator and its series, without observations; the view's points for what is shown. */
export function indicatorJson(v: IndicatorView, origin = '') {
  return {
    asOf: v.asOf?.toISOString() ?? null,
    indicator: {
      ...v.indicator,
      url: `${origin}/indicators/${v.indicator.slug}`,
      seriesCount: v.series.length,
      series: v.series.map((s) => ({
        ...s,
        observations: `${origin}/api/series/${s.id}/observations`,
        source: `${origin}/api/sources/${s.sourceId}`,
      })),
      // Each source's document, citation and quotes (what quoteIds resolve to).
      sources: [...v.sources.values()].map((s) => ({ ...s, api: `${origin}/api/sources/${s.id}` })),
      archived: v.archived,
    },
    view: {
      query: v.query,
      unit: { long: v.unit.long, short: v.unit.short },
      transform: { id: v.transform.id, unit: v.transform.unit },
      defaultSeries: v.defaults,
      series: v.chart.map((c) => ({
        id: c.id,
        label: c.label,
        kind: c.kind,
        entity: { code: c.entityCode, name: c.entityName },
        points: c.points,
      })),
      downsampled: v.downsampled,
    },
  };
}

/** A page of one series' observations, optionally in another unit. */
export async function observationsJson(seriesId: number, url: URL, db: ReadStore = getReadStore()) {
  const q = parseQuery(observationsQuery, url);
  const series = await getSeries(seriesId);
  if (!series) return null;
  const own = { long: series.indicator.unitLong, short: series.indicator.unitShort };
  const stored = series.unit ?? own.long;
  let factor = 1;
  let unit = stored;
  if (q.unit) {
    const target =
      displayUnit(q.unit, own) ??
      (q.unit === own.long || q.unit === own.short ? { name: own.long, short: own.short } : null);
    const c = target ? conversionTo(stored, { long: target.name, short: target.short }) : null;
    if (!target || !c?.ok) throw new QueryError(`unit: the values cannot be shown in "${q.unit}"`);
    factor = c.factor;
    unit = target.name;
  }
  const rows = await db.observationPage(seriesId, {
    range: { from: q.from ?? null, to: q.to ?? null },
    asOf: q.asOf ? parseAsOf(q.asOf) : null,
    after: q.cursor ?? null,
    limit: q.limit + 1,
  });
  const more = rows.length > q.limit;
  const page = rows.slice(0, q.limit);
  const convert = (v: number | null) => (v === null ? null : convertFinite(v, factor));
  const next = more ? page[page.length - 1]!.period : null;
  const again = new URL(url);
  if (next) again.searchParams.set('cursor', next);
  return {
    series: {
      id: series.id,
      label: series.label,
      kind: series.kind,
      entity: series.entity,
      // Its quotes: every observation's quoteId is one of them.
      source: `/api/sources/${series.source.id}`,
    },
    unit,
    limit: q.limit,
    observations: page.map((o) => ({
      period: o.period,
      precision: o.precision,
      value: convert(o.value),
      low: convert(o.low),
      high: convert(o.high),
      note: o.note,
      quoteId: o.quoteId,
      revision: o.revision,
      recordedAt: new Date(o.recordedAt).toISOString(),
    })),
    nextCursor: next,
    next: next ? `${again.pathname}?${again.searchParams}` : null,
  };
}
