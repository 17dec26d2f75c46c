// Next year's file from the same publisher: a source whose title differs from a stored one only
// by its year, edition or release ("World Population Prospects 2022" and "… 2024", "Statistical
// Review of World Energy 2023, 72nd edition") is a new vintage of the same work. Its values go to
// the series the earlier vintage made, as revisions where they changed, unless the request asks
// for a series of its own (`meta.vintage: "separate"`); a parallel series is never made silently.
import type { StoreReader } from '../store/types';

const MONTHS =
  'january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec';

/** The words of a title that name its vintage, removed to compare two titles. */
const VINTAGE_WORDS = new RegExp(
  [
    '\\b\\d{4}-\\d{2}(-\\d{2})?\\b', // a release date (before the year it starts with)
    '\\b(1[89]|2[01])\\d{2}\\b', // a year
    '\\b\\d+(st|nd|rd|th)\\b', // an ordinal ("72nd")
    '\\b(first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth)\\b',
    '\\b(edition|ed|release|revision|rev|vintage|update|updated|version|v\\d+(\\.\\d+)*)\\b',
    `\\b(${MONTHS})\\b`,
    '\\b(q[1-4]|h[12])\\b',
  ].join('|'),
  'giu',
);

/** A title with its vintage words, punctuation and case taken away. */
export function workOf(title: string): string {
  return title
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(VINTAGE_WORDS, ' ')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** Two titles of the same work, differing only by vintage (and not the same title). */
export function sameWork(a: string, b: string): boolean {
  if (a.trim() === b.trim()) return false;
  const work = workOf(a);
  return work.length > 0 && work === workOf(b);
}

export type VintageSeries = { id: number; label: string; sourceTitle: string; archived: boolean };

type Candidate = {
  id: number;
  label: string;
  title: string;
  archived: number | boolean;
};

/**
 * The series an earlier vintage of this source made for the same indicator, entity and kind:
 * the one with the same label if there is one, else the latest; null when there is none or the
 * publisher's other works only (never a different work of the same publisher).
 */
export async function earlierVintage(
  db: StoreReader,
  key: {
    indicatorId: number;
    entityId: number;
    kind: string;
    label: string;
    title: string;
    publisher: string;
  },
): Promise<VintageSeries | null> {
  const rows = await db.query<Candidate>(
    `SELECT s.id, s.label, src.title, CASE WHEN s."archivedAt" IS NULL THEN 0 ELSE 1 END AS archived
     FROM "Series" s JOIN "Source" src ON src.id = s."sourceId"
     WHERE s."indicatorId" = ? AND s."entityId" = ? AND s.kind = ? AND src.publisher = ?
     ORDER BY s.id DESC`,
    [key.indicatorId, key.entityId, key.kind, key.publisher],
  );
  const same = rows.filter((r) => sameWork(r.title, key.title));
  const best = same.find((r) => r.label === key.label) ?? same[0];
  if (!best) return null;
  return {
    id: Number(best.id),
    label: best.label,
    sourceTitle: best.title,
    archived: Boolean(Number(best.archived)),
  };
}
