// What a DATABASE_URL names, apart from lib/db/env.ts (which reads the environment with zod) so
// that the command-line import's writer thread starts without loading zod.
import path from 'node:path';

/** The two stores: an embedded SQLite file, or a PostgreSQL server. */
export type DatabaseProvider = 'sqlite' | 'postgresql';

export const POSTGRES_URL = /^postgres(?:ql)?:\/\/.+/;

/** Which store a DATABASE_URL names. */
export function databaseProvider(url: string): DatabaseProvider {
  return POSTGRES_URL.test(url) ? 'postgresql' : 'sqlite';
}

/** The absolute file path behind a `file:` URL, resolved against the working directory. */
export function databaseFile(url: string): string {
  if (databaseProvider(url) !== 'sqlite') throw new Error(`${redactUrl(url)} is not a SQLite file`);
  return path.resolve(url.replace(/^file:/, ''));
}

/** The URL without its password, for messages and logs. */
export function redactUrl(url: string): string {
  return url.replace(/^(postgres(?:ql)?:\/\/[^:/@]+:)[^@]*@/, '$1***@');
}

/** What a message calls the database: the file, or the server and database name. */
export function describeDatabase(url: string): string {
  if (databaseProvider(url) === 'sqlite') return databaseFile(url);
  try {
    const u = new URL(url);
    return `PostgreSQL database "${decodeURIComponent(u.pathname.slice(1))}" on ${u.host}`;
  } catch {
    return redactUrl(url);
  }
}
