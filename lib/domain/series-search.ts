// Finding a series among an indicator's hundreds: the picker's choices, their display
// names, and the search both the browser's picker and the no-JavaScript form use.
// Pure, and safe in the browser.
import { KIND_LABELS } from './format';
import type { SeriesKind } from './kinds';

export type Choice = {
  id: number;
  label: string;
  /** The label, with the entity's name when several series share the label. */
  name: string;
  kind: SeriesKind;
  entity: { code: string; name: string };
};

/** Results listed at once; typing narrows them. */
export const SEARCH_RESULTS = 30;

/** Up to this many series, the form lists them all as checkboxes; beyond, it searches. */
export const CHECKBOX_LIST_MAX = 12;

/** An indicator's series as choices, named so that series sharing a label are told apart. */
export function seriesChoices(
  series: { id: number; label: string; kind: SeriesKind; entity: { code: string; name: string } }[],
): Choice[] {
  const labelCount = new Map<string, number>();
  for (const s of series) labelCount.set(s.label, (labelCount.get(s.label) ?? 0) + 1);
  return series.map((s) => ({
    id: s.id,
    label: s.label,
    name:
      (labelCount.get(s.label) ?? 0) > 1 && !s.label.includes(s.entity.name)
        ? `${s.label} — ${s.entity.name}`
        : s.label,
    kind: s.kind,
    entity: s.entity,
  }));
}

/** Lower case without accents, so "cote" finds "Côte d’Ivoire". */
export function searchable(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase();
}

/**
 * Series matching every word of the query, best first: entity names that start with
 * the query, then codes equal to it, then the rest in display order.
 */
export function searchChoices(choices: Choice[], query: string, limit = SEARCH_RESULTS): Choice[] {
  const words = searchable(query).split(/\s+/).filter(Boolean);
  if (words.length === 0) return choices.slice(0, limit);
  const q = words.join(' ');
  const scored: { c: Choice; score: number; i: number }[] = [];
  choices.forEach((c, i) => {
    const name = searchable(c.entity.name);
    const hay = `${name} ${searchable(c.entity.code)} ${searchable(c.label)} ${searchable(KIND_LABELS[c.kind])}`;
    if (!words.every((w) => hay.includes(w))) return;
    const score = name.startsWith(q) ? 0 : searchable(c.entity.code) === q ? 1 : 2;
    scored.push({ c, score, i });
  });
  return scored
    .sort((a, b) => a.score - b.score || a.i - b.i)
    .slice(0, limit)
    .map((s) => s.c);
}
