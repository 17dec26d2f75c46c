// The claim scorecard: every projected or reported figure, the best comparable
// observation (converted to the claim's unit, with its own provenance) or a derivation's
// value from its operands, the error and a verdict. For each claim only the observed
// values within the period tolerance of its target are read (lib/claims/store.ts); the
// rules are pure (lib/domain/claims.ts, lib/domain/derive.ts).
import 'server-only';
import { getDb, type PrismaClient } from '../db/client';
import { hasClaims } from '../read/catalog';
import { getReadStore } from '../read';
import { cached, CATALOG } from '../read/cache';
import {
  findIndicatorBySlug,
  findObserved,
  findQuotedClaim,
  listClaimSeries,
  listDerivations,
  type ClaimSeriesRow,
  type DerivationRow,
  type IndicatorRow,
  type ObservedRow,
  type SourceRow,
} from './store';
import { formatCitation } from '../domain/citation';
import { derivationRef, type DerivationRef } from '../derivations/read';
import {
  periodWindow,
  pickDerived,
  pickDirect,
  targetReached,
  verdict,
  type ClaimStatus,
  type DerivedPick,
  type Observed,
  type Picked,
  type Unscored,
} from '../domain/claims';
import { applyFormula, previousPeriod } from '../domain/derive';
import { formatPercentError, formatSigned, formatWithUnit } from '../domain/format';
import { periodToYear } from '../domain/period';
import { conversionTo, convertValue, findUnit } from '../domain/units';

export type SourceRef = {
  id: number;
  publisher: string;
  title: string;
  url: string | null;
  license: string | null;
  citation: string;
  /** The source's JSON: `GET /api/sources/<id>`. */
  api: string;
};

export type Evidence = {
  /** a, b, or a(t−1) for a derivation's operands; null for a direct observation. */
  role: 'a' | 'b' | 'a(t−1)' | null;
  indicator: string;
  indicatorTitle: string;
  entity: string;
  entityName: string;
  period: string;
  /** As recorded, in `unit`. */
  value: number;
  unit: string;
  seriesId: number;
  series: string;
  /** The citation line; `sourceRef` has the parts. */
  source: string;
  sourceRef: SourceRef;
  recordedAt: string;
};

export type Conversion = {
  from: string;
  to: string;
  factor: number;
  /** Where the factor comes from (the unit registry's basis). */
  basis: string;
  /** "7,916 TWh/yr × 1/11.63 = 681 Mt/yr". */
  text: string;
};

export type { DerivationRef };

export type Outcome = {
  value: number;
  unit: string;
  period: string;
  /** Each observation the outcome rests on: one, or a derivation's operands. */
  evidence: Evidence[];
  /** How a value recorded in another unit was put in the claim's. */
  conversion: Conversion | null;
  /** The derivation that computed it, when it is derived. */
  derivation: DerivationRef | null;
  /** Measures something close to the claim, not the claim itself: say so wherever shown. */
  proxy: boolean;
};

/** What would score a claim that is not scored yet. */
export type NextStep = {
  text: string;
  /** The indicator whose observed data is wanted, for an "Add data" link. */
  indicator: { slug: string; title: string } | null;
  entity: string | null;
};

/** What a chart needs to draw the claim against its outcome, in the indicator's unit. */
export type ClaimChart = {
  claimed: { period: string; x: number; value: number };
  observed: { period: string; x: number; value: number } | null;
  /** "claimed 400 Mt/yr, observed 681 Mt/yr (2020): −41.2%". */
  label: string;
};

export type ClaimScore = {
  id: string;
  type: 'direct' | 'derived';
  title: string;
  indicator: {
    slug: string;
    title: string;
    unitLong: string;
    unitShort: string;
    decimals: number;
  };
  entity: { code: string; name: string } | null;
  kind: 'projection' | 'reported';
  claim: {
    value: number;
    unit: string;
    unitShort: string;
    period: string;
    series: string;
    quote: {
      id: number;
      text: string;
      citedOutlet: string | null;
      speaker: string | null;
      attribution: string | null;
    } | null;
    madeBy: string;
    statedOn: string | null;
    /** `api`: the source's JSON (`GET /api/sources/<id>`), with the quote's offsets. */
    source: { id: number; citation: string; api: string };
  };
  outcome: Outcome | null;
  error: { absolute: number; percent: number | null } | null;
  status: ClaimStatus;
  reason: string;
  next: NextStep | null;
  /** Every derivation defined for this claim, whether or not it gave the outcome. */
  derivations: DerivationRef[];
  /** Null for a comparison in its own right, which no indicator chart can draw. */
  chart: ClaimChart | null;
  /** The numbers as a reader reads them (see lib/domain/format.ts); the fields above keep full precision. */
  display: { claimed: string; observed: string | null; error: string | null };
};

