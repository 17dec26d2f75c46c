'use client';

// The entity picker: the series in view as a short list with remove buttons, and a
// search box that finds any series of the indicator by entity, code or label as the
// user types (a combobox: arrows move, Enter adds or removes, Escape closes). With
// hundreds of entities this is how they are reached.
import { useId, useMemo, useState } from 'react';
import { KIND_LABELS } from '@/lib/domain/format';
import type { SeriesKind } from '@/lib/domain/kinds';

export type Choice = {
  id: number;
  label: string;
  kind: SeriesKind;
  entity: { code: string; name: string };
};

/** Results listed at once; typing narrows them. */
const RESULTS = 30;

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
export function searchChoices(choices: Choice[], query: string, limit = RESULTS): Choice[] {
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

export function EntityPicker(props: {
  choices: Choice[];
  selected: number[];
  colors: Map<number, string>;
  nameOf: (c: Choice) => string;
  max: number;
  onChange: (next: number[]) => void;
}) {
  const { choices, selected, colors, nameOf, max, onChange } = props;
  const id = useId();
  const [query, setQuery] = useState('');
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const byId = useMemo(() => new Map(choices.map((c) => [c.id, c])), [choices]);
  const results = useMemo(() => searchChoices(choices, query), [choices, query]);
  const chosen = new Set(selected);
  const full = selected.length >= max;

  function toggle(c: Choice) {
    if (chosen.has(c.id)) onChange(selected.filter((x) => x !== c.id));
    else if (!full) onChange([...selected, c.id]);
  }

  const listId = `${id}-results`;
  const optionId = (i: number) => `${id}-option-${i}`;
  const showList = open && results.length > 0;

  return (
    <div className="entity-picker">
      <ul className="selected-series" aria-label="Series in the chart">
        {selected.map((sid) => {
          const c = byId.get(sid);
          if (!c) return null;
          return (
            <li key={sid} data-selected-series={sid}>
              <span
                className={`swatch${c.kind === 'projection' ? ' dashed' : ''}`}
                style={{ background: colors.get(sid), color: colors.get(sid) }}
                aria-hidden="true"
              />
              <span className="chip-name">{nameOf(c)}</span>
              <span className="kind-badge">{KIND_LABELS[c.kind]}</span>
              <button
                type="button"
                className="chip-remove"
                aria-label={`Remove ${nameOf(c)} (${KIND_LABELS[c.kind].toLowerCase()})`}
                onClick={() => onChange(selected.filter((x) => x !== sid))}
              >
                ×
              </button>
            </li>
          );
        })}
        {selected.length === 0 && <li className="meta">No series selected.</li>}
      </ul>
      <div className="picker-search">
        <label htmlFor={`${id}-input`}>
          Add a series{' '}
          <span className="meta">
            ({choices.length.toLocaleString('en-US')} in this indicator
            {full ? `; at most ${max} at once` : ''})
          </span>
        </label>
        <input
          id={`${id}-input`}
          type="search"
          role="combobox"
          autoComplete="off"
          placeholder="Search entities, codes or series…"
          aria-expanded={showList}
          aria-controls={listId}
          aria-autocomplete="list"
          aria-activedescendant={showList ? optionId(active) : undefined}
          data-testid="entity-search"
          value={query}
          onChange={(e) => {
            setQuery(e.currentTarget.value);
            setActive(0);
            setOpen(true);
          }}
          onFocus={() => setOpen(true)}
          onBlur={() => setOpen(false)}
          onKeyDown={(e) => {
            if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
              e.preventDefault();
              setOpen(true);
              const step = e.key === 'ArrowDown' ? 1 : -1;
              setActive((a) => (a + step + results.length) % Math.max(1, results.length));
            } else if (e.key === 'Enter') {
              e.preventDefault();
              const c = results[active];
              if (showList && c) toggle(c);
            } else if (e.key === 'Escape') {
              if (open) e.preventDefault();
              setOpen(false);
            }
          }}
        />
        <ul
          id={listId}
          role="listbox"
          aria-label="Matching series"
          className="picker-results"
          hidden={!showList}
        >
          {results.map((c, i) => (
            <li
              key={c.id}
              id={optionId(i)}
              role="option"
              aria-selected={chosen.has(c.id)}
              aria-disabled={!chosen.has(c.id) && full ? true : undefined}
              className={i === active ? 'active' : undefined}
              data-option-series={c.id}
              // Keeps the focus in the search box, so the list stays open for the next pick.
              onMouseDown={(e) => e.preventDefault()}
              onClick={() => toggle(c)}
              onMouseEnter={() => setActive(i)}
            >
              <span className="check" aria-hidden="true">
                {chosen.has(c.id) ? '✓' : ''}
              </span>
              <span>
                <strong>{c.entity.name}</strong> <span className="meta">{c.entity.code}</span>
                <br />
                <span className="meta">
                  {c.label} · {KIND_LABELS[c.kind]}
                </span>
              </span>
            </li>
          ))}
        </ul>
        <p className="visually-hidden" role="status" aria-live="polite">
          {open && query ? `${results.length} matching series` : ''}
        </p>
      </div>
    </div>
  );
}
