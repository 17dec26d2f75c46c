// The claim scorecard: every projected or reported figure, the best comparable
// observation (converted to the claim's unit, with its own provenance), the error and
// a verdict. Derived claims are computed from their operand series.
import 'server-only';
import { getDb, type PrismaClient } from './db';
import { listIndicators, type IndicatorDetail, type SeriesDetail } from './data';
import { nearest, targetReached, verdict, type ClaimStatus } from './domain/claims';
import { conversionTo, convertValue } from './domain/units';

type Indicator = IndicatorDetail;
type Obs = SeriesDetail['observations'][number];
type Quote = SeriesDetail['quotes'][number];

export type Outcome = {
  value: number;
  unit: string;
  period: string;
  /** Each observation the outcome rests on: one, or a derived claim's operands. */
  evidence: {
    indicator: string;
    entity: string;
    period: string;
    value: number;
    unit: string;
    series: string;
    source: string;
    recordedAt: string;
  }[];
};

export type ClaimScore = {
  id: string;
  type: 'direct' | 'derived';
  title: string;
  indicator: { slug: string; title: string };
  entity: { code: string; name: string } | null;
  kind: 'projection' | 'reported';
  claim: {
    value: number;
    unit: string;
    period: string;
    series: string;
    quote: Pick<Quote, 'id' | 'text' | 'citedOutlet' | 'speaker' | 'attribution'> | null;
    madeBy: string;
    statedOn: string | null;
    source: { id: number; citation: string };
  };
  outcome: Outcome | null;
  error: { absolute: number; percent: number | null } | null;
  status: ClaimStatus;
  reason: string;
};

type Found = { obs: Obs; series: SeriesDetail; indicator: Indicator; value: number; unit: string };

function unitOf(series: SeriesDetail, indicator: Indicator) {
  return series.unit ?? indicator.unitLong;
}

/** Observed values of an indicator for an entity, converted to `unit`; null when none converts. */
function observedIn(indicator: Indicator, entity: string, unit: string | null): Found[] {
  const out: Found[] = [];
  for (const s of indicator.series) {
    if (s.kind !== 'observed' || s.entity.code !== entity) continue;
    const from = unitOf(s, indicator);
    let factor = 1;
    if (unit !== null) {
      const c = conversionTo(from, { long: unit, short: unit });
      if (!c.ok) continue;
      factor = c.factor;
    }
    for (const o of s.observations) {
      out.push({
        obs: o,
        series: s,
        indicator,
        value: convertValue(o.value, factor),
        unit: unit ?? from,
      });
    }
  }
  return out;
}

function evidence(f: Found): Outcome['evidence'][number] {
  return {
    indicator: f.indicator.slug,
    entity: f.series.entity.code,
    period: f.obs.period,
    value: f.obs.value,
    unit: unitOf(f.series, f.indicator),
    series: f.series.label,
    source: f.series.source.citation,
    recordedAt: f.obs.recordedAt,
  };
}

function nearestFound(target: string, found: Found[]) {
  return nearest(
    target,
    found.map((f) => ({ period: f.obs.period, recordedAt: f.obs.recordedAt, f })),
  )?.f;
}

function madeBy(q: Quote | null, s: SeriesDetail) {
  return q?.speaker ?? q?.attribution ?? s.source.publisher;
}

/**
 * The scorecard as known at `asOf` (default: now). With `indicator`, only that
 * indicator's claims, and the comparisons it is an operand of, are scored.
 */
