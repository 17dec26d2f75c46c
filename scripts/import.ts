// `npm run import -- <file>… --indicator <slug> --kind observed --unit <unit>
//   --source-title <title> --producer <name> (--url <url> | --citation <text>) [options]`
// Imports data files through the same write path as the browser and the API. Safe
// to run while the server serves: writes take the database's write lock in turn.
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import { readEnv } from '../lib/db/env';
import { formatProblem } from '../lib/formats';
import { openStore } from '../lib/store';
import { previewFileImport } from '../lib/import/file-import';
import {
  BatchRejected,
  commitImports,
  previewImport,
  type ImportReport,
} from '../lib/import/import-data';
import { groupsFromFullExport, isFullExport } from '../lib/import/full-csv-import';
import { importsFromStream, LOCAL_FILE_LIMITS } from '../lib/import/sources';
import type { WriterPort } from '../lib/import/speculative/import';
import { commitFileAsRead } from '../lib/import/speculative/commit-file';
import type { FromWriter } from '../lib/import/speculative/writer';
import { fieldErrors, importMetaSchema, type ImportMeta } from '../lib/schemas';
import { expandRecipe, saveImportRecipe } from '../lib/import/recipes';
import type { Store } from '../lib/store/types';
import { exitCodeOf, failureOf } from '../lib/api/errors';

