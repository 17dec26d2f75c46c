import path from 'node:path';
import { defineConfig } from 'vitest/config';

// Browser tests: one production server on a scratch database (tests/e2e/global-setup.ts),
// driven by Debian's Chromium through playwright-core.
export default defineConfig({
  resolve: { alias: { '@': path.resolve(import.meta.dirname) } },
  test: {
    include: ['tests/e2e/**/*.e2e.test.ts'],
    globalSetup: ['tests/e2e/global-setup.ts'],
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 180_000,
  },
});
