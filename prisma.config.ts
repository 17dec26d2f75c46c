import { defineConfig } from 'prisma/config';

// The CLI is used only for `prisma generate` (scripts/prisma-generate.mjs, once per store);
// migrations run through scripts/db.ts and lib/db/migrate.ts.
export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
});