export async function getScorecard(
  options: { asOf?: Date | null; db?: PrismaClient; indicator?: string } = {},
) {
  const db = options.db ?? getDb();
  const now = options.asOf ?? new Date();
  const only = options.indicator;
  const derivations = (
    await db.derivation.findMany({
      include: {
        indicator: true,
        entity: true,
        aIndicator: true,
        aEntity: true,
        bIndicator: true,
        bEntity: true,
      },
      orderBy: { id: 'asc' },
    })
  ).filter(
    (d) => !only || [d.indicator?.slug, d.aIndicator.slug, d.bIndicator.slug].includes(only),
  );
  const needed = only
    ? [only, ...derivations.flatMap((d) => [d.aIndicator.slug, d.bIndicator.slug])]
    : undefined;
  const indicators = await listIndicators(db, options.asOf, needed);
  const bySlug = new Map(indicators.map((i) => [i.slug, i]));

  /** A ratio of two operands' observations near `target`: both must be there. */
  function derivedOutcome(d: (typeof derivations)[number], target: string): Outcome | string {
    const a = bySlug.get(d.aIndicator.slug);
    const b = bySlug.get(d.bIndicator.slug);
    if (!a || !b) return 'an operand indicator does not exist yet';
    const fa = nearestFound(target, observedIn(a, d.aEntity.code, null));
    if (!fa) return `no observed ${a.title.toLowerCase()} for ${d.aEntity.name} near ${target}`;
    // The second operand is taken at the first one's period, so the ratio compares like with like.
    const fb = nearestFound(fa.obs.period, observedIn(b, d.bEntity.code, fa.unit));
    if (!fb)
      return `no observed ${b.title.toLowerCase()} for ${d.bEntity.name} near ${fa.obs.period}`;
    if (fb.value === 0) return `${b.title} for ${d.bEntity.name} is zero`;
    return {
      value: Number((fa.value / fb.value).toPrecision(12)),
      unit: 'ratio',
      period: fa.obs.period,
      evidence: [evidence(fa), evidence(fb)],
    };
  }

  const scores: ClaimScore[] = [];
  for (const indicator of indicators) {
    if (only && indicator.slug !== only) continue;
    for (const s of indicator.series) {
      if (s.kind !== 'projection' && s.kind !== 'reported') continue;
      const claimUnit = unitOf(s, indicator);
      for (const o of s.observations) {
        const quote = s.quotes.find((q) => q.id === o.quoteId) ?? null;
        const base = {
          id: `observation-${o.id}`,
          type: 'direct' as const,
          title: `${indicator.title}: ${s.entity.name}`,
          indicator: { slug: indicator.slug, title: indicator.title },
          entity: s.entity,
          kind: s.kind,
          claim: {
            value: o.value,
            unit: claimUnit,
            period: o.period,
            series: s.label,
            quote,
            madeBy: madeBy(quote, s),
            statedOn: s.source.publishedOn,
            source: { id: s.source.id, citation: s.source.citation },
          },
        };
        const derivation = derivations.find(
          (d) =>
            d.indicatorId !== null &&
            d.indicator?.slug === indicator.slug &&
            d.entity?.code === s.entity.code,
        );
        let outcome: Outcome | null = null;
        let missing: string | null = null;
        if (derivation) {
          const r = derivedOutcome(derivation, o.period);
          if (typeof r === 'string') missing = r;
          else outcome = { ...r, unit: claimUnit };
        } else {
          const candidates = observedIn(indicator, s.entity.code, claimUnit);
          const f = nearestFound(o.period, candidates);
          if (f)
            outcome = {
              value: f.value,
              unit: claimUnit,
              period: f.obs.period,
              evidence: [evidence(f)],
            };
        }
        scores.push(judge(base, outcome, missing, !!derivation, now));
      }
    }
  }

  // Comparisons in their own right ("130 against five"): the claimed ratio comes from
  // the operands' claims quoted together, the outcome from their observations.
  for (const d of derivations) {
    if (d.indicatorId !== null) continue;
    const a = bySlug.get(d.aIndicator.slug);
    const b = bySlug.get(d.bIndicator.slug);
    const claimOf = (i: Indicator | undefined, entity: string) =>
      i?.series
        .filter((s) => s.kind !== 'observed' && s.kind !== 'derived' && s.entity.code === entity)
        .flatMap((s) =>
          s.observations
            .filter((o) => d.quoteId === null || o.quoteId === d.quoteId)
            .map((o) => ({ s, o })),
        )[0];
    const ca = claimOf(a, d.aEntity.code);
    const cb = claimOf(b, d.bEntity.code);
    if (!a || !ca || !cb || cb.o.value === 0) continue;
    const quote = ca.s.quotes.find((q) => q.id === ca.o.quoteId) ?? null;
    const base = {
      id: `derivation-${d.id}`,
      type: 'derived' as const,
      title: d.title,
      indicator: { slug: a.slug, title: a.title },
      entity: null,
      kind: ca.s.kind as 'projection' | 'reported',
      claim: {
        value: Number((ca.o.value / cb.o.value).toPrecision(12)),
        unit: 'ratio',
        period: ca.o.period,
        series: `${ca.s.label} ÷ ${cb.s.label}`,
        quote,
        madeBy: madeBy(quote, ca.s),
        statedOn: ca.s.source.publishedOn,
        source: { id: ca.s.source.id, citation: ca.s.source.citation },
      },
    };
    const r = derivedOutcome(d, ca.o.period);
    scores.push(
      judge(base, typeof r === 'string' ? null : r, typeof r === 'string' ? r : null, true, now),
    );
  }
  return scores;
}

function judge(
  base: Omit<ClaimScore, 'outcome' | 'error' | 'status' | 'reason'>,
  outcome: Outcome | null,
  missingOperand: string | null,
  derived: boolean,
  now: Date,
): ClaimScore {
  if (!targetReached(base.claim.period, now)) {
    return {
      ...base,
      outcome: null,
      error: null,
      status: 'pending',
      reason: `the target period ${base.claim.period} has not been reached`,
    };
  }
  if (derived && missingOperand) {
    return {
      ...base,
      outcome: null,
      error: null,
      status: 'not-comparable',
      reason: missingOperand,
    };
  }
  if (!outcome) {
    return {
      ...base,
      outcome: null,
      error: null,
      status: 'pending',
      reason: 'no observed data near the target period yet',
    };
  }
  const v = verdict(base.claim.value, outcome.value);
  const pct = v.error?.percent;
  const reason =
    pct === null || pct === undefined
      ? `claimed ${base.claim.value}, observed ${outcome.value}`
      : `${pct >= 0 ? '+' : ''}${pct.toFixed(1)}% against the outcome for ${outcome.period}`;
  return { ...base, outcome, error: v.error, status: v.status, reason };
}
