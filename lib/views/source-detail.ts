// A source's page: the document, its quotes in reading order with the indicators each
// one feeds, and the series it is the source of (counted, the first few listed). Read
// through the read store and cached until the next write, like the indicator view.
import 'server-only';
import { quoteSummary, sourceSummary } from '../read/catalog';
import { asSeriesKind } from '../domain/kinds';
import { getReadStore, type ReadStore } from '../read';
import { cached, CATALOG } from '../read/cache';

/** Series listed per indicator; the count says how many there are in all. */
export const SOURCE_SERIES_LISTED = 8;

export function loadSourceDetail(id: number, store: ReadStore = getReadStore()) {
  return cached(
    store,
    `source\u0000${id}`,
    async () => {
      const rows = await store.sourceDetail(id, SOURCE_SERIES_LISTED);
      if (!rows) return null;
      const indicatorsOf = new Map<number, { slug: string; title: string }[]>();
      for (const { quoteId, slug, title } of rows.quoteIndicators) {
        const list = indicatorsOf.get(quoteId) ?? [];
        list.push({ slug, title });
        indicatorsOf.set(quoteId, list);
      }
      return {
        ...sourceSummary(rows.source),
        usageNote: rows.source.usageNote,
        quotes: rows.quotes.map((q) => ({
          ...quoteSummary(q),
          indicators: indicatorsOf.get(q.id) ?? [],
        })),
        series: rows.groups.map((g) => ({
          indicator: { slug: g.slug, title: g.title },
          count: g.count,
          listed: rows.listed
            .filter((s) => s.indicatorId === g.indicatorId)
            .map((s) => ({
              id: s.id,
              label: s.label,
              kind: asSeriesKind(s.kind),
              entityCode: s.entityCode,
            })),
        })),
      };
    },
    CATALOG,
  );
}

export type SourceDetail = NonNullable<Awaited<ReturnType<typeof loadSourceDetail>>>;
