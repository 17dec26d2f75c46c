// The editor's sessions, kept in the database (the EditorSession table) rather than in
// the cookie alone: logging out revokes the row, so a copy of the cookie taken before
// is refused too. Several servers share one PostgreSQL database, so nothing here is
// remembered by the process: every check reads the table, and a revocation anywhere is
// seen by every server at its next request.
import type { Store } from '../store/types';
import { newSessionId } from './session';

/** How long a login lasts (the cookie's Max-Age is the same). */
export const SESSION_TTL_MS = 30 * 24 * 60 * 60 * 1000;

export type EditorSessionRow = { id: string; expiresAt: Date };

/** Opens a session; expired rows are dropped on the way, so the table stays small. */
export async function createEditorSession(
  store: Store,
  now = new Date(),
): Promise<EditorSessionRow> {
  const row = { id: newSessionId(), expiresAt: new Date(now.getTime() + SESSION_TTL_MS) };
  await store.write([], async (writer) => {
    // RETURNING: portable SQL through `query` must return rows on SQLite.
    await writer.query('DELETE FROM "EditorSession" WHERE "expiresAt" <= ? RETURNING id', [now]);
    await writer.query(
      'INSERT INTO "EditorSession" (id, "createdAt", "expiresAt") VALUES (?, ?, ?) RETURNING id',
      [row.id, now, row.expiresAt],
    );
  });
  return row;
}

/** Whether a session exists, is not revoked and has not expired. */
export async function isOpenEditorSession(
  store: Store,
  id: string,
  now = new Date(),
): Promise<boolean> {
  const rows = await store.read((reader) =>
    reader.query<{ id: string }>(
      'SELECT id FROM "EditorSession" WHERE id = ? AND "revokedAt" IS NULL AND "expiresAt" > ?',
      [id, now],
    ),
  );
  return rows.length > 0;
}

/** Logs one session out; whether it was open. */
export async function revokeEditorSession(
  store: Store,
  id: string,
  now = new Date(),
): Promise<boolean> {
  const rows = await store.write([], (writer) =>
    writer.query<{ id: string }>(
      'UPDATE "EditorSession" SET "revokedAt" = ? WHERE id = ? AND "revokedAt" IS NULL RETURNING id',
      [now, id],
    ),
  );
  return rows.length > 0;
}

/** Logs every session out (every browser, every server); how many were open. */
export async function revokeAllEditorSessions(store: Store, now = new Date()): Promise<number> {
  const rows = await store.write([], (writer) =>
    writer.query<{ id: string }>(
      'UPDATE "EditorSession" SET "revokedAt" = ? WHERE "revokedAt" IS NULL AND "expiresAt" > ? RETURNING id',
      [now, now],
    ),
  );
  return rows.length;
}
