import path from 'node:path';
import { z } from 'zod';

// Everything has a default so that `npm install && npm start` needs no .env file.
const envSchema = z.object({
  DATABASE_URL: z
    .string()
    .regex(/^file:.+/, 'DATABASE_URL must be a SQLite URL of the form file:<path>')
    .default('file:./data/sourced.db'),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  SOURCED_ARTICLE_PATH: z.string().optional(),
});

export type Env = z.infer<typeof envSchema>;

export function readEnv(source: Record<string, string | undefined> = process.env): Env {
  const parsed = envSchema.safeParse(source);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid environment:\n  ${problems.join('\n  ')}`);
  }
  return parsed.data;
}

/** The absolute file path behind a `file:` URL, resolved against the working directory. */
export function databaseFile(url: string): string {
  return path.resolve(url.replace(/^file:/, ''));
}
