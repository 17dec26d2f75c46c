// A small in-process cache for the read path, keyed by what was asked and emptied
// whenever the database changes. The store's data version moves when any write
// commits (on SQLite, data_version counts commits by every other connection: this
// process's writer, a command-line import, another server on the same file, and the
// reader never writes; on PostgreSQL, the snapshot, lib/read/postgres.ts), so
// every write is seen at the next request and nobody is served data older than the
// last commit. A store that cannot tell is not cached.
import type { ReadStore } from './types';

const MAX_ENTRIES = 32;

type Cache = { version: number | string | null; entries: Map<string, Promise<unknown>> };

// One cache per store: a test (or a tool) holding two databases never mixes them.
const state = globalThis as unknown as { sourcedReadCaches?: WeakMap<ReadStore, Cache> };

/**
 * The value for `key` built by `build`, reused until the database changes. Values are
 * shared between requests: callers must treat them as read-only.
 */
export async function cached<T>(
  store: ReadStore,
  key: string,
  build: () => Promise<T>,
): Promise<T> {
  const version = await store.dataVersion();
  if (version === null) return build();
  const caches = (state.sourcedReadCaches ??= new WeakMap());
  const cache = caches.get(store) ?? { version: null, entries: new Map() };
  caches.set(store, cache);
  if (version !== cache.version) {
    cache.entries.clear();
    cache.version = version;
  }
  const hit = cache.entries.get(key) as Promise<T> | undefined;
  if (hit) {
    // Least recently used goes first: re-insert to move this one to the end.
    cache.entries.delete(key);
    cache.entries.set(key, hit);
    return hit;
  }
  // The promise is cached, so concurrent requests for one view build it once.
  const value = build();
  cache.entries.set(key, value);
  value.catch(() => cache.entries.delete(key));
  if (cache.entries.size > MAX_ENTRIES) {
    cache.entries.delete(cache.entries.keys().next().value as string);
  }
  return value;
}
