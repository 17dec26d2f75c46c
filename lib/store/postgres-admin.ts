// Creating and dropping whole PostgreSQL databases: for scratch databases (tests,
// new migrations, benchmarks) and for `db:copy` targets. Plain Node, no server-only.
import crypto from 'node:crypto';
import pg from 'pg';

/** The URL of another database on the same server as `url`. */
export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${encodeURIComponent(database)}`;
  return u.toString();
}

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/**
 * Creates an empty database on the server of `serverUrl` and returns its URL. C
 * collation: text sorts by code point, as in SQLite, so both stores list alike.
 */
export async function createDatabase(serverUrl: string, name: string): Promise<string> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(
      `CREATE DATABASE ${quoteIdent(name)} TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'`,
    );
  } finally {
    await client.end();
  }
  return withDatabase(serverUrl, name);
}

/** Drops a database, closing whatever connections are still open on it. */
export async function dropDatabase(serverUrl: string, name: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`);
  } finally {
    await client.end();
  }
}

/** A fresh, uniquely named database for a test, a migration diff or a benchmark. */
export async function createScratchDatabase(
  serverUrl: string,
  prefix = 'sourced_scratch',
): Promise<{ url: string; name: string; drop: () => Promise<void> }> {
  const name = `${prefix}_${Date.now().toString(36)}_${crypto.randomBytes(4).toString('hex')}`;
  const url = await createDatabase(serverUrl, name);
  return { url, name, drop: () => dropDatabase(serverUrl, name) };
}
