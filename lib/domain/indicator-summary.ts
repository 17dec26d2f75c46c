import type { IndicatorDetail } from '../data';
import { formatPeriod } from './period';

/**
 * What an overview card says of an indicator: the claims (projected or reported
 * figures, as first recorded) and the most recent observed value, if any.
 */
export function summarizeIndicator(indicator: IndicatorDetail) {
  const claims = indicator.series
    .filter((s) => s.kind !== 'observed')
    .flatMap((s) =>
      s.observations.map((o) => ({
        seriesId: s.id,
        entity: s.entity,
        kind: s.kind,
        value: o.value,
        period: formatPeriod(o.period, o.precision),
        source: s.source,
        quoteId: o.quoteId,
      })),
    );
  let latest: {
    value: number;
    period: string;
    sortKey: string;
    entity: IndicatorDetail['series'][number]['entity'];
    source: IndicatorDetail['series'][number]['source'];
  } | null = null;
  for (const s of indicator.series) {
    if (s.kind !== 'observed') continue;
    const o = s.observations[s.observations.length - 1];
    if (o && (!latest || o.period > latest.sortKey)) {
      latest = {
        value: o.value,
        period: formatPeriod(o.period, o.precision),
        sortKey: o.period,
        entity: s.entity,
        source: s.source,
      };
    }
  }
  const sources = [...new Map(claims.map((c) => [c.source.id, c.source])).values()];
  return { claims, latest, sources };
}
