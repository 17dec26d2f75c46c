// `node scripts/bundled-run.mjs <entry.ts> [args…]` runs a TypeScript script as one
// JavaScript bundle, made by esbuild and kept in node_modules/.cache/sourced until one of
// its sources changes. Started through tsx instead, the command-line import spent about
// 0.7 s before reading its first byte (a loader thread transpiling and resolving some sixty
// modules, one round trip each); from the bundle it starts in about 0.1 s.
// Packages stay outside the bundle, loaded from node_modules as usual, except JSON files
// (country names), which Node 20 imports only with an import attribute.
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const root = path.resolve(import.meta.dirname, '..');
const cacheDir = path.join(root, 'node_modules', '.cache', 'sourced');

/** Whether the bundle was made after every file it was made from last changed. */
function fresh(bundle, manifest) {
  try {
    const { inputs } = JSON.parse(fs.readFileSync(manifest, 'utf8'));
    const made = fs.statSync(bundle).mtimeMs;
    return inputs.every((file) => fs.statSync(path.join(root, file)).mtimeMs < made);
  } catch {
    return false;
  }
}

async function build(entry, bundle, manifest) {
  const esbuild = await import('esbuild');
  const external = {
    name: 'packages-external',
    setup(b) {
      b.onResolve({ filter: /^[^./]/ }, (args) =>
        args.path.endsWith('.json') ? undefined : { path: args.path, external: true },
      );
    },
  };
  const result = await esbuild.build({
    entryPoints: [entry],
    absWorkingDir: root,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    tsconfig: path.join(root, 'tsconfig.json'),
    plugins: [external],
    write: false,
    metafile: true,
    logLevel: 'warning',
  });
  fs.mkdirSync(cacheDir, { recursive: true });
  // Written under a temporary name, then renamed: a second process never runs half a file.
  const tmp = `${bundle}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, result.outputFiles[0].contents);
  fs.writeFileSync(
    `${manifest}.${process.pid}.tmp`,
    JSON.stringify({ inputs: Object.keys(result.metafile.inputs) }),
  );
  fs.renameSync(`${manifest}.${process.pid}.tmp`, manifest);
  fs.renameSync(tmp, bundle);
}

const [entryArg] = process.argv.splice(2, 1);
if (!entryArg) {
  console.error('Usage: node scripts/bundled-run.mjs <entry.ts> [args…]');
  process.exit(2);
}
const entry = path.resolve(entryArg);
const name = path
  .relative(root, entry)
  .replace(/[\\/]/g, '__')
  .replace(/\.[cm]?tsx?$/, '');
// An entry's worker thread is the file beside it named `<entry>-thread.ts`, bundled beside the
// entry's bundle as `<name>-thread.mjs`. It is started here, before the entry is loaded, so
// that the two load side by side (the entry's packages take about 0.2 s), and left for the
// entry to take as `globalThis[Symbol.for('sourced.thread')]` (scripts/import.ts does);
// unreferenced, a thread the entry does not take never keeps the process alive.
const thread = entry.replace(/(\.[cm]?tsx?)$/, '-thread$1');
const bundles = [[entry, name]];
if (fs.existsSync(thread)) bundles.push([thread, `${name}-thread`]);
for (const [source, out] of bundles) {
  const bundle = path.join(cacheDir, `${out}.mjs`);
  const manifest = path.join(cacheDir, `${out}.inputs.json`);
  if (!fresh(bundle, manifest)) await build(source, bundle, manifest);
}
if (bundles.length > 1) {
  const { Worker } = await import('node:worker_threads');
  // Threads stream batches: a small young generation keeps their memory down.
  const worker = new Worker(path.join(cacheDir, `${name}-thread.mjs`), {
    resourceLimits: { maxYoungGenerationSizeMb: 16 },
  });
  worker.unref();
  const key = Symbol.for('sourced.thread');
  globalThis[key] = worker;
  // A thread that fails before the entry takes it is not left to be taken: the entry starts
  // another, whose failure it then hears of.
  worker.on('error', () => {});
  worker.once('exit', () => {
    if (globalThis[key] === worker) delete globalThis[key];
  });
}
await import(pathToFileURL(path.join(cacheDir, `${name}.mjs`)).href);
