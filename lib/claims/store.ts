// The scorecard's queries. Each fetches only what a claim shows: the claims themselves,
// the derivations, and for one indicator and entity the observed values inside a
// period window (Observation's (seriesId, period, revision) index serves it). No query
// takes a list of ids longer than the handful of series one indicator has for one entity.
import { textProblem } from '../domain/text';
import 'server-only';
import type { PrismaClient } from '../db/client';
import type { Prisma } from '../generated/prisma/client';
import { asPrecision, type Precision } from '../domain/kinds';

/** Series as known at `asOf` (recorded by then, not archived by then); without it, now. */
export function liveSeriesWhere(asOf: Date | null | undefined): Prisma.SeriesWhereInput {
  return asOf
    ? { recordedAt: { lte: asOf }, OR: [{ archivedAt: null }, { archivedAt: { gt: asOf } }] }
    : { archivedAt: null };
}

/** Observations as known at `asOf`: recorded by then and not yet superseded then. */
export function liveObservationWhere(asOf: Date | null | undefined): Prisma.ObservationWhereInput {
  return asOf
    ? { recordedAt: { lte: asOf }, OR: [{ supersededAt: null }, { supersededAt: { gt: asOf } }] }
    : { supersededAt: null };
}

const sourceSelect = {
  id: true,
  title: true,
  publisher: true,
  volume: true,
  issue: true,
  publishedOn: true,
  url: true,
  citation: true,
  license: true,
  accessedOn: true,
} satisfies Prisma.SourceSelect;

export type SourceRow = Prisma.SourceGetPayload<{ select: typeof sourceSelect }>;

const indicatorSelect = {
  id: true,
  slug: true,
  title: true,
  unitLong: true,
  unitShort: true,
  decimals: true,
} satisfies Prisma.IndicatorSelect;

export type IndicatorRow = Prisma.IndicatorGetPayload<{ select: typeof indicatorSelect }>;

export async function findIndicatorBySlug(db: PrismaClient, slug: string) {
  // A NUL names nothing on either store (PostgreSQL would refuse the query).
  if (textProblem(slug)) return null;
  return db.indicator.findUnique({ where: { slug }, select: indicatorSelect });
}

const derivationInclude = {
  indicator: { select: indicatorSelect },
  entity: true,
  aIndicator: { select: indicatorSelect },
  aEntity: true,
  bIndicator: { select: indicatorSelect },
  bEntity: true,
} satisfies Prisma.DerivationInclude;

export type DerivationRow = Prisma.DerivationGetPayload<{ include: typeof derivationInclude }>;

/**
 * Every derivation, oldest first; with `indicatorId`, those that compute it or use it.
 * Definitions are not dated data: an as-of view applies them to what was known then.
 */
export async function listDerivations(
  db: PrismaClient,
  options: { indicatorId?: number } = {},
): Promise<DerivationRow[]> {
  const id = options.indicatorId;
  return db.derivation.findMany({
    where:
      id !== undefined
        ? { OR: [{ indicatorId: id }, { aIndicatorId: id }, { bIndicatorId: id }] }
        : {},
    include: derivationInclude,
    orderBy: { id: 'asc' },
  });
}

/**
 * Projected and reported figures (the claims) with their quotes and sources; with
 * `indicatorIds`, only those indicators' (a short list: one indicator and the ones its
 * derivations feed).
 */
export async function listClaimSeries(
  db: PrismaClient,
  options: { asOf?: Date | null; indicatorIds?: number[] } = {},
) {
  const rows = await db.series.findMany({
    where: {
      kind: { in: ['projection', 'reported'] },
      ...liveSeriesWhere(options.asOf),
      ...(options.indicatorIds ? { indicatorId: { in: options.indicatorIds } } : {}),
    },
    orderBy: [{ indicatorId: 'asc' }, { recordedAt: 'asc' }, { id: 'asc' }],
    select: {
      id: true,
      kind: true,
      label: true,
      unit: true,
      entity: true,
      indicator: { select: indicatorSelect },
      source: { select: sourceSelect },
      observations: {
        where: liveObservationWhere(options.asOf),
        orderBy: { period: 'asc' },
        select: {
          id: true,
          period: true,
          precision: true,
          value: true,
          quoteId: true,
          quote: true,
        },
      },
    },
  });
  return rows.map((s) => ({
    ...s,
    observations: s.observations.map((o) => ({ ...o, precision: asPrecision(o.precision) })),
  }));
}

