/** The fields of a source that a citation needs; a Prisma Source row satisfies it. */
export type CitableSource = {
  title: string;
  publisher: string;
  volume: string | null;
  issue: string | null;
  publishedOn: string | null;
  url: string | null;
  citation: string | null;
  accessedOn: string | null;
};

/**
 * One citation line, e.g.
 * Eurasia Daily Monitor, “China’s Relations …”, Volume 1, Issue 43 (2004).
 * A user-supplied full citation wins over the generated one.
 */
export function formatCitation(s: CitableSource): string {
  if (s.citation) return s.citation;
  const parts = [s.publisher, `“${s.title}”`];
  if (s.volume) parts.push(`Volume ${s.volume}`);
  if (s.issue) parts.push(`Issue ${s.issue}`);
  let line = parts.join(', ');
  line += s.publishedOn ? ` (${s.publishedOn}).` : ' (n.d.).';
  if (s.url) line += ` ${s.url}`;
  if (s.accessedOn) line += ` Accessed ${s.accessedOn}.`;
  return line;
}

/** "Volume 1, Issue 43", or null when the source has neither. */
export function formatVolumeIssue(s: Pick<CitableSource, 'volume' | 'issue'>): string | null {
  const parts = [];
  if (s.volume) parts.push(`Volume ${s.volume}`);
  if (s.issue) parts.push(`Issue ${s.issue}`);
  return parts.length ? parts.join(', ') : null;
}
