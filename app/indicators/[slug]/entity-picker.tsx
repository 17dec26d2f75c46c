'use client';

// The entity picker, loaded when "Find a series" is first used (picker-island.tsx). The
// server's form lists the series in view as checkboxes and a search box sent by Find;
// this makes the box a combobox that finds any series of the indicator by entity, code or
// label as the reader types (arrows move, Enter adds or removes, Escape closes). The
// whole list is fetched once, when the picker loads. A series picked that the form does
// not list yet joins it as a hidden field until the server's page for the view lists it.
import { useCallback, useEffect, useId, useMemo, useReducer, useRef, useState } from 'react';
import { MAX_VISIBLE_SERIES } from '@/lib/domain/chart-view';
import { KIND_LABELS } from '@/lib/domain/format';
import { searchChoices, type Choice } from '@/lib/domain/series-search';
import { APPLY_EVENT, RENDERED_EVENT } from './pending-view';

/** The read API's list of an indicator's series, as known at `asOf`. */
export function choicesUrl(slug: string, asOf: string | null): string {
  const q = asOf ? `?${new URLSearchParams({ asOf })}` : '';
  return `/api/indicators/${encodeURIComponent(slug)}/series${q}`;
}

const lists = new Map<string, Promise<Choice[]>>();

/** The list, fetched once per page and asOf; a failure is forgotten, so the next use retries. */
function fetchChoices(url: string): Promise<Choice[]> {
  let list = lists.get(url);
  if (!list) {
    list = fetch(url).then(async (response) => {
      if (!response.ok) {
        const body = (await response.json().catch(() => null)) as { error?: string } | null;
        throw new Error(
          body?.error ?? `The list of series could not be loaded (${response.status})`,
        );
      }
      return ((await response.json()) as { series: Choice[] }).series;
    });
    list.catch(() => lists.delete(url));
    lists.set(url, list);
  }
  return list;
}

function useChoices(url: string) {
  const [state, setState] = useState<{ list: Choice[] | null; error: string | null }>({
    list: null,
    error: null,
  });
  useEffect(() => {
    let current = true;
    fetchChoices(url).then(
      (list) => current && setState({ list, error: null }),
      (error: Error) => current && setState({ list: null, error: error.message }),
    );
    return () => void (current = false);
  }, [url]);
  return state;
}

/** The series the form shows now: ticked boxes and picked ones. */
function formSeries(form: HTMLFormElement | null): Set<number> {
  const ids = new Set<number>();
  if (!form) return ids;
  for (const el of form.querySelectorAll<HTMLInputElement>('input[name="series"]'))
    if (el.value && (el.type === 'hidden' || el.checked)) ids.add(Number(el.value));
  return ids;
}

const seriesBox = (form: HTMLFormElement | null, id: number) =>
  form?.querySelector<HTMLInputElement>(`input[type="checkbox"][name="series"][value="${id}"]`);

export type EntityPickerProps = {
  /** The search box the server rendered ("Find a series"). */
  input: HTMLInputElement;
  slug: string;
  asOf: string | null;
};

export default function EntityPicker({ input, slug, asOf }: EntityPickerProps) {
  const id = useId();
  const form = input.form;
  const all = useChoices(choicesUrl(slug, asOf));
  const [query, setQuery] = useState(input.value);
  const [open, setOpen] = useState(document.activeElement === input);
  const [active, setActive] = useState(0);
  const [, formChanged] = useReducer((n: number) => n + 1, 0);
  const results = useMemo(() => searchChoices(all.list ?? [], query), [all.list, query]);
  const chosen = formSeries(form);
  const full = chosen.size >= MAX_VISIBLE_SERIES;
  const listId = `${id}-results`;
  const optionId = (i: number) => `${id}-option-${i}`;
  const showList = open && results.length > 0;
  const { picked, toggle, forgetPicked } = usePicks(form, chosen, full);

  useFormEvents(form, formChanged, forgetPicked);
  useComboboxInput(input, {
    listId,
    showList,
    activeId: showList ? optionId(active) : undefined,
    query,
    onQuery: (q) => {
      setQuery(q);
      setActive(0);
      setOpen(true);
    },
    onOpen: setOpen,
    onKey: (key) => {
      if (key === 'ArrowDown' || key === 'ArrowUp') {
        setOpen(true);
        const step = key === 'ArrowDown' ? 1 : -1;
        setActive((a) => (a + step + results.length) % Math.max(1, results.length));
        return true;
      }
      if (key === 'Enter' && showList && results[active]) {
        toggle(results[active]);
        return true;
      }
      if (key === 'Escape' && open) {
        setOpen(false);
        return true;
      }
      return false;
    },
  });

  return (
    <>
      <span hidden>
        {picked.map((p) => (
          <input key={p} type="hidden" name="series" value={p} />
        ))}
      </span>
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
        {open && all.list === null && !all.error
          ? 'Loading the list of series…'
          : open && query
            ? `${results.length} matching series`
            : ''}
      </p>
      {all.error && (
        <p className="notice" role="alert">
          {all.error}
        </p>
      )}
    </>
  );
}