type Unit = { long: string; short: string };
type Ref = { row: ObservedRow; indicator: IndicatorRow; entity: { code: string; name: string } };

function sourceRef(s: SourceRow): SourceRef {
  return {
    id: s.id,
    publisher: s.publisher,
    title: s.title,
    url: s.url,
    license: s.license,
    citation: formatCitation(s),
    api: `/api/sources/${s.id}`,
  };
}

function shortOf(unit: string, indicator: IndicatorRow): string {
  if (unit === indicator.unitLong) return indicator.unitShort;
  return findUnit(unit)?.short ?? unit;
}

function conversionOf(from: string, to: Unit, factor: number, value: number, decimals: number) {
  if (factor === 1) return null;
  const def = findUnit(from);
  // The factor as the registry states it (11.63, not 11.6): it is a definition, not a measurement.
  const exact = (n: number) => n.toLocaleString('en-US', { maximumSignificantDigits: 6 });
  const shown = factor < 1 ? `÷ ${exact(1 / factor)}` : `× ${exact(factor)}`;
  const fromShort = def?.short ?? from;
  return {
    from,
    to: to.long,
    factor,
    basis: def?.basis ?? 'unit registry',
    text: `${formatWithUnit(value, decimals, fromShort)} ${shown} = ${formatWithUnit(convertValue(value, factor), decimals, to.short)}`,
  };
}

/**
 * The scorecard for the pages and the API, built once per data version, day and
 * question: a write changes the data version, and the day is part of the key because
 * whether a claim's date has come depends on today. Shared between requests: copy
 * before sorting.
 */
export function loadScorecard(
  options: { asOf?: Date | null; indicator?: string } = {},
): Promise<readonly ClaimScore[]> {
  const asOf = options.asOf ?? null;
  const today = new Date().toISOString().slice(0, 10);
  const key = `scorecard\u0000${options.indicator ?? ''}\u0000${asOf?.toISOString() ?? ''}\u0000${today}`;
  return cached(
    getReadStore(),
    key,
    async () => {
      // Most indicators have no claims: two counts answer that without scoring anything.
      if (options.indicator !== undefined && !(await hasClaims(options.indicator))) return [];
      return getScorecard({ asOf, indicator: options.indicator });
    },
    CATALOG,
  );
}

type Entity = { id: number; code: string; name: string };
type Near = (
  indicator: IndicatorRow,
  entity: { id: number },
  target: string,
  unit: Unit,
  withPrevious?: boolean,
) => Promise<ObservedRow[]>;

/** What scoring one scorecard shares: the moment, the derivations, and one read per target. */
type Scoring = { now: Date; refs: Map<number, DerivationRef>; near: Near };

/**
 * The candidates near a target: the values for the target period itself when there are
 * (nothing else can be nearer), else every value in the tolerance window. A long daily
 * series beside a yearly one is then read only when the yearly value is missing. Claims
 * on one target share a read.
 */
function observedNear(db: PrismaClient, asOf: Date | null): Near {
  const cache = new Map<string, Promise<ObservedRow[]>>();
  const observed = (
    indicator: IndicatorRow,
    entity: { id: number },
    where: { window: { from: string; to: string } } | { periods: string[] },
  ) => {
    const key = `${indicator.id}:${entity.id}:${JSON.stringify(where)}`;
    let hit = cache.get(key);
    if (!hit) {
      hit = findObserved(db, { indicatorId: indicator.id, entityId: entity.id, asOf, ...where });
      cache.set(key, hit);
    }
    return hit;
  };
  return async (indicator, entity, target, unit, withPrevious = false) => {
    const periods = withPrevious ? [target, previousPeriod(target)] : [target];
    const exact = await observed(indicator, entity, { periods });
    const usable = exact.filter((r) => conversionTo(r.series.unit ?? indicator.unitLong, unit).ok);
    if (periods.every((p) => usable.some((r) => r.period === p))) return exact;
    return observed(indicator, entity, {
      window: periodWindow(target, undefined, withPrevious ? 1 : 0),
    });
  };
}

