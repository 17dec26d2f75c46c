// The lines a derivation draws on its target indicator's chart (China's net import share
// from production and consumption, the yearly change of urban population), computed
// from the operands' current observed values on every read, so a revised operand moves
// the line at once. Only the operands of the derivations on the page are read.
import 'server-only';
import { getDb, type PrismaClient } from '../db/client';
import { getReadStore } from '../read';
import { cached, CATALOG } from '../read/cache';
import {
  findIndicatorBySlug,
  findObserved,
  listDerivations,
  type DerivationRow,
  type IndicatorRow,
  type ObservedRow,
  type SourceRow,
} from '../claims/store';
import { seriesColor, type ChartSeries } from '../domain/chart-view';
import {
  derivedToTarget,
  derivedUnit,
  deriveSeries,
  describeFormula,
  isFormula,
  type OperandPoint,
} from '../domain/derive';
import { periodToYear } from '../domain/period';
import { drawable } from '../domain/drawable';
import { conversionTo, convertValue } from '../domain/units';

/** Chart ids of derived lines: far above any stored series id, so URLs can toggle them. */
export const DERIVED_SERIES_ID_BASE = 1_000_000_000;

export type DerivedSeriesSource = {
  seriesId: number;
  title: string;
  expression: string;
  proxy: boolean;
  note: string | null;
  entity: { code: string; name: string };
  operands: {
    role: 'a' | 'b';
    indicator: { slug: string; title: string };
    entity: { code: string; name: string };
    sources: { id: number; publisher: string; title: string; license: string | null }[];
  }[];
};

/** One value per period, in the operand indicator's unit: the most recently recorded wins. */
function operandPoints(rows: ObservedRow[], indicator: IndicatorRow): OperandPoint[] {
  const best = new Map<string, { row: ObservedRow; value: number }>();
  for (const row of rows) {
    const unit = row.series.unit ?? indicator.unitLong;
    const c = conversionTo(unit, { long: indicator.unitLong, short: indicator.unitShort });
    if (!c.ok) continue;
    const held = best.get(row.period);
    if (held && held.row.recordedAt >= row.recordedAt) continue;
    best.set(row.period, { row, value: convertValue(row.value, c.factor) });
  }
  return [...best.values()].map(({ row, value }) => ({
    period: row.period,
    precision: row.precision,
    value,
  }));
}

function sourcesOf(rows: ObservedRow[]) {
  const m = new Map<number, SourceRow>();
  for (const r of rows) m.set(r.series.source.id, r.series.source);
  return [...m.values()].map((s) => ({
    id: s.id,
    publisher: s.publisher,
    title: s.title,
    license: s.license,
  }));
}

type Targeted = DerivationRow & {
  indicator: NonNullable<DerivationRow['indicator']>;
  entity: NonNullable<DerivationRow['entity']>;
};

const targeted = (d: DerivationRow): d is Targeted => d.indicator !== null && d.entity !== null;

/** One derivation's line in unit `to`, with its operands' provenance; null when it cannot be drawn. */
async function derivedLine(
  db: PrismaClient,
  d: Targeted,
  to: { long: string; short: string },
  asOf: Date | null,
  color: string,
): Promise<{ chart: ChartSeries; source: DerivedSeriesSource } | null> {
  if (!isFormula(d.formula)) return null;
  const formula = d.formula;
  const two =
    formula !== 'change' && d.bIndicator && d.bEntity ? { i: d.bIndicator, e: d.bEntity } : null;
  const du = derivedUnit(formula, { a: d.aIndicator.unitLong, b: two ? two.i.unitLong : null });
  if (!du.ok) return null;
  const toTarget = derivedToTarget(du.unit, to);
  if (!toTarget.ok) return null;
  const aRows = await findObserved(db, {
    indicatorId: d.aIndicatorId,
    entityId: d.aEntityId,
    asOf,
  });
  // b pairs with a period for period: only b's values at a's precisions can, so a daily
  // series of b beside yearly values of a is not read.
  const bRows = two
    ? await findObserved(db, {
        indicatorId: two.i.id,
        entityId: two.e.id,
        asOf,
        precisions: [...new Set(aRows.map((r) => r.precision))],
      })
    : [];
  const b = two
    ? operandPoints(bRows, two.i).map((p) => ({ ...p, value: convertValue(p.value, du.bFactor) }))
    : null;
  const points = deriveSeries(formula, operandPoints(aRows, d.aIndicator), b);
  const seriesId = DERIVED_SERIES_ID_BASE + d.id;
  const name = (i: { title: string }, e: { name: string }) => `${i.title} (${e.name})`;
  const operands: DerivedSeriesSource['operands'] = [
    {
      role: 'a',
      indicator: { slug: d.aIndicator.slug, title: d.aIndicator.title },
      entity: { code: d.aEntity.code, name: d.aEntity.name },
      sources: sourcesOf(aRows),
    },
  ];
  if (two)
    operands.push({
      role: 'b',
      indicator: { slug: two.i.slug, title: two.i.title },
      entity: { code: two.e.code, name: two.e.name },
      sources: sourcesOf(bRows),
    });
  return {
    chart: {
      id: seriesId,
      label: d.proxy && !/proxy/i.test(d.title) ? `${d.title} — proxy` : d.title,
      kind: 'derived',
      entityCode: d.entity.code,
      entityName: d.entity.name,
      color,
      // A value past what a chart can draw in the target unit is left out, as over zero.
      points: points.flatMap((p) => {
        const value = convertValue(p.value, toTarget.factor);
        if (!drawable(value)) return [];
        const x = periodToYear(p.period);
        return [{ period: p.period, precision: p.precision, x, value, low: null, high: null }];
      }),
    },
    source: {
      seriesId,
      title: d.title,
      expression: describeFormula(
        formula,
        name(d.aIndicator, d.aEntity),
        two ? name(two.i, two.e) : null,
      ),
      proxy: d.proxy,
      note: d.note,
      entity: { code: d.entity.code, name: d.entity.name },
      operands,
    },
  };
}

