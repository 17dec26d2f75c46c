// The view the reader has just asked for, before the server's page for it arrives: the
// controls' form writes it, the interactive chart draws it at once (its series come
// from the read API, not from the page). A plain module store, safe in any chunk; with
// the names of the events the page's pieces send each other, so no piece imports another's
// code to know them.
/** Dispatched on the controls' form by an island that changed its fields (a series picked). */
export const APPLY_EVENT = 'sourced:apply';

/** Dispatched on the form when its controls were set back to the view the server rendered. */
export const RENDERED_EVENT = 'sourced:rendered';

/** Dispatched on window by whatever needs the interactive chart drawn (an image download). */
export const CHART_WANTED_EVENT = 'sourced:chart-wanted';

type Listener = () => void;

let pending: string | null = null;
const listeners = new Set<Listener>();

/** The query string asked for, or null when the URL already shows it. */
export function pendingView(): string | null {
  return pending;
}

export function setPendingView(query: string | null) {
  if (pending === query) return;
  pending = query;
  for (const l of listeners) l();
}

export function subscribePendingView(listener: Listener): () => void {
  listeners.add(listener);
  return () => void listeners.delete(listener);
}