function asCandidates(
  rows: ObservedRow[],
  indicator: IndicatorRow,
  entity: { code: string; name: string },
): Observed<Ref>[] {
  return rows.map((row) => ({
    period: row.period,
    recordedAt: row.recordedAt,
    value: row.value,
    unit: row.series.unit ?? indicator.unitLong,
    ref: { row, indicator, entity },
  }));
}

function evidence(p: Picked<Ref>, role: Evidence['role']): Evidence {
  const { row, indicator, entity } = p.obs.ref;
  return {
    role,
    indicator: indicator.slug,
    indicatorTitle: indicator.title,
    entity: entity.code,
    entityName: entity.name,
    period: row.period,
    value: row.value,
    unit: p.obs.unit,
    seriesId: row.series.id,
    series: row.series.label,
    source: formatCitation(row.series.source),
    sourceRef: sourceRef(row.series.source),
    recordedAt: row.recordedAt,
  };
}

/** A derivation's outcome near `target`, in `unit`. */
async function derive(
  ctx: Scoring,
  d: DerivationRow,
  target: string,
  unit: Unit,
): Promise<DerivedPick<Ref> | Unscored> {
  const formula = ctx.refs.get(d.id)!.formula;
  const label = (i: IndicatorRow, e: { name: string }) => `“${i.title}” for ${e.name}`;
  const aUnit = { long: d.aIndicator.unitLong, short: d.aIndicator.unitShort };
  const aRows = await ctx.near(d.aIndicator, d.aEntity, target, aUnit, formula === 'change');
  const a = {
    label: label(d.aIndicator, d.aEntity),
    unit: aUnit,
    candidates: asCandidates(aRows, d.aIndicator, d.aEntity),
  };
  if (formula === 'change' || !d.bIndicator || !d.bEntity)
    return pickDerived(formula, target, a, null, unit);
  // b is read near the period a is taken at (the pure rules pick the same one again).
  const fa = pickDirect(target, a.candidates, aUnit);
  const bUnit = { long: d.bIndicator.unitLong, short: d.bIndicator.unitShort };
  const bRows = fa.ok ? await ctx.near(d.bIndicator, d.bEntity, fa.pick.obs.period, bUnit) : [];
  const b = {
    label: label(d.bIndicator, d.bEntity),
    unit: bUnit,
    candidates: asCandidates(bRows, d.bIndicator, d.bEntity),
  };
  return pickDerived(formula, target, a, b, unit);
}

function derivedOutcome(ctx: Scoring, d: DerivationRow, r: DerivedPick<Ref>, unit: Unit): Outcome {
  const ref = ctx.refs.get(d.id)!;
  return {
    value: r.value,
    unit: unit.long,
    period: r.period,
    evidence: r.picks.map((x) => evidence(x.pick, x.role)),
    conversion: null,
    derivation: ref,
    proxy: ref.proxy,
  };
}

type QuoteRow = NonNullable<ClaimSeriesRow['observations'][number]['quote']>;

function quoteOf(q: QuoteRow | null): ClaimScore['claim']['quote'] {
  if (!q) return null;
  const { id, text, citedOutlet, speaker, attribution } = q;
  return { id, text, citedOutlet, speaker, attribution };
}

/** The claim's source, linked to its JSON (document, citation, quotes). */
function claimSource(s: SourceRow): ClaimScore['claim']['source'] {
  return { id: s.id, citation: formatCitation(s), api: `/api/sources/${s.id}` };
}

/**
 * One claimed value of a claim series: direct observations of its own indicator first (a
 * measurement beats a derivation), then each derivation defined for it, oldest first.
 */
