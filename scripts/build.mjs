// The production build, made only when its sources changed since the last one: used by
// `npm start`, `npm run test:e2e` and `npm test` (which always builds, with --force, and
// records what it built so the next start does not build again).
// `node scripts/build.mjs [--force]`
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const nextBin = path.join(root, 'node_modules', 'next', 'dist', 'bin', 'next');
const stampFile = path.join(root, '.next', 'sourced-build-fingerprint');

// A fingerprint of everything that goes into the build, so a restart after `git pull`
// rebuilds and a plain restart does not.
export function sourceFingerprint() {
  const hash = crypto.createHash('sha256');
  const inputs = [
    'app',
    'lib',
    'prisma',
    'next.config.ts',
    'instrumentation.ts',
    'package-lock.json',
    'tsconfig.json',
  ];
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

/** Whether `.next` holds a build of the current sources. */
export function isBuildCurrent(fingerprint = sourceFingerprint()) {
  if (!fs.existsSync(path.join(root, '.next', 'BUILD_ID'))) return false;
  return fs.existsSync(stampFile) && fs.readFileSync(stampFile, 'utf8') === fingerprint;
}

/** Runs `next build` when needed (or always, with force); exits the process if it fails. */
export function buildIfNeeded({ force = false, reason = 'the sources changed' } = {}) {
  const fingerprint = sourceFingerprint();
  if (!force && isBuildCurrent(fingerprint)) return false;
  if (!force) console.log(`Building the app (no build yet, or ${reason})…`);
  const result = spawnSync(process.execPath, [nextBin, 'build'], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: process.env.NEXT_TELEMETRY_DISABLED ?? '1' },
  });
  if (result.status !== 0) {
    console.error(`\nThe build failed (exit ${result.status ?? result.signal}).`);
    process.exit(result.status || 1);
  }
  fs.writeFileSync(stampFile, fingerprint);
  return true;
}

if (process.argv[1] && path.resolve(process.argv[1]) === import.meta.filename) {
  buildIfNeeded({ force: process.argv.includes('--force') });
}
