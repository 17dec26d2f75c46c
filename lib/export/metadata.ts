// The metadata that travels with a download: what the indicator is, which series
// and sources the numbers come from, how to cite them, and which view was exported.
import type { IndicatorView } from '../views/indicator';
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
      transform: v.transform.id,
      query,
    },
    units: {
      chart:
        v.transform.id === 'absolute'
          ? `Values in the chart CSV are in ${chartUnit}${v.unit.converted ? ` (converted from the indicator's unit, ${indicator.unitLong})` : ", the indicator's unit"}; series recorded in another unit are converted.`
          : `Values in the chart CSV are transformed: ${v.transform.description} (${v.transform.unit.long}), computed per series from its values in ${chartUnit}.`,
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

// CommonMark syntax characters that work anywhere in a line: emphasis, code, links and
// images, raw HTML and autolinks, tables, strikethrough, and the backslash itself.
const MARKDOWN_INLINE = /[\\`*_[\]<>|~]/g;
// Characters that start a block (heading, quote, list, setext underline, numbered list)
// at the beginning of a line.
const MARKDOWN_BLOCK_START = /^([#>+=-]|\d+[.)])/;

/**
 * User text (titles, labels, citations, licenses) as literal Markdown text: one line,
 * with every character that could make a heading, link, image, HTML tag or table
 * backslash-escaped, so the readme shows exactly what was typed and nothing more.
 */
export function escapeMarkdown(text: string | null | undefined): string {
  if (!text) return '';
  const line = text
    .replace(/[\r\n\u2028\u2029]+/g, ' ')
    .trim()
    .replace(MARKDOWN_INLINE, '\\$&');
  return line.replace(MARKDOWN_BLOCK_START, (marker: string) =>
    /^\d/.test(marker) ? `${marker.slice(0, -1)}\\${marker.slice(-1)}` : `\\${marker}`,
  );
}

/** The readme.md of the ZIP download. */
export function exportReadme(
  meta: ExportMetadata,
  files: { chart: string; full: string; metadata: string },
): string {
  const md = escapeMarkdown;
  const lines = [
    `# ${md(meta.indicator.title)}`,
    '',
    md(meta.indicator.description),
    '',
    `Downloaded from <${meta.indicator.url}> on ${meta.downloadedAt}.`,
    '',
    '## Files',
    '',
    `- \`${files.chart}\`: what the chart showed (${meta.activeFilters.query ? `view: \`?${meta.activeFilters.query}\`` : 'the default view'}), one column per series. ${md(meta.units.chart)}`,
    `- \`${files.full}\`: every current observation of the indicator with its provenance, one row each, in the unit it was recorded in.`,
    `- \`${files.metadata}\`: the indicator, its series, sources and this download's filters, as JSON.`,
    '',
    'The CSV files are UTF-8 with a byte-order mark, comma-separated, with CRLF line ends.',
    'Text cells that begin with =, +, -, @ or a control character are prefixed with an apostrophe so that spreadsheets do not run them as formulas.',
    '',
    '## How to cite',
    '',
    md(meta.citation),
    '',
    '## Original producers',
    '',
    'Cite the original producers of the numbers, and respect their licenses:',
    '',
    ...meta.sources.map(
      (s) => `- ${md(s.citation)}${s.license ? ` License: ${md(s.license)}.` : ''}`,
    ),
    '',
    '## Series',
    '',
    ...meta.series.map(
      (s) =>
        `- ${md(s.label)} (${KIND_LABELS[s.kind].toLowerCase()}, ${md(s.entity.name)}, ${md(s.unit)})${s.visible ? '' : ' — hidden in this view'}`,
    ),
    '',
  ];
  return lines.join('\n');
}
