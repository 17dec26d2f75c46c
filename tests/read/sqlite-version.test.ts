// The SQLite read store's data version (lib/read/sqlite.ts), which keys every read cache:
// it holds still while nothing is written, and moves when another connection (the
// server's writer, a command-line import) commits, however often it is asked.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openReadConnection } from '@/lib/db/client';
import { commitImport } from '@/lib/import/import-data';
import { valuesFromObservations } from '@/lib/import/sources';
import { sqliteReadStore } from '@/lib/read/sqlite';
import { importMetaSchema } from '@/lib/schemas';
import { createScratchDb, type ScratchDb } from '../support/scratch-db';

const meta = (entity: string) =>
  importMetaSchema.parse({
    indicator: { slug: 'version-test', title: 'Version test', unitLong: 'points', unitShort: 'pt' },
    kind: 'observed',
    unit: 'pt',
    entity,
    entities: [entity],
    createEntities: true,
    label: `Series ${entity}`,
    source: { title: 'Version test', producer: 'Sourced tests', url: 'https://example.org/v' },
  });

describe('the SQLite read store’s data version', () => {
  let db: ScratchDb;
  let close = () => {};
  beforeAll(async () => {
    db = await createScratchDb({ provider: 'sqlite' });
  });
  afterAll(async () => {
    close();
    await db?.cleanup();
  });

  it('holds still without writes and moves with each commit of another connection', async () => {
    const conn = openReadConnection(db.url);
    close = () => conn.close();
    const read = sqliteReadStore(conn);
    const before = await read.dataVersion();
    expect(typeof before).toBe('number');
    expect(await read.dataVersion()).toBe(before);
    const seen = new Set([before]);
    for (const entity of ['KAZ', 'CHN']) {
      const report = await commitImport(
        db.store,
        meta(entity),
        valuesFromObservations(entity, [{ period: '2004', value: 5 }]),
      );
      expect(report.committed).toBe(true);
      const now = await read.dataVersion();
      expect(seen.has(now)).toBe(false);
      seen.add(now);
      expect(await read.dataVersion()).toBe(now);
    }
  });
});