/**
 * Adds or removes a series: its box when the form lists it, else a hidden field until the
 * server's page for the view lists it. The form applies itself once the field is in it.
 */
function usePicks(form: HTMLFormElement | null, chosen: Set<number>, full: boolean) {
  const [picked, setPicked] = useState<number[]>([]);
  const [applyWanted, setApplyWanted] = useState(0);
  useEffect(() => {
    if (applyWanted > 0) form?.dispatchEvent(new Event(APPLY_EVENT));
  }, [applyWanted, form]);
  const forgetPicked = useCallback(() => setPicked([]), []);
  function toggle(c: Choice) {
    const box = seriesBox(form, c.id);
    if (chosen.has(c.id)) {
      setPicked((p) => p.filter((x) => x !== c.id));
      if (box) box.checked = false;
    } else if (full) return;
    else if (box) box.checked = true;
    else setPicked((p) => [...p, c.id]);
    setApplyWanted((n) => n + 1);
  }
  return { picked, toggle, forgetPicked };
}

/** Re-reads the form when its fields change; forgets picked fields when the server's page lists them. */
function useFormEvents(form: HTMLFormElement | null, changed: () => void, rendered: () => void) {
  useEffect(() => {
    if (!form) return;
    form.addEventListener('change', changed);
    form.addEventListener(RENDERED_EVENT, rendered);
    return () => {
      form.removeEventListener('change', changed);
      form.removeEventListener(RENDERED_EVENT, rendered);
    };
  }, [form, changed, rendered]);
}

type ComboboxOptions = {
  listId: string;
  showList: boolean;
  activeId: string | undefined;
  /** The query the list shows. */
  query: string;
  onQuery: (query: string) => void;
  onOpen: (open: boolean) => void;
  /** Handles a key; true when it did (the browser's own action is then prevented). */
  onKey: (key: string) => boolean;
};

/** The server's search box as a combobox: its attributes and the DOM's own events. */
function useComboboxInput(input: HTMLInputElement, options: ComboboxOptions) {
  const { listId, showList, activeId } = options;
  useEffect(() => {
    input.setAttribute('role', 'combobox');
    input.setAttribute('aria-autocomplete', 'list');
    input.setAttribute('aria-controls', listId);
    input.setAttribute('aria-expanded', String(showList));
    if (activeId) input.setAttribute('aria-activedescendant', activeId);
    else input.removeAttribute('aria-activedescendant');
  }, [input, listId, showList, activeId]);
  const handlers = useRef(options);
  useEffect(() => {
    handlers.current = options;
  });
  useEffect(() => {
    const onInput = () => handlers.current.onQuery(input.value);
    const onFocus = () => handlers.current.onOpen(true);
    const onBlur = () => handlers.current.onOpen(false);
    const onKeyDown = (e: KeyboardEvent) => {
      if (handlers.current.onKey(e.key)) e.preventDefault();
    };
    input.addEventListener('input', onInput);
    input.addEventListener('focus', onFocus);
    input.addEventListener('blur', onBlur);
    input.addEventListener('keydown', onKeyDown);
    // Typed after the first render read the box and before these listeners: no input event
    // tells of it (a slow device, or a reader quicker than the script).
    if (input.value !== handlers.current.query) onInput();
    return () => {
      input.removeEventListener('input', onInput);
      input.removeEventListener('focus', onFocus);
      input.removeEventListener('blur', onBlur);
      input.removeEventListener('keydown', onKeyDown);
    };
  }, [input]);
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
