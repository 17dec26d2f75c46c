// A small in-process cache for the read path, keyed by what was asked and emptied
// whenever the database changes. The store's data version moves when any write
// commits (on SQLite, data_version counts commits by every other connection: this
// process's writer, a command-line import, another server on the same file, and the
// reader never writes; on PostgreSQL, the snapshot, lib/read/postgres.ts), so
// every write is seen at the next request and nobody is served data older than the
// last commit. A store that cannot tell is not cached.
import { cache } from 'react';
import type { ReadStore } from './types';

/**
 * The store's data version, read once per page render: a page asks for it with each
 * cached read (seven times for an indicator page), and on PostgreSQL each ask is a round
 * trip. React keeps one answer per render (per request), so a page's reads all see the
 * version of its start; outside a render (route handlers, scripts) every call reads the
 * store, as before.
 */
export const dataVersionOf = cache((store: ReadStore): Promise<number | string | null> =>
  store.dataVersion(),
);

/**
 * Where an entry is kept. Views of selections are many and each is asked for a while;
 * what there is one of per indicator or source (its series list, scorecard, derived
 * lines) is asked by every view of it, so it lives on a shelf of its own that a run of
 * new selections does not empty.
 */
export type Shelf = { name: string; maxEntries: number };
export const SELECTIONS: Shelf = { name: 'selections', maxEntries: 32 };
export const CATALOG: Shelf = { name: 'catalog', maxEntries: 256 };

/**
 * An entry is its build's promise while the build runs, then the value alone. A promise
 * keeps the async context it was made in: every AsyncLocalStorage store of the request
 * that built it (Next.js's request and render, React's per-request cache with the whole
 * page's data). Kept as promises, the two shelves' 288 entries could keep as many
 * finished requests alive: a heap snapshot of a server at 10M observations held 121, most
 * of its 198 MB heap.
 */
type Entry = { building: Promise<unknown> } | { value: unknown };

type Cache = {
  version: number | string | null;
  shelves: Map<string, Map<string, Entry>>;
};

// One cache per store: a test (or a tool) holding two databases never mixes them.
const state = globalThis as unknown as { sourcedReadCaches?: WeakMap<ReadStore, Cache> };

function shelfOf(store: ReadStore, version: number | string, shelf: Shelf) {
  const caches = (state.sourcedReadCaches ??= new WeakMap());
  const cache = caches.get(store) ?? { version: null, shelves: new Map() };
  caches.set(store, cache);
  if (version !== cache.version) {
    cache.shelves.clear();
    cache.version = version;
  }
  let entries = cache.shelves.get(shelf.name);
  if (!entries) cache.shelves.set(shelf.name, (entries = new Map()));
  return entries;
}

/**
 * The value for `key` built by `build`, reused until the database changes. Values are
 * shared between requests: callers must treat them as read-only.
 */
export async function cached<T>(
  store: ReadStore,
  key: string,
  build: () => Promise<T>,
  shelf: Shelf = SELECTIONS,
): Promise<T> {
  const version = await dataVersionOf(store);
  if (version === null) return build();
  const entries = shelfOf(store, version, shelf);
  const hit = entries.get(key);
  if (hit) {
    // Least recently used goes first: re-insert to move this one to the end.
    entries.delete(key);
    entries.set(key, hit);
    return 'value' in hit ? (hit.value as T) : (hit.building as Promise<T>);
  }
  // The promise is kept while it runs, so concurrent requests for one view build it once.
  const building = build();
  const entry: Entry = { building };
  entries.set(key, entry);
  const settled = (next: Entry | null) => {
    if (entries.get(key) !== entry) return;
    if (next) entries.set(key, next);
    else entries.delete(key);
  };
  building.then(
    (value) => settled({ value }),
    () => settled(null),
  );
  if (entries.size > shelf.maxEntries) {
    entries.delete(entries.keys().next().value as string);
  }
  return building;
}
