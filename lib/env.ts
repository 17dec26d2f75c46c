import path from 'node:path';
import { z } from 'zod';

const TRUST_PROXY_MESSAGE =
  'SOURCED_TRUST_PROXY must be 0 (no proxy), or the number of reverse proxies in front of the server';

// Everything has a default so that `npm install && npm start` needs no .env file.
const envSchema = z.object({
  DATABASE_URL: z
    .string()
    .regex(/^file:.+/, 'DATABASE_URL must be a SQLite URL of the form file:<path>')
    .default('file:./data/sourced.db'),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  SOURCED_ARTICLE_PATH: z.string().optional(),
  // How many reverse proxies stand in front of the server and set X-Forwarded-For,
  // -Host and -Proto. 0 (the default): those headers come from the client, who can
  // write anything in them, so they are ignored.
  SOURCED_TRUST_PROXY: z.preprocess(
    (v) => (v === undefined || v === '' || v === 'false' ? 0 : v === 'true' ? 1 : Number(v)),
    z.number().int(TRUST_PROXY_MESSAGE).min(0, TRUST_PROXY_MESSAGE).max(10, TRUST_PROXY_MESSAGE),
  ),
  // The address readers use, e.g. https://sourced.example.org, for links in downloads
  // and banners; without it they use the address each request was made to.
  SOURCED_PUBLIC_URL: z.preprocess(
    (v) => (v === '' ? undefined : v),
    z
      .url({ protocol: /^https?$/, error: 'SOURCED_PUBLIC_URL must be an http(s) URL' })
      .transform((v) => new URL(v).origin)
      .optional(),
  ),
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

/** `next dev` (NODE_ENV is set by Next.js itself, and inlined at build time). */
export function isDevelopment(): boolean {
  return process.env.NODE_ENV === 'development';
}