async function scoreObservation(
  ctx: Scoring,
  s: ClaimSeriesRow,
  o: ClaimSeriesRow['observations'][number],
  served: DerivationRow[],
): Promise<ClaimScore> {
  const indicator = s.indicator;
  const claimUnit: Unit = {
    long: s.unit ?? indicator.unitLong,
    short: shortOf(s.unit ?? indicator.unitLong, indicator),
  };
  const quote = quoteOf(o.quote);
  const base: Base = {
    id: `observation-${o.id}`,
    type: 'direct',
    title: `${indicator.title}: ${s.entity.name}`,
    indicator: indicatorOf(indicator),
    entity: { code: s.entity.code, name: s.entity.name },
    kind: s.kind as 'projection' | 'reported',
    claim: {
      value: o.value,
      unit: claimUnit.long,
      unitShort: claimUnit.short,
      period: o.period,
      series: s.label,
      quote,
      madeBy: quote?.speaker ?? quote?.attribution ?? s.source.publisher,
      statedOn: s.source.publishedOn,
      source: claimSource(s.source),
    },
    derivations: served.map((d) => ctx.refs.get(d.id)!),
  };
  if (base.kind === 'projection' && !targetReached(o.period, ctx.now))
    return notYetDue(base, indicator, s.entity);
  const rows = await ctx.near(indicator, s.entity, o.period, claimUnit);
  const direct = pickDirect(o.period, asCandidates(rows, indicator, s.entity), claimUnit);
  if (direct.ok) {
    const p = direct.pick;
    return scored(base, {
      value: p.value,
      unit: claimUnit.long,
      period: p.obs.period,
      evidence: [evidence(p, null)],
      conversion: conversionOf(p.obs.unit, claimUnit, p.factor, p.obs.value, indicator.decimals),
      derivation: null,
      proxy: false,
    });
  }
  const misses: { unscored: Unscored; d: DerivationRow | null }[] = [{ unscored: direct, d: null }];
  for (const d of served) {
    const r = await derive(ctx, d, o.period, claimUnit);
    if (r.ok) return scored(base, derivedOutcome(ctx, d, r, claimUnit));
    misses.push({ unscored: r, d });
  }
  return unscoredClaim(base, misses, indicator, s.entity);
}

function indicatorOf(i: IndicatorRow): ClaimScore['indicator'] {
  const { slug, title, unitLong, unitShort, decimals } = i;
  return { slug, title, unitLong, unitShort, decimals };
}

/**
 * A comparison in its own right ("130 against five"): the claimed value comes from the
 * operands' claims quoted together, the outcome from their observations. Null when the
 * operands' claims are not both recorded.
 */
async function scoreComparison(
  ctx: Scoring,
  db: PrismaClient,
  asOf: Date | null,
  d: DerivationRow & { bIndicator: IndicatorRow; bEntity: Entity },
): Promise<ClaimScore | null> {
  const ref = ctx.refs.get(d.id)!;
  const [ca, cb] = await Promise.all([
    findQuotedClaim(db, {
      indicatorId: d.aIndicatorId,
      entityId: d.aEntityId,
      quoteId: d.quoteId,
      asOf,
    }),
    findQuotedClaim(db, {
      indicatorId: d.bIndicatorId!,
      entityId: d.bEntityId!,
      quoteId: d.quoteId,
      asOf,
    }),
  ]);
  if (!ca || !cb) return null;
  const claimed = applyFormula(ref.formula, ca.value, cb.value);
  if (!claimed.ok) return null;
  const pure = ref.formula === 'ratio' || ref.formula === 'share';
  const unit: Unit = pure
    ? { long: 'ratio', short: '×' }
    : { long: d.aIndicator.unitLong, short: d.aIndicator.unitShort };
  const quote = quoteOf(ca.quote);
  const base: Base = {
    id: `derivation-${d.id}`,
    type: 'derived',
    title: d.title,
    indicator: indicatorOf(d.aIndicator),
    entity: null,
    kind: ca.series.kind as 'projection' | 'reported',
    claim: {
      value: claimed.value,
      unit: unit.long,
      unitShort: unit.short,
      period: ca.period,
      series: `${ca.series.label} ÷ ${cb.series.label}`,
      quote,
      madeBy: quote?.speaker ?? quote?.attribution ?? ca.series.source.publisher,
      statedOn: ca.series.source.publishedOn,
      source: claimSource(ca.series.source),
    },
    derivations: [ref],
  };
  if (base.kind === 'projection' && !targetReached(ca.period, ctx.now))
    return notYetDue(base, null, null);
  const r = await derive(ctx, d, ca.period, unit);
  if (!r.ok) return unscoredClaim(base, [{ unscored: r, d }], null, null);
  return scored(base, derivedOutcome(ctx, d, r, unit));
}

