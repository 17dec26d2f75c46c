// Writes addressed to one existing series: more observations, and archiving.
import type { ImportMeta } from '../schemas';
import type { Store } from '../store/types';

type SeriesContext = {
  label: string;
  kind: 'projection' | 'reported' | 'observed' | 'derived';
  unit: string | null;
  indicator: { slug: string; unitLong: string };
  entity: { code: string };
  source: {
    title: string;
    publisher: string;
    url: string | null;
    citation: string;
    rawCitation: string | null;
  };
};

/**
 * The import request that adds to an existing series: same indicator, entity, kind,
 * label and source, so the write path finds the series instead of creating one.
 */
export function metaForSeries(series: SeriesContext): ImportMeta | { error: string } {
  if (series.kind === 'derived') return { error: 'derived series are computed, not written' };
  return {
    indicator: series.indicator.slug,
    kind: series.kind,
    unit: series.unit ?? series.indicator.unitLong,
    entity: series.entity.code,
    entities: [series.entity.code],
    label: series.label,
    createEntities: false,
    format: undefined,
    valueColumn: undefined,
    source: {
      title: series.source.title,
      producer: series.source.publisher,
      url: series.source.url ?? undefined,
      // The write path needs a URL or a citation; a source without either is cited by its generated line.
      citation:
        series.source.rawCitation ?? (series.source.url ? undefined : series.source.citation),
      publishedAt: undefined,
      accessedAt: undefined,
      license: undefined,
      note: undefined,
    },
  };
}

/** Hides (or, with undo, restores) a series. Nothing is deleted. Returns the new archivedAt. */
export function setArchived(
  store: Store,
  seriesId: number,
  archived: boolean,
  now = new Date(),
): Promise<string | null> {
  return store.setArchived(seriesId, archived, now);
}
