// The one write path for new data: the browser form, the JSON API, the command-line
// import and the seed all end here, with the store passed in (lib/db/client.ts getStore(),
// or lib/store openStore(url)). `previewImport` reports what a write would do;
// `commitImport` makes the same plan inside the store's write transaction and applies
// it, so the preview a user saw and the write that follows obey the same rules.
// The plan is pure (./plan.ts), the report its own module (./report.ts), and the SQL
// lives in the store (lib/store).
import type { ImportMeta } from '../schemas';
import type { Store, StoreWriter } from '../store/types';
import { planImport, writesOf } from './plan';
import { summarize, type ImportReport, type ImportValues } from './report';

export { summarize };

export type { EntityPlan, ImportReport, ImportValues, Problem, ValueChange } from './report';

/** What a write names for the store's locks: the indicators it adds to. */
function slugOf(meta: ImportMeta): string {
  return typeof meta.indicator === 'string' ? meta.indicator : meta.indicator.slug;
}

/** What an import would do, without writing. */
export async function previewImport(
  store: Store,
  meta: ImportMeta,
  input: ImportValues,
): Promise<ImportReport> {
  const { report } = await store.read((reader) => planImport(reader, meta, input, true));
  report.message = summarize(report);
  return report;
}

async function planAndApply(
  tx: StoreWriter,
  meta: ImportMeta,
  input: ImportValues,
  now: Date,
): Promise<ImportReport> {
  const p = await planImport(tx, meta, input, false);
  if (!p.report.ok) return p.report;
  const ids = await tx.apply(writesOf(meta, p), now);
  for (const e of p.report.entities) e.seriesId = ids.get(e.code) ?? e.seriesId;
  return p.report;
}

/** Plans and applies an import in one write transaction; nothing is written unless all of it is. */
export async function commitImport(
  store: Store,
  meta: ImportMeta,
  input: ImportValues,
  now = new Date(),
): Promise<ImportReport> {
  const report = await store.write([slugOf(meta)], (tx) => planAndApply(tx, meta, input, now));
  report.committed = report.ok;
  report.message = summarize(report);
  return report;
}

/**
 * Several imports in one write transaction: all are applied, or, if any has a
 * problem, none is. Each is planned after the previous one is applied, so a later
 * group sees the sources, entities and series an earlier one created.
 */
export async function commitImports(
  store: Store,
  items: { meta: ImportMeta; input: ImportValues }[],
  now = new Date(),
): Promise<ImportReport[]> {
  const reports = await store.write(
    items.map((i) => slugOf(i.meta)),
    async (tx) => {
      const done: ImportReport[] = [];
      for (const { meta, input } of items) {
        const report = await planAndApply(tx, meta, input, now);
        done.push(report);
        // Roll the whole batch back; the reports say which group failed and why.
        if (!report.ok) throw new BatchRejected(done);
      }
      return done;
    },
  );
  for (const r of reports) {
    r.committed = true;
    r.message = summarize(r);
  }
  return reports;
}

export class BatchRejected extends Error {
  constructor(readonly reports: ImportReport[]) {
    super('An import in the batch was rejected; nothing was saved.');
    for (const r of reports) r.message = summarize(r);
  }
}