/**
 * The scorecard as known at `asOf` (default: now). With `indicator`, that indicator's
 * claims, the claims its values feed through a derivation, and the comparisons it is an
 * operand of.
 */
export async function getScorecard(
  options: { asOf?: Date | null; db?: PrismaClient; indicator?: string } = {},
): Promise<ClaimScore[]> {
  const db = options.db ?? getDb();
  const asOf = options.asOf ?? null;

  let only: IndicatorRow | null = null;
  if (options.indicator !== undefined) {
    only = await findIndicatorBySlug(db, options.indicator);
    if (!only) return [];
  }
  const derivations = await listDerivations(db, { indicatorId: only?.id });
  const ctx: Scoring = {
    now: asOf ?? new Date(),
    refs: new Map(derivations.map((d) => [d.id, derivationRef(d)])),
    near: observedNear(db, asOf),
  };
  // Claims fed by this indicator through a derivation are shown on its page too.
  const fed = only
    ? derivations.filter((d) => d.indicatorId !== null && d.indicatorId !== only.id)
    : [];
  const claimSeries = await listClaimSeries(db, {
    asOf,
    indicatorIds: only ? [only.id, ...new Set(fed.map((d) => d.indicatorId!))] : undefined,
  });

  const scores: ClaimScore[] = [];
  for (const s of claimSeries) {
    const served = derivations.filter(
      (d) => d.indicatorId === s.indicator.id && d.entityId === s.entity.id,
    );
    if (only && s.indicator.id !== only.id && served.length === 0) continue;
    for (const o of s.observations) scores.push(await scoreObservation(ctx, s, o, served));
  }
  for (const d of derivations) {
    if (d.indicatorId !== null || !d.bIndicator || !d.bEntity) continue;
    const score = await scoreComparison(ctx, db, asOf, {
      ...d,
      bIndicator: d.bIndicator,
      bEntity: d.bEntity,
    });
    if (score) scores.push(score);
  }
  return scores;
}

type Base = Omit<
  ClaimScore,
  'outcome' | 'error' | 'status' | 'reason' | 'next' | 'chart' | 'display'
>;

function claimedText(base: Base) {
  return formatWithUnit(base.claim.value, base.indicator.decimals, base.claim.unitShort);
}

/** The claim's point in the indicator's unit, for a chart; null when it is not the indicator's quantity. */
function inIndicatorUnit(base: Base, value: number): number | null {
  if (base.type === 'derived') return null;
  if (base.claim.unit === base.indicator.unitLong) return value;
  const c = conversionTo(base.claim.unit, {
    long: base.indicator.unitLong,
    short: base.indicator.unitShort,
  });
  return c.ok ? convertValue(value, c.factor) : null;
}

function chartOf(base: Base, outcome: Outcome | null, label: string): ClaimChart | null {
  const claimed = inIndicatorUnit(base, base.claim.value);
  if (claimed === null) return null;
  const observed = outcome ? inIndicatorUnit(base, outcome.value) : null;
  return {
    claimed: { period: base.claim.period, x: periodToYear(base.claim.period), value: claimed },
    observed:
      outcome && observed !== null
        ? { period: outcome.period, x: periodToYear(outcome.period), value: observed }
        : null,
    label,
  };
}

