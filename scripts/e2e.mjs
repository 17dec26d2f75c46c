// `npm run test:e2e [-- <vitest options or test files>]`: the browser tests against the
// production build, which is made first when there is none or the sources changed
// since it was made. `npm test` runs the same tests after its other checks.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { buildIfNeeded } from './build.mjs';

const root = path.resolve(import.meta.dirname, '..');

buildIfNeeded();
const result = spawnSync(
  path.join(root, 'node_modules', '.bin', 'vitest'),
  ['run', '-c', 'vitest.e2e.config.ts', ...process.argv.slice(2)],
  { cwd: root, stdio: 'inherit', env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' } },
);
process.exit(result.status ?? 1);
