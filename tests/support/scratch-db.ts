import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  createPrismaClient,
  openWriterConnection,
  type PrismaClient,
  type WriterDb,
} from '@/lib/db';
import { applyMigrations } from '@/lib/migrate';
import { seedArticle } from '@/lib/seed-article';

export type ScratchDb = {
  db: PrismaClient;
  /** The write path's connection, opened on first use. */
  writer: () => WriterDb;
  url: string;
  file: string;
  cleanup: () => Promise<void>;
};

/**
 * A migrated SQLite file in a fresh temporary folder, with a client on it; with
 * `seed`, the article's data loaded too.
 */
export async function createScratchDb(options: { seed?: boolean } = {}): Promise<ScratchDb> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sourced-test-'));
  const file = path.join(dir, 'test.db');
  const url = `file:${file}`;
  await applyMigrations(url);
  const db = createPrismaClient(url);
  if (options.seed) await seedArticle(db);
  let writer: WriterDb | null = null;
  return {
    db,
    writer: () => (writer ??= openWriterConnection(url)),
    url,
    file,
    cleanup: async () => {
      writer?.close();
      await db.$disconnect();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
