// "Cite this": a citation in prose and BibTeX entries, for the chart (the view on
// screen, with its URL) and for each source its numbers come from.

export type CitableSource = {
  id: number;
  title: string;
  publisher: string;
  volume: string | null;
  issue: string | null;
  publishedOn: string | null;
  url: string | null;
  citation: string;
  accessedOn: string | null;
};

/** BibTeX's special characters escaped; braces keep capitals and accents as written. */
export function bibtexEscape(text: string): string {
  return text
    .replace(/\\/g, '\\textbackslash{}')
    .replace(/([&%$#_{}])/g, '\\$1')
    .replace(/~/g, '\\textasciitilde{}')
    .replace(/\^/g, '\\textasciicircum{}');
}

/** A citation key: ASCII letters and digits of a few words, and a year. */
export function citationKey(parts: string[], year: string): string {
  const words = parts
    .join(' ')
    .normalize('NFD')
    .replace(/[^A-Za-z0-9 ]+/g, ' ')
    .split(/\s+/)
    .filter((w) => w.length > 2)
    .slice(0, 3)
    .map((w) => w.toLowerCase());
  return `${words.join('_') || 'sourced'}_${year}`;
}

/** Fields whose value is written as is: URLs, and a corporate author in its own braces. */
const RAW = new Set(['url', 'author']);

function entry(type: string, key: string, fields: [string, string | null | undefined][]) {
  const body = fields
    .filter((f): f is [string, string] => typeof f[1] === 'string' && f[1] !== '')
    .map(([k, v]) => `  ${k} = {${RAW.has(k) ? v : bibtexEscape(v)}}`)
    .join(',\n');
  return `@${type}{${key},\n${body}\n}`;
}

export function chartCitation(options: {
  title: string;
  url: string;
  accessed: Date;
  sources: CitableSource[];
  transform?: string | null;
}) {
  const day = options.accessed.toISOString().slice(0, 10);
  const year = day.slice(0, 4);
  const what = options.transform ? `${options.title} (${options.transform})` : options.title;
  const text = `Sourced, “${what}”, chart, ${options.url} (accessed ${day}). Data: ${
    options.sources.map((s) => s.citation).join(' ') || 'see the page'
  }`;
  const bibtex = entry('misc', citationKey(['sourced', options.title], year), [
    ['author', '{Sourced}'],
    ['title', what],
    ['howpublished', 'Chart in Sourced, an indicators dashboard'],
    ['year', year],
    ['url', options.url],
    ['urldate', day],
    [
      'note',
      options.sources.length
        ? `Data from ${[...new Set(options.sources.map((s) => s.publisher))].join('; ')}`
        : null,
    ],
  ]);
  return { text, bibtex };
}

/** A source as BibTeX: an article when it has a volume or an issue, otherwise a web page or report. */
export function sourceBibtex(s: CitableSource): string {
  const year = s.publishedOn?.slice(0, 4) ?? '';
  const key = citationKey([s.publisher, s.title], year || 'nd');
  const isArticle = s.volume !== null || s.issue !== null;
  return entry(isArticle ? 'article' : 'misc', key, [
    ['title', s.title],
    [isArticle ? 'journal' : 'publisher', s.publisher],
    ['volume', s.volume],
    ['number', s.issue],
    ['year', year],
    ['date', s.publishedOn],
    ['url', s.url],
    ['urldate', s.accessedOn],
  ]);
}
