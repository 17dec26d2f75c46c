// The lines a derivation draws on its target indicator's chart (China's net import share
// from production and consumption, the yearly change of urban population), computed
// from the operands' current observed values on every read, so a revised operand moves
// the line at once. Only the operands of the derivations on the page are read.
import 'server-only';
import { getDb, type PrismaClient } from './db';
import {
  findIndicatorBySlug,
  findObserved,
  listDerivations,
  type DerivationRow,
  type IndicatorRow,
  type ObservedRow,
  type SourceRow,
} from './claims-store';
import { seriesColor, type ChartSeries } from './domain/chart-view';
import {
  derivedToTarget,
  derivedUnit,
  deriveSeries,
  describeFormula,
  isFormula,
  type OperandPoint,
} from './domain/derive';
import { periodToYear } from './domain/period';
import { conversionTo, convertValue } from './domain/units';

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

/**
 * The derived lines of an indicator, in its unit or in `unit` (a display unit it converts
 * to), with the provenance of each operand.
 */
export async function getDerivedSeries(options: {
  indicator: string;
  asOf?: Date | null;
  unit?: { name: string; short: string } | null;
  /** Colours continue after the indicator's own series. */
  colorOffset?: number;
  db?: PrismaClient;
}): Promise<{ chart: ChartSeries[]; sources: DerivedSeriesSource[] }> {
  const db = options.db ?? getDb();
  const asOf = options.asOf ?? null;
  const target = await findIndicatorBySlug(db, options.indicator);
  if (!target) return { chart: [], sources: [] };
  const to = options.unit
    ? { long: options.unit.name, short: options.unit.short }
    : { long: target.unitLong, short: target.unitShort };
  const derivations = (await listDerivations(db, { indicatorId: target.id })).filter(
    (d): d is DerivationRow & { entity: NonNullable<DerivationRow['entity']> } =>
      d.indicatorId === target.id && d.entity !== null,
  );
  const chart: ChartSeries[] = [];
  const sources: DerivedSeriesSource[] = [];
  for (const d of derivations) {
    if (!isFormula(d.formula)) continue;
    const formula = d.formula;
    const aRows = await findObserved(db, {
      indicatorId: d.aIndicatorId,
      entityId: d.aEntityId,
      asOf,
    });
    const two = formula !== 'change' && d.bIndicator && d.bEntity;
    const bRows = two
      ? await findObserved(db, { indicatorId: d.bIndicator!.id, entityId: d.bEntity!.id, asOf })
      : [];
    const du = derivedUnit(formula, {
      a: d.aIndicator.unitLong,
      b: two ? d.bIndicator!.unitLong : null,
    });
    if (!du.ok) continue;
    const toTarget = derivedToTarget(du.unit, to);
    if (!toTarget.ok) continue;
    const b = two
      ? operandPoints(bRows, d.bIndicator!).map((p) => ({
          ...p,
          value: convertValue(p.value, du.bFactor),
        }))
      : null;
    const points = deriveSeries(formula, operandPoints(aRows, d.aIndicator), b);
    const seriesId = DERIVED_SERIES_ID_BASE + d.id;
    chart.push({
      id: seriesId,
      label: d.proxy ? `${d.title} — proxy` : d.title,
      kind: 'derived',
      entityCode: d.entity.code,
      entityName: d.entity.name,
      color: seriesColor((options.colorOffset ?? 0) + chart.length),
      points: points.map((p) => ({
        period: p.period,
        precision: p.precision,
        x: periodToYear(p.period),
        value: convertValue(p.value, toTarget.factor),
        low: null,
        high: null,
      })),
    });
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
        indicator: { slug: d.bIndicator!.slug, title: d.bIndicator!.title },
        entity: { code: d.bEntity!.code, name: d.bEntity!.name },
        sources: sourcesOf(bRows),
      });
    sources.push({
      seriesId,
      title: d.title,
      expression: describeFormula(
        formula,
        name(d.aIndicator, d.aEntity),
        two ? name(d.bIndicator!, d.bEntity!) : null,
      ),
      proxy: d.proxy,
      note: d.note,
      entity: { code: d.entity.code, name: d.entity.name },
      operands,
    });
  }
  return { chart, sources };
}
