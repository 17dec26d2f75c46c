// The full CSV from whichever store DATABASE_URL names, from one snapshot: the store
// opens a read session and hands over its connection; the encoding is this folder's.
import type { Store } from '../store/types';
import { fullExportCsv, type ExportOptions } from './full-export';
import { fullExportFromPostgres } from './postgres-export';

async function* asAsync<T>(items: Iterable<T>): AsyncGenerator<T> {
  yield* items;
}

/** The full CSV as UTF-8 chunks. */
export function fullExportStream(
  store: Store,
  slug: string | undefined,
  options: ExportOptions = {},
): AsyncGenerator<Uint8Array> {
  return store.session(({ connection }) =>
    connection.provider === 'sqlite'
      ? // The synchronous generator yields 64 KB chunks: one await per chunk, not per row.
        asAsync(fullExportCsv(connection.db, slug, options))
      : fullExportFromPostgres(connection.client, slug, options, connection.abandon),
  );
}

/** The whole full CSV as one string, for small exports (tests, checks after a copy). */
export async function fullExportText(
  store: Store,
  slug?: string,
  options: ExportOptions = {},
): Promise<string> {
  const parts: Uint8Array[] = [];
  for await (const chunk of fullExportStream(store, slug, options)) parts.push(chunk);
  return Buffer.concat(parts).toString('utf8');
}