function scored(base: Base, outcome: Outcome): ClaimScore {
  const v = verdict(base.claim.value, outcome.value);
  const decimals = base.indicator.decimals;
  const claimed = claimedText(base);
  const observed = formatWithUnit(outcome.value, decimals, base.claim.unitShort);
  const pct = v.error?.percent ?? null;
  const errorText =
    pct !== null
      ? formatPercentError(pct)
      : v.error
        ? `${formatSigned(v.error.absolute, decimals)} ${base.claim.unitShort}`
        : null;
  const proxy = outcome.proxy ? ' (proxy)' : '';
  const label = `claimed ${claimed}, observed${proxy} ${observed} (${outcome.period})${errorText ? `: ${errorText}` : ''}`;
  return {
    ...base,
    outcome,
    error: v.error,
    status: v.status,
    reason: `${errorText ?? 'no percentage error'} against the ${outcome.proxy ? 'proxy ' : ''}outcome for ${outcome.period}`,
    next: null,
    chart: chartOf(base, outcome, label),
    display: { claimed, observed, error: errorText },
  };
}

function notYetDue(
  base: Base,
  indicator: IndicatorRow | null,
  entity: { code: string; name: string } | null,
): ClaimScore {
  const w = periodWindow(base.claim.period);
  const what =
    indicator && entity
      ? `observed “${indicator.title}” for ${entity.name}`
      : 'observed values of its operands';
  return {
    ...base,
    outcome: null,
    error: null,
    status: 'not-yet-due',
    reason: `the target period ${base.claim.period} has not ended`,
    next: {
      text: `Due once ${base.claim.period} is over; then ${what} from ${w.from} to ${Number(w.to) - 1} will score it.`,
      indicator: null,
      entity: entity?.code ?? null,
    },
    chart: chartOf(
      base,
      null,
      `claimed ${claimedText(base)} for ${base.claim.period}: not yet due`,
    ),
    display: { claimed: claimedText(base), observed: null, error: null },
  };
}

/** Not scored: the most actionable reason wins (waiting for an operand, then no data, then units). */
function unscoredClaim(
  base: Base,
  misses: { unscored: Unscored; d: DerivationRow | null }[],
  indicator: IndicatorRow | null,
  entity: { code: string; name: string } | null,
): ClaimScore {
  const order: Unscored['status'][] = ['waiting-for-operand', 'no-data', 'not-comparable'];
  // A derivation's miss says more than the direct one's plain "no data", when there is one.
  const candidates = misses.some((m) => m.d) ? misses.filter((m) => m.d) : misses;
  const best = [...candidates].sort(
    (x, y) => order.indexOf(x.unscored.status) - order.indexOf(y.unscored.status),
  )[0]!;
  const u = best.unscored;
  const w = periodWindow(u.near);
  const span = `${w.from}–${Number(w.to) - 1}`;
  let next: NextStep;
  if (u.status === 'waiting-for-operand' && best.d) {
    const d = best.d;
    const opIndicator = u.operand === 'b' && d.bIndicator ? d.bIndicator : d.aIndicator;
    const opEntity = u.operand === 'b' && d.bEntity ? d.bEntity : d.aEntity;
    next = {
      text: `Add observed “${opIndicator.title}” for ${opEntity.name} (${opEntity.code}) for ${span}${d.formula === 'change' ? ' and the year before' : ''}.`,
      indicator: { slug: opIndicator.slug, title: opIndicator.title },
      entity: opEntity.code,
    };
  } else if (u.status === 'not-comparable') {
    next = {
      text: `Record observed values in ${base.claim.unit} or a unit the registry converts to it.`,
      indicator: indicator ? { slug: indicator.slug, title: indicator.title } : null,
      entity: entity?.code ?? null,
    };
  } else {
    next = {
      text:
        indicator && entity
          ? `Add observed “${indicator.title}” for ${entity.name} (${entity.code}) for ${span}, in ${base.claim.unit} or a unit that converts to it${base.derivations.length ? '' : ', or define a derivation that computes it'}.`
          : `Add observed values of the operands for ${span}.`,
      indicator: indicator ? { slug: indicator.slug, title: indicator.title } : null,
      entity: entity?.code ?? null,
    };
  }
  return {
    ...base,
    outcome: null,
    error: null,
    status: u.status,
    reason: u.reason,
    next,
    chart: chartOf(
      base,
      null,
      `claimed ${claimedText(base)} for ${base.claim.period}: ${u.reason}`,
    ),
    display: { claimed: claimedText(base), observed: null, error: null },
  };
}
