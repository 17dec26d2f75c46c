'use client';

// The entity picker: the series in view as a short list with remove buttons, and a
// search box that finds any series of the indicator by entity, code or label as the
// user types (a combobox: arrows move, Enter adds or removes, Escape closes). With
// hundreds of entities this is how they are reached. The page sends only the series in
// view; the whole list is fetched (react-query) when the search box is first used.
import { useQuery } from '@tanstack/react-query';
import { useId, useMemo, useState } from 'react';
import { KIND_LABELS } from '@/lib/domain/format';
import { searchChoices, type Choice } from '@/lib/domain/series-search';

/** The read API's list of an indicator's series, as known at `asOf`. */
export function choicesUrl(slug: string, asOf: string | null): string {
  const q = asOf ? `?${new URLSearchParams({ asOf })}` : '';
  return `/api/indicators/${encodeURIComponent(slug)}/series${q}`;
}

async function fetchChoices(url: string, signal: AbortSignal): Promise<Choice[]> {
  const response = await fetch(url, { signal });
  if (!response.ok) {
    const body = (await response.json().catch(() => null)) as { error?: string } | null;
    throw new Error(body?.error ?? `The list of series could not be loaded (${response.status})`);
  }
  return ((await response.json()) as { series: Choice[] }).series;
}

export function EntityPicker(props: {
  slug: string;
  asOf: string | null;
  /** The series the page was sent: those in view (and any a search without JavaScript found). */
  known: Choice[];
  /** How many series the indicator has. */
  count: number;
  selected: number[];
  colors: Map<number, string>;
  max: number;
  onChange: (next: number[]) => void;
}) {
  const { slug, asOf, known, count, selected, colors, max, onChange } = props;
  const id = useId();
  const [query, setQuery] = useState('');
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const [wanted, setWanted] = useState(false);
  const url = choicesUrl(slug, asOf);
  const all = useQuery({
    queryKey: ['indicator-choices', url],
    queryFn: ({ signal }) => fetchChoices(url, signal),
    enabled: wanted,
    staleTime: 5 * 60_000,
    retry: 1,
  });
  const choices = all.data ?? known;
  // Chips need the series in view even before (or without) the whole list.
  const byId = useMemo(
    () => new Map([...known, ...(all.data ?? [])].map((c) => [c.id, c])),
    [known, all.data],
  );
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
      <SelectedChips selected={selected} byId={byId} colors={colors} onChange={onChange} />
      <div className="picker-search">
        <label htmlFor={`${id}-input`}>
          Add a series{' '}
          <span className="meta">
            ({count.toLocaleString('en-US')} in this indicator
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
            setWanted(true);
            setQuery(e.currentTarget.value);
            setActive(0);
            setOpen(true);
          }}
          onFocus={() => {
            setWanted(true);
            setOpen(true);
          }}
          onBlur={() => setOpen(false)}
          onKeyDown={(e) => {
            const key = e.key;
            if (key === 'ArrowDown' || key === 'ArrowUp') {
              e.preventDefault();
              setOpen(true);
              const step = key === 'ArrowDown' ? 1 : -1;
              setActive((a) => (a + step + results.length) % Math.max(1, results.length));
            } else if (key === 'Enter') {
              e.preventDefault();
              const c = results[active];
              if (showList && c) toggle(c);
            } else if (key === 'Escape') {
              if (open) e.preventDefault();
              setOpen(false);
            }
          }}
        />
        <ResultList
          id={listId}
          optionId={optionId}
          results={results}
          chosen={chosen}
          full={full}
          active={active}
          hidden={!showList}
          onPick={toggle}
          onHover={setActive}
        />
        <p className="visually-hidden" role="status" aria-live="polite">
          {open && all.isPending && wanted
            ? 'Loading the list of series…'
            : open && query
              ? `${results.length} matching series`
              : ''}
        </p>
        {all.isError && (
          <p className="notice" role="alert">
            {all.error.message}
          </p>
        )}
      </div>
    </div>
  );
}

function SelectedChips({
  selected,
  byId,
  colors,
  onChange,
}: {
  selected: number[];
  byId: Map<number, Choice>;
  colors: Map<number, string>;
  onChange: (next: number[]) => void;
}) {
  return (
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
            <span className="chip-name">{c.name}</span>
            <span className="kind-badge">{KIND_LABELS[c.kind]}</span>
            <button
              type="button"
              className="chip-remove"
              aria-label={`Remove ${c.name} (${KIND_LABELS[c.kind].toLowerCase()})`}
              onClick={() => onChange(selected.filter((x) => x !== sid))}
            >
              ×
            </button>
          </li>
        );
      })}
      {selected.length === 0 && <li className="meta">No series selected.</li>}
    </ul>
  );
}

function ResultList(props: {
  id: string;
  optionId: (i: number) => string;
  results: Choice[];
  chosen: Set<number>;
  full: boolean;
  active: number;
  hidden: boolean;
  onPick: (c: Choice) => void;
  onHover: (i: number) => void;
}) {
  const { id, optionId, results, chosen, full, active, hidden, onPick, onHover } = props;
  return (
    <ul
      id={id}
      role="listbox"
      aria-label="Matching series"
      className="picker-results"
      hidden={hidden}
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
          onClick={() => onPick(c)}
          onMouseEnter={() => onHover(i)}
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
  );
}
