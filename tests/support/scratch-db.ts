import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createPrismaClient, type PrismaClient } from '@/lib/db';
import { applyMigrations } from '@/lib/migrate';

export type ScratchDb = {
  db: PrismaClient;
  url: string;
  file: string;
  cleanup: () => Promise<void>;
};

/** A migrated SQLite file in a fresh temporary folder, with a client on it. */
export async function createScratchDb(): Promise<ScratchDb> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sourced-test-'));
  const file = path.join(dir, 'test.db');
  const url = `file:${file}`;
  await applyMigrations(url);
  const db = createPrismaClient(url);
  return {
    db,
    url,
    file,
    cleanup: async () => {
      await db.$disconnect();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The shared/ folder sits beside the repository, in development and in CI. */
export const sharedDir = path.resolve(import.meta.dirname, '..', '..', '..', 'shared');
