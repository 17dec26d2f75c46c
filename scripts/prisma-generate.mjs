// Runs `prisma generate` for each store (SQLite and PostgreSQL; see prisma/providers.mjs)
// without letting the CLI fetch its native schema engine: generate never uses that
// engine, but the CLI insists that one exists, and this machine cannot download it.
// Any executable satisfies the check.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { PROVIDERS, writeSchema } from '../prisma/providers.mjs';

const require = createRequire(import.meta.url);
const cli = require.resolve('prisma/build/index.js');
for (const provider of Object.keys(PROVIDERS)) {
  const schema = writeSchema(provider);
  const result = spawnSync(process.execPath, [cli, 'generate', '--schema', schema], {
    stdio: 'inherit',
    env: {
      ...process.env,
      PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? process.execPath,
      PRISMA_HIDE_UPDATE_MESSAGE: '1',
      CHECKPOINT_DISABLE: '1',
    },
  });
  if (result.status !== 0) process.exit(result.status ?? 1);
}