export type DerivedLines = { chart: ChartSeries[]; sources: DerivedSeriesSource[] };

async function linesFor(
  db: PrismaClient,
  derivations: Targeted[],
  to: { long: string; short: string },
  asOf: Date | null,
  colorOffset: number,
): Promise<DerivedLines> {
  const out: DerivedLines = { chart: [], sources: [] };
  for (const d of derivations) {
    const line = await derivedLine(db, d, to, asOf, seriesColor(colorOffset + out.chart.length));
    if (!line) continue;
    out.chart.push(line.chart);
    out.sources.push(line.source);
  }
  return out;
}

/**
 * The derived lines of an indicator, in its unit or in `unit` (a display unit it converts
 * to), with the provenance of each operand.
 */
/** getDerivedSeries for the pages, built once per data version and question. */
export function loadDerivedSeries(options: {
  indicator: string;
  asOf?: Date | null;
  unit?: { name: string; short: string } | null;
  colorOffset?: number;
}): Promise<DerivedLines> {
  return cached(
    getReadStore(),
    `derived\u0000${JSON.stringify(options)}`,
    () => getDerivedSeries(options),
    CATALOG,
  );
}

/** listDerivedSeries for the overview, built once per data version and question. */
export function loadAllDerivedSeries(options: {
  asOf?: Date | null;
  colorOffsets?: Map<string, number>;
}): Promise<Map<string, DerivedLines>> {
  const key = `derived-all\u0000${options.asOf?.toISOString() ?? ''}\u0000${JSON.stringify([...(options.colorOffsets ?? [])])}`;
  return cached(getReadStore(), key, () => listDerivedSeries(options), CATALOG);
}

export async function getDerivedSeries(options: {
  indicator: string;
  asOf?: Date | null;
  unit?: { name: string; short: string } | null;
  /** Colours continue after the indicator's own series. */
  colorOffset?: number;
  db?: PrismaClient;
}): Promise<DerivedLines> {
  const db = options.db ?? getDb();
  const target = await findIndicatorBySlug(db, options.indicator);
  if (!target) return { chart: [], sources: [] };
  const to = options.unit
    ? { long: options.unit.name, short: options.unit.short }
    : { long: target.unitLong, short: target.unitShort };
  const derivations = (await listDerivations(db, { indicatorId: target.id })).filter(
    (d): d is Targeted => targeted(d) && d.indicatorId === target.id,
  );
  return linesFor(db, derivations, to, options.asOf ?? null, options.colorOffset ?? 0);
}

/** Every indicator's derived lines in its own unit, by slug: one read of the derivations. */
export async function listDerivedSeries(
  options: { asOf?: Date | null; colorOffsets?: Map<string, number>; db?: PrismaClient } = {},
): Promise<Map<string, DerivedLines>> {
  const db = options.db ?? getDb();
  const bySlug = new Map<string, Targeted[]>();
  for (const d of await listDerivations(db)) {
    if (!targeted(d)) continue;
    const list = bySlug.get(d.indicator.slug) ?? [];
    list.push(d);
    bySlug.set(d.indicator.slug, list);
  }
  const out = new Map<string, DerivedLines>();
  for (const [slug, list] of bySlug) {
    const i = list[0]!.indicator;
    out.set(
      slug,
      await linesFor(
        db,
        list,
        { long: i.unitLong, short: i.unitShort },
        options.asOf ?? null,
        options.colorOffsets?.get(slug) ?? 0,
      ),
    );
  }
  return out;
}

/** The most recent derived value, for an overview card with no observed series of its own. */
export function latestDerived(lines: DerivedLines | undefined) {
  let best: {
    value: number;
    period: string;
    entity: string;
    title: string;
    proxy: boolean;
  } | null = null;
  for (const [i, s] of (lines?.chart ?? []).entries()) {
    const p = s.points.at(-1);
    if (p && (!best || p.period > best.period))
      best = {
        value: p.value,
        period: p.period,
        entity: s.entityName,
        title: lines!.sources[i]!.title,
        proxy: lines!.sources[i]!.proxy,
      };
  }
  return best;
}
