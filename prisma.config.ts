import { defineConfig } from 'prisma/config';

// The CLI is used only for `prisma generate`; migrations run through scripts/db.mjs.
export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
});
