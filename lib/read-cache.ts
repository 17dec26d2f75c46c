// A small in-process cache for the read path, keyed by what was asked and emptied
// whenever the database changes. SQLite's data_version moves when any other
// connection commits (this process's writer, a command-line import, another server
// on the same file), and the reader connection never writes, so every write is seen
// at the next request and nobody is served data older than the last commit.
import type { ReadDb } from './indicator-store';

const MAX_ENTRIES = 64;

const state = globalThis as unknown as {
  sourcedReadCache?: { version: number | null; entries: Map<string, unknown> };
};

/** The database's change counter as this connection sees it. */
export function dataVersion(db: ReadDb): number {
  return db.pragma('data_version', { simple: true }) as number;
}

/**
 * The value for `key` built by `build`, reused until the database changes. Values are
 * shared between requests: callers must treat them as read-only.
 */
export function cached<T>(db: ReadDb, key: string, build: () => T): T {
  const cache = (state.sourcedReadCache ??= { version: null, entries: new Map() });
  const version = dataVersion(db);
  if (version !== cache.version) {
    cache.entries.clear();
    cache.version = version;
  }
  if (cache.entries.has(key)) {
    const value = cache.entries.get(key) as T;
    // Least recently used goes first: re-insert to move this one to the end.
    cache.entries.delete(key);
    cache.entries.set(key, value);
    return value;
  }
  const value = build();
  cache.entries.set(key, value);
  if (cache.entries.size > MAX_ENTRIES) {
    cache.entries.delete(cache.entries.keys().next().value as string);
  }
  return value;
}
