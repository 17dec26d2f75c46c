// `npm start`: prepare the embedded database (migrate, load the article's data),
// build the app when the sources changed since the last build, then serve it.
// `npm run dev` does the same preparation and runs the dev server instead.
import { spawnSync, spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const dev = process.argv.includes('--dev');
const port = process.env.PORT || '3000';
process.env.NEXT_TELEMETRY_DISABLED ??= '1';
const nextBin = path.join(root, 'node_modules', 'next', 'dist', 'bin', 'next');

function run(args, what) {
  const result = spawnSync(process.execPath, args, {
    cwd: root,
    stdio: 'inherit',
    env: process.env,
  });
  if (result.status !== 0) {
    console.error(`\n${what} failed (exit ${result.status}).`);
    process.exit(result.status ?? 1);
  }
}

// A fingerprint of everything that goes into the build, so a restart after `git pull`
// rebuilds and a plain restart does not.
function sourceFingerprint() {
  const hash = crypto.createHash('sha256');
  const inputs = ['app', 'lib', 'prisma', 'next.config.js', 'package-lock.json', 'tsconfig.json'];
  const walk = (p) => {
    const stat = fs.statSync(p, { throwIfNoEntry: false });
    if (!stat) return;
    if (stat.isDirectory()) {
      for (const name of fs.readdirSync(p).sort())
        if (name !== 'generated') walk(path.join(p, name));
    } else {
      hash.update(path.relative(root, p));
      hash.update(fs.readFileSync(p));
    }
  };
  inputs.forEach((i) => walk(path.join(root, i)));
  return hash.digest('hex');
}

run(
  [
    '--experimental-wasm-modules',
    '--disable-warning=ExperimentalWarning',
    '--import',
    'tsx',
    'scripts/db.ts',
    'setup',
  ],
  'Preparing the database',
);

if (!dev) {
  const stampFile = path.join(root, '.next', 'sourced-build-fingerprint');
  const fingerprint = sourceFingerprint();
  const built = fs.existsSync(path.join(root, '.next', 'BUILD_ID'));
  if (!built || fs.readFileSync(stampFile, { encoding: 'utf8', flag: 'a+' }) !== fingerprint) {
    console.log('Building the app (first start, or the sources changed)…');
    run([nextBin, 'build'], 'The build');
    fs.writeFileSync(stampFile, fingerprint);
  }
}

// Last, so that the login URL is not scrolled away by the build's output.
run(
  [
    '--experimental-wasm-modules',
    '--disable-warning=ExperimentalWarning',
    '--import',
    'tsx',
    'scripts/db.ts',
    'token',
  ],
  'Preparing the editor token',
);

const child = spawn(process.execPath, [nextBin, dev ? 'dev' : 'start', '-p', port], {
  cwd: root,
  stdio: 'inherit',
  env: process.env,
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code) => process.exit(code ?? 0));