const { values: opts, positionals: files } = parseArgs({
  allowPositionals: true,
  options: {
    meta: { type: 'string' },
    indicator: { type: 'string' },
    kind: { type: 'string' },
    recipe: { type: 'string' },
    'save-recipe': { type: 'string' },
    vintage: { type: 'string' },
    unit: { type: 'string' },
    entities: { type: 'string' },
    entity: { type: 'string' },
    period: { type: 'string' },
    label: { type: 'string' },
    format: { type: 'string' },
    'value-column': { type: 'string' },
    mapping: { type: 'string' },
    'create-entities': { type: 'boolean', default: false },
    'source-title': { type: 'string' },
    producer: { type: 'string' },
    url: { type: 'string' },
    citation: { type: 'string' },
    published: { type: 'string' },
    accessed: { type: 'string' },
    license: { type: 'string' },
    'dry-run': { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
});

if (opts.help || files.length === 0) {
  console.log(`Usage: npm run import -- <file>… [options]

Sourced's own full export (data-full.csv, /api/export.csv) needs no options: each row
names its indicator, kind, series and source.

  --meta <file.json>        the same JSON as the API's "meta" part (options below override it)
  --recipe <name|id>        read the file as a saved recipe says (indicator, unit, mapping…),
                            into the recipe's source unless --source-title/--producer name one;
                            the options given override the recipe's
  --save-recipe <name>      once imported, save how the file was read as a recipe of its source
  --vintage separate        when an earlier vintage of the source (a title differing by year or
                            edition) has the series, make a new one instead of revising it
  --indicator <slug>        an existing indicator
  --kind <kind>             observed (default), projection or reported
  --unit <unit>             the unit of the values, e.g. "%" or "people per km²"
  --entities CHN,KAZ        import only these entities of a multi-entity file
  --entity CHN              the entity of a file that names none (FRED, a national office's table)
  --period 2006             the period of a file that names none (a cross-section)
  --label <text>            the series label
  --format <f>              tidy, owid, worldbank, fred, databank, undata, panel or columns
                            (default: detected)
  --value-column <name>     which value column (or series) of the file
  --mapping <json|file>     how to read the columns, as the API's meta.mapping (the import
                            report's file.mapping), e.g. '{"entity":"Land","period":"Jahr","values":["Wert"]}'
  --create-entities         create entities the database does not know yet
  --source-title, --producer, --url, --citation, --published, --accessed, --license
  --dry-run                 report what would change, write nothing`);
  process.exit(files.length === 0 && !opts.help ? 2 : 0);
}

const base: Record<string, unknown> = opts.meta
  ? JSON.parse(fs.readFileSync(opts.meta, 'utf8'))
  : {};
const source = { ...((base.source as object | undefined) ?? {}) } as Record<string, unknown>;
const set = (o: Record<string, unknown>, k: string, v: unknown) => {
  if (v !== undefined) o[k] = v;
};
set(source, 'title', opts['source-title']);
set(source, 'producer', opts.producer);
set(source, 'url', opts.url);
set(source, 'citation', opts.citation);
set(source, 'publishedAt', opts.published);
set(source, 'accessedAt', opts.accessed);
set(source, 'license', opts.license);
set(base, 'indicator', opts.indicator);
set(base, 'kind', opts.kind);
set(base, 'unit', opts.unit);
set(
  base,
  'entities',
  opts.entities?.split(',').map((s) => s.trim()),
);
set(base, 'entity', opts.entity);
set(base, 'period', opts.period);
set(base, 'label', opts.label);
set(base, 'format', opts.format);
set(base, 'valueColumn', opts['value-column']);
if (opts.mapping !== undefined) {
  const text = opts.mapping.trim().startsWith('{')
    ? opts.mapping
    : fs.readFileSync(opts.mapping, 'utf8');
  base.mapping = JSON.parse(text);
}
if (opts['create-entities']) base.createEntities = true;
set(base, 'recipe', opts.recipe);
set(base, 'saveRecipe', opts['save-recipe']);
set(base, 'vintage', opts.vintage);
// A recipe brings its own source: only a source given here overrides it.
if (Object.keys(source).length > 0 || !opts.recipe) base.source = source;

/** The meta, with the recipe it names (if any) read from the database. */
async function readMeta(store: Store) {
  const expanded = await expandRecipe(store, base);
  if (!expanded.ok) {
    for (const e of expanded.errors) console.error(`${e.path}: ${e.message}`);
    process.exit(2);
  }
  expanded.meta.kind ??= 'observed';
  const meta = importMetaSchema.safeParse(expanded.meta);
  if (!meta.success) {
    for (const e of fieldErrors(meta.error)) console.error(`${e.path}: ${e.message}`);
    process.exit(2);
  }
  if (expanded.recipe) console.log(`Recipe “${expanded.recipe.name}” (${expanded.recipe.id}).`);
  return meta.data;
}

function print(file: string, r: ImportReport) {
  console.log(
    `\n${file}: ${r.formatLabel ?? 'unknown format'}, ${r.rowsRead} rows, ${r.valuesRead} values`,
  );
  for (const e of r.entities) {
    console.log(
      `  ${e.code} ${e.name}: ${e.added} new, ${e.changed} revised, ${e.unchanged} unchanged`,
    );
  }
  for (const c of r.changes.slice(0, 20))
    console.log(`  change ${c.entity} ${c.period}: ${c.old} → ${c.new}`);
  if (r.changesTotal > 20) console.log(`  …and ${r.changesTotal - 20} more changes`);
  if (r.file) {
    const f = r.file;
    console.log(
      `  read as ${f.encoding}${f.delimiter ? `, ${JSON.stringify(f.delimiter)}-separated` : ''}${f.sheet ? `, sheet ${JSON.stringify(f.sheet)}` : ''}${f.decimal ? `, decimal ${JSON.stringify(f.decimal)}` : ''}`,
    );
    if (f.mapping) console.log(`  mapping: ${JSON.stringify(f.mapping)}`);
    for (const n of f.names) {
      console.log(
        `  unmatched name: ${JSON.stringify(n.name)} (row ${n.row}${n.candidates.length ? `; could be ${n.candidates.join(', ')}` : ''}): map it with --mapping '{"names":{…}}'`,
      );
    }
  }
  for (const w of r.warnings) console.log(`  warning: ${formatProblem(w)}`);
  for (const e of r.errors) console.error(`  error: ${formatProblem(e)}`);
  console.log(`  ${r.message}`);
}

const url = readEnv().DATABASE_URL;
const db = openStore(url);

// The writer thread: scripts/import-thread.ts, or its bundle beside this one's, which
// scripts/bundled-run.mjs has already started for the first file.
const threadFile = fileURLToPath(import.meta.url).replace(/\.(m?js|ts)$/, '-thread.$1');
const threadKey = Symbol.for('sourced.thread');

/** The writer thread of a speculative import; its failures reach the import as replies. */
function startWriter(): WriterPort {
  const started = (globalThis as Record<symbol, Worker | undefined>)[threadKey];
  delete (globalThis as Record<symbol, Worker | undefined>)[threadKey];
  const worker =
    started ?? new Worker(threadFile, { resourceLimits: { maxYoungGenerationSizeMb: 16 } });
  worker.ref();
  const listeners: ((reply: FromWriter) => void)[] = [];
  const fail = (message: string) => listeners.forEach((l) => l({ type: 'failed', message }));
  worker.on('error', (error) => fail(error.message));
  worker.on('exit', () => fail('the writer thread ended'));
  return {
    postMessage: (message, transfer) => worker.postMessage(message, transfer),
    on: (_event, listener) => {
      listeners.push(listener);
      worker.on('message', listener);
    },
  };
}

/** The first `n` bytes of a file. */
function readStart(file: string, n: number): Buffer {
  const fd = fs.openSync(file, 'r');
  try {
    const buffer = Buffer.alloc(n);
    return buffer.subarray(0, fs.readSync(fd, buffer, 0, n, 0));
  } finally {
    fs.closeSync(fd);
  }
}

async function importFullExport(file: string, text: string): Promise<boolean> {
  const groups = groupsFromFullExport(text);
  if (!groups.ok) {
    for (const p of groups.problems) console.error(`  error: ${formatProblem(p)}`);
    console.error(`${file}: nothing was saved.`);
    return false;
  }
  try {
    const reports = opts['dry-run']
      ? await Promise.all(groups.items.map((g) => previewImport(db, g.meta, g.input)))
      : await commitImports(db, groups.items);
    reports.forEach((r, i) => print(`${file} [${groups.items[i]!.meta.label}]`, r));
    return reports.every((r) => r.ok);
  } catch (error) {
    if (!(error instanceof BatchRejected)) throw error;
    error.reports.forEach((r, i) => print(`${file} [${groups.items[i]!.meta.label}]`, r));
    console.error(`${file}: ${error.message}`);
    return false;
  }
}
let failed = false;
let exitCode: number | undefined;
let meta: ImportMeta | null = null;
try {
  for (const file of files) {
    // A local file the user owns is not an upload: no upload size limit, no row limit.
    const size = fs.statSync(file).size;
    // Sourced's own full export names indicator, kind, series and source on every row.
    if (isFullExport(readStart(file, 4096).toString('utf8'))) {
      failed ||= !(await importFullExport(file, fs.readFileSync(file, 'utf8')));
      continue;
    }
    meta ??= await readMeta(db);
    // Parsed as it is read: the process holds the values, never the whole file. An import
    // that writes starts writing before the file is read (lib/import/speculative/import.ts).
    const report = opts['dry-run']
      ? await previewFileImport(
          db,
          await importsFromStream(
            fs.createReadStream(file, { highWaterMark: 1024 * 1024 }),
            meta,
            size,
            undefined,
            LOCAL_FILE_LIMITS,
          ),
        )
      : await commitFileAsRead(db, file, meta, {
          url,
          connect: fs.existsSync(threadFile) ? startWriter : null,
          limits: LOCAL_FILE_LIMITS,
        });
    if (!opts['dry-run']) await saveImportRecipe(db, meta, report);
    print(file, report);
    failed ||= !report.ok;
  }
} catch (error) {
  // The same failure, in the same words, as the server would answer (lib/api/errors.ts).
  const f = failureOf(error);
  console.error(f.message);
  for (const e of f.errors ?? []) console.error(`  ${e.path}: ${e.message}`);
  exitCode = exitCodeOf(f);
} finally {
  await db.close();
}
process.exit(exitCode ?? (failed ? 1 : 0));
