// Loads the observed outcomes shipped with the project (lib/article/outcomes.ts) through
// the import path every upload takes: valuesFromFile, then commitImports in one
// transaction. A file whose source is already in the database is left alone, whatever
// was done to its series since, so a second run changes nothing and a user's revision of
// a shipped value is never undone.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Store } from '../store/types';
import { OUTCOME_FILES, OUTCOMES_DIR, outcomeImports, type OutcomeFile } from './outcomes';
import {
  BatchRejected,
  commitImports,
  type ImportReport,
  type ImportValues,
} from '../import/import-data';
import { valuesFromFile } from '../import/sources';
import { importMetaSchema, type ImportMeta } from '../schemas';
import { DEFAULT_MAX_ROWS } from '../formats';

export const outcomesDir = path.resolve(import.meta.dirname, '..', '..', ...OUTCOMES_DIR);

export type OutcomeSeedReport = {
  loaded: { file: string; indicator: string; added: number; entities: string[] }[];
  alreadyLoaded: string[];
};

function read(file: OutcomeFile, dir: string): Uint8Array {
  const bytes = fs.readFileSync(path.join(dir, file.file));
  const sha = crypto.createHash('sha256').update(bytes).digest('hex');
  if (sha !== file.sha256)
    throw new Error(
      `${file.file} is not the file as published (SHA-256 ${sha}, expected ${file.sha256}); restore it from git`,
    );
  return bytes;
}

export async function seedOutcomes(
  store: Store,
  options: { dir?: string; now?: Date; files?: OutcomeFile[] } = {},
): Promise<OutcomeSeedReport> {
  const dir = options.dir ?? outcomesDir;
  const report: OutcomeSeedReport = { loaded: [], alreadyLoaded: [] };
  const items: { file: OutcomeFile; meta: ImportMeta; input: ImportValues }[] = [];
  for (const file of options.files ?? OUTCOME_FILES) {
    const metas = outcomeImports(file).map((m) => importMetaSchema.parse(m));
    const { source } = metas[0]!;
    if ((await store.read((r) => r.sourceId(source.title, source.producer))) !== null) {
      report.alreadyLoaded.push(file.file);
      continue;
    }
    // Read once; each entity is its own import of the same values, so that its series
    // carries its own label. Shipped files are not uploads: no upload row limit.
    const input = valuesFromFile(read(file, dir), metas[0]!, { maxRows: DEFAULT_MAX_ROWS });
    for (const meta of metas) items.push({ file, meta, input });
  }
  if (items.length === 0) return report;
  let reports: ImportReport[];
  try {
    reports = await commitImports(store, items, options.now);
  } catch (error) {
    if (!(error instanceof BatchRejected)) throw error;
    const failed = error.reports.at(-1);
    const file = items[error.reports.length - 1]?.file.file;
    const problems = (failed?.errors ?? [])
      .slice(0, 5)
      .map((e) => `row ${e.row ?? '-'}, ${e.column ?? '-'}: ${e.reason}`);
    throw new Error(`Loading ${file} failed; nothing was loaded:\n  ${problems.join('\n  ')}`);
  }
  const byFile = new Map<string, OutcomeSeedReport['loaded'][number]>();
  reports.forEach((r, i) => {
    const { file } = items[i]!;
    let entry = byFile.get(file.file);
    if (!entry) {
      entry = { file: file.file, indicator: r.indicator?.slug ?? '', added: 0, entities: [] };
      byFile.set(file.file, entry);
      report.loaded.push(entry);
    }
    entry.added += r.counts.added;
    entry.entities.push(...r.entities.map((e) => e.code));
  });
  return report;
}
