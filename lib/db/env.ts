import { z } from 'zod';
import { POSTGRES_URL } from './database-url';

export {
  databaseFile,
  databaseProvider,
  describeDatabase,
  redactUrl,
  type DatabaseProvider,
} from './database-url';

const TRUST_PROXY_MESSAGE =
  'SOURCED_TRUST_PROXY must be 0 (no proxy), or the number of reverse proxies in front of the server';

// Everything has a default so that `npm install && npm start` needs no .env file.
const envSchema = z.object({
  DATABASE_URL: z
    .string()
    .trim()
    .refine(
      (url) => /^file:.+/.test(url) || POSTGRES_URL.test(url),
      'DATABASE_URL must be file:<path> (SQLite) or postgresql://user:password@host:port/database',
    )
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
  /** Connections each server process may hold on PostgreSQL (its pool size). */
  SOURCED_PG_POOL_SIZE: z.coerce.number().int().min(2).max(200).default(10),
  /**
   * How long a PostgreSQL write waits for another write to the same indicator before
   * answering 503 (SQLite's equivalent is its busy timeout).
   */
  SOURCED_PG_LOCK_TIMEOUT_MS: z.coerce.number().int().min(1).max(600_000).default(15_000),
  /**
   * A PostgreSQL server (URL of any database on it) where scratch databases may be
   * created: when set, the tests run on PostgreSQL, and `db:migration` and the bench
   * use it for their PostgreSQL half.
   */
  TEST_DATABASE: z
    .string()
    .trim()
    .regex(POSTGRES_URL, 'TEST_DATABASE must be a postgresql:// URL')
    .optional()
    .or(z.literal('').transform(() => undefined)),
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

/** `next dev` (NODE_ENV is set by Next.js itself, and inlined at build time). */
export function isDevelopment(): boolean {
  return process.env.NODE_ENV === 'development';
}
