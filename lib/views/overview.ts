// The overview: one card per indicator, each rendered from the indicator's default
// view with a small point budget, so its cost does not grow with the observations
// the cards do not show.
import 'server-only';
import { createHash } from 'node:crypto';
import { getReadStore, type ReadStore } from '../read';
import { buildView, type IndicatorView } from './indicator';
import { cached } from '../read/cache';
import { chartType, DEFAULT_VIEW, describeChart } from '../domain/chart-view';
import { latestDerived, loadAllDerivedSeries } from '../derivations/series';
import { miniChartSvg } from '../chart/static-chart';
import { formatPeriod } from '../domain/period';
import { formatAsOf } from '../domain/as-of';

/** Points per mini chart, across its series: a 300-pixel-wide sketch needs no more (25 per line for six lines). */
const CARD_POINT_BUDGET = 150;
/** Claims listed on a card; the indicator page lists them all. */
const CARD_CLAIMS = 4;

export function summarizeView(v: IndicatorView) {
  const claims = v.chart
    .filter((s) => s.kind !== 'observed')
    .flatMap((s) =>
      s.points.map((p) => ({
        seriesId: s.id,
        entity: { code: s.entityCode, name: s.entityName },
        kind: s.kind,
        value: p.value,
        period: formatPeriod(p.period, p.precision),
      })),
    );
  let latest: {
    value: number;
    period: string;
    sortKey: string;
    entity: { code: string; name: string };
    publisher: string;
  } | null = null;
  for (const s of v.chart) {
    if (s.kind !== 'observed') continue;
    const p = s.points[s.points.length - 1];
    if (p && (!latest || p.period > latest.sortKey)) {
      const series = v.selected.find((x) => x.id === s.id)!;
      latest = {
        value: p.value,
        period: formatPeriod(p.period, p.precision),
        sortKey: p.period,
        entity: { code: s.entityCode, name: s.entityName },
        publisher: v.sources.get(series.sourceId)?.publisher ?? '',
      };
    }
  }
  const claimSources = new Set(
    v.selected.filter((s) => s.kind !== 'observed').map((s) => s.sourceId),
  );
  const sources = [...claimSources].flatMap((id) => v.sources.get(id) ?? []);
  return {
    claims: claims.slice(0, CARD_CLAIMS),
    moreClaims: Math.max(0, claims.length - CARD_CLAIMS),
    latest,
    sources,
  };
}

export function loadOverview(asOf: Date | null, db: ReadStore = getReadStore()) {
  const view = { ...DEFAULT_VIEW, asOf: asOf ? formatAsOf(asOf) : null };
  return cached(db, `overview\u0000${view.asOf}`, async () => {
    const cards = [];
    for (const row of await db.listIndicators(asOf)) {
      const v = await buildView(db, row, view, { compact: true, pointBudget: CARD_POINT_BUDGET });
      cards.push({ view: v, summary: summarizeView(v) });
    }
    return cards;
  });
}

/** An SVG document with its ETag and the text that describes it (its alt text). */
function svgImage(svg: string, description: string) {
  return { svg, etag: `"${createHash('sha1').update(svg).digest('base64url')}"`, description };
}

/**
 * The overview's cards as the page shows them: each indicator's default view, the
 * lines derivations add to it, its description and its sketch, drawn once per data
 * version.
 */
export function loadOverviewCards(asOf: Date | null, db: ReadStore = getReadStore()) {
  return cached(db, `overview-cards\u0000${asOf?.toISOString() ?? ''}`, async () => {
    const cards = await loadOverview(asOf, db);
    // Lines derivations compute from their operands, after each card's own.
    const derived = await loadAllDerivedSeries({
      asOf,
      colorOffsets: new Map(cards.map((c) => [c.view.indicator.slug, c.view.chart.length])),
    });
    return cards.map(({ view: v, summary }) => {
      const lines = derived.get(v.indicator.slug);
      const chart = lines ? [...v.chart, ...lines.chart] : v.chart;
      const description = describeChart(
        { ...v.indicator, unitLong: v.unit.long },
        chart,
        chartType(chart),
      );
      return {
        view: v,
        summary,
        /** The latest derived value, for a card without observed data. */
        computed: summary.latest ? null : latestDerived(lines),
        sketch: svgImage(miniChartSvg(chart, v.indicator.decimals, description), description),
      };
    });
  });
}