export type ClaimSeriesRow = Awaited<ReturnType<typeof listClaimSeries>>[number];

export type ObservedRow = {
  id: number;
  period: string;
  precision: Precision;
  value: number;
  recordedAt: string;
  series: { id: number; label: string; unit: string | null; source: SourceRow };
};

/** The live observed series of one indicator for one entity: a few at most. */
async function observedSeries(
  db: PrismaClient,
  where: { indicatorId: number; entityId: number; asOf?: Date | null },
) {
  return db.series.findMany({
    where: {
      indicatorId: where.indicatorId,
      entityId: where.entityId,
      kind: 'observed',
      ...liveSeriesWhere(where.asOf),
    },
    select: { id: true, label: true, unit: true, source: { select: sourceSelect } },
    orderBy: { id: 'asc' },
  });
}

/**
 * The observed values of one indicator for one entity: only for the periods in [from, to)
 * (ISO prefixes compare as text), or for a few exact `periods`, or only of some
 * `precisions`; with none of these, the whole series, for a chart that shows it.
 */
export async function findObserved(
  db: PrismaClient,
  where: {
    indicatorId: number;
    entityId: number;
    asOf?: Date | null;
    window?: { from: string; to: string };
    periods?: string[];
    precisions?: string[];
  },
): Promise<ObservedRow[]> {
  const series = await observedSeries(db, where);
  if (series.length === 0) return [];
  const byId = new Map(series.map((s) => [s.id, s]));
  const rows = await db.observation.findMany({
    where: {
      seriesId: { in: series.map((s) => s.id) },
      ...(where.window ? { period: { gte: where.window.from, lt: where.window.to } } : {}),
      ...(where.periods ? { period: { in: where.periods } } : {}),
      ...(where.precisions ? { precision: { in: where.precisions } } : {}),
      ...liveObservationWhere(where.asOf),
    },
    select: {
      id: true,
      seriesId: true,
      period: true,
      precision: true,
      value: true,
      recordedAt: true,
    },
    orderBy: [{ period: 'asc' }, { id: 'asc' }],
  });
  return rows.map((o) => ({
    id: o.id,
    period: o.period,
    precision: asPrecision(o.precision),
    value: o.value,
    recordedAt: o.recordedAt.toISOString(),
    series: byId.get(o.seriesId)!,
  }));
}

/**
 * The first claimed value of one indicator for one entity made in one quote: an operand
 * of a comparison quoted in a single sentence ("130 against five").
 */
export async function findQuotedClaim(
  db: PrismaClient,
  where: { indicatorId: number; entityId: number; quoteId: number | null; asOf?: Date | null },
) {
  const series = await db.series.findMany({
    where: {
      indicatorId: where.indicatorId,
      entityId: where.entityId,
      kind: { in: ['projection', 'reported'] },
      ...liveSeriesWhere(where.asOf),
    },
    select: { id: true, kind: true, label: true, source: { select: sourceSelect } },
    orderBy: { id: 'asc' },
  });
  if (series.length === 0) return null;
  const o = await db.observation.findFirst({
    where: {
      seriesId: { in: series.map((s) => s.id) },
      ...(where.quoteId !== null ? { quoteId: where.quoteId } : {}),
      ...liveObservationWhere(where.asOf),
    },
    select: { id: true, seriesId: true, period: true, value: true, quote: true },
    orderBy: { id: 'asc' },
  });
  if (!o) return null;
  return { ...o, series: series.find((s) => s.id === o.seriesId)! };
}
