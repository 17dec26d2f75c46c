// The metadata that travels with a download: what the indicator is, which series
// and sources the numbers come from, how to cite them, and which view was exported.
import type { IndicatorView } from '../indicator-view';
import { KIND_LABELS } from '../domain/format';

export const SOURCED_CITATION =
  'Sourced, an indicators dashboard in which every number carries its source';

export function exportMetadata(v: IndicatorView, downloadedAt: Date, baseUrl: string) {
  const { indicator, view, query } = v;
  const chartUnit = v.unit.long;
  const visible = new Set(v.selected.map((s) => s.id));
  const sources = v.sources;
  return {
    indicator: {
      slug: indicator.slug,
      title: indicator.title,
      description: indicator.description,
      unit: { long: indicator.unitLong, short: indicator.unitShort },
      decimals: indicator.decimals,
      url: `${baseUrl}/indicators/${indicator.slug}`,
    },
    downloadedAt: downloadedAt.toISOString(),
    activeFilters: {
      series: v.selected.map((s) => s.id),
      scale: view.scale,
      from: view.from,
      to: view.to,
      asOf: view.asOf,
      unit: chartUnit,
      query,
    },
    units: {
      chart: `Values in the chart CSV are in ${chartUnit}${v.unit.converted ? ` (converted from the indicator's unit, ${indicator.unitLong})` : ", the indicator's unit"}; series recorded in another unit are converted.`,
      full: 'Values in the full CSV are as recorded, in the unit named in its `unit` column.',
    },
    series: v.series.map((s) => ({
      id: s.id,
      label: s.label,
      kind: s.kind,
      entity: s.entity,
      unit: s.unit ?? indicator.unitLong,
      visible: visible.has(s.id),
      sourceId: s.sourceId,
      quotes: v.quotes
        .filter((q) => q.seriesId === s.id)
        .map(({ quote: q }) => ({
          text: q.text,
          citedOutlet: q.citedOutlet,
          speaker: q.speaker,
          attribution: q.attribution,
        })),
    })),
    sources: [...sources.values()].map((s) => ({
      id: s.id,
      title: s.title,
      publisher: s.publisher,
      volume: s.volume,
      issue: s.issue,
      publishedOn: s.publishedOn,
      publishedNote: s.publishedNote,
      url: s.url,
      license: s.license,
      accessedOn: s.accessedOn,
      citation: s.citation,
    })),
    citation: `${SOURCED_CITATION}, “${indicator.title}”, ${baseUrl}/indicators/${indicator.slug}${query ? `?${query}` : ''}, downloaded ${downloadedAt.toISOString().slice(0, 10)}. Original sources: ${[...sources.values()].map((s) => s.citation).join(' ')}`,
  };
}

export type ExportMetadata = ReturnType<typeof exportMetadata>;

/** The readme.md of the ZIP download. */
export function exportReadme(
  meta: ExportMetadata,
  files: { chart: string; full: string; metadata: string },
): string {
  const lines = [
    `# ${meta.indicator.title}`,
    '',
    meta.indicator.description,
    '',
    `Downloaded from ${meta.indicator.url} on ${meta.downloadedAt}.`,
    '',
    '## Files',
    '',
    `- \`${files.chart}\`: what the chart showed (${meta.activeFilters.query ? `view: \`?${meta.activeFilters.query}\`` : 'the default view'}), one column per series, in ${meta.activeFilters.unit}.`,
    `- \`${files.full}\`: every current observation of the indicator with its provenance, one row each, in the unit it was recorded in.`,
    `- \`${files.metadata}\`: the indicator, its series, sources and this download's filters, as JSON.`,
    '',
    'The CSV files are UTF-8 with a byte-order mark, comma-separated, with CRLF line ends.',
    'Text cells that begin with =, +, -, @ or a control character are prefixed with an apostrophe so that spreadsheets do not run them as formulas.',
    '',
    '## How to cite',
    '',
    meta.citation,
    '',
    '## Original producers',
    '',
    'Cite the original producers of the numbers, and respect their licenses:',
    '',
    ...meta.sources.map((s) => `- ${s.citation}${s.license ? ` License: ${s.license}.` : ''}`),
    '',
    '## Series',
    '',
    ...meta.series.map(
      (s) =>
        `- ${s.label} (${KIND_LABELS[s.kind].toLowerCase()}, ${s.entity.name}, ${s.unit})${s.visible ? '' : ' — hidden in this view'}`,
    ),
    '',
  ];
  return lines.join('\n');
}
