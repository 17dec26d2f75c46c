// The PostgreSQL pool with the project's limits, apart from lib/db/connections.ts so that what
// only uses SQLite (the command-line import's writer thread) starts without loading pg.
import pg from 'pg';
import { readEnv } from './env';
import { postgresFailure } from './failures';

/** A PostgreSQL pool with the project's limits: a bounded wait for a connection, UTC sessions. */
export function createPgPool(url: string, max = readEnv().SOURCED_PG_POOL_SIZE): pg.Pool {
  const pool = new pg.Pool({
    connectionString: url,
    max,
    connectionTimeoutMillis: 10_000,
    idleTimeoutMillis: 30_000,
    // Timestamps are `timestamp without time zone` holding UTC, as Prisma writes them;
    // floats are sent in their shortest exact form (the default since PostgreSQL 12), so
    // every value reads back as the double that was written, whatever the server's setting.
    options: '-c TimeZone=UTC -c extra_float_digits=1',
  });
  // An idle connection the server dropped (restart, failover) is replaced on next use;
  // without a listener its error would end the process. So would the error of a
  // connection that is checked out but between queries (a download waiting for its
  // reader): its next query fails instead, and the failure is answered there.
  pool.on('error', () => {});
  pool.on('connect', (client) => client.on('error', () => {}));
  // A connection that cannot be had (server down, full, or the pool's wait over) is
  // noted for the request that asked, which then answers 503 (lib/db/failures.ts):
  // Prisma's reads share this pool and would otherwise answer 500.
  const connect = pool.connect.bind(pool) as (
    callback?: (error: Error | undefined, ...rest: unknown[]) => void,
  ) => Promise<pg.PoolClient> | undefined;
  pool.connect = ((callback?: (error: Error | undefined, ...rest: unknown[]) => void) => {
    if (callback)
      return connect((error, ...rest) => {
        if (error) postgresFailure(error);
        callback(error, ...rest);
      });
    return connect()!.catch((error: unknown) => {
      postgresFailure(error);
      throw error;
    });
  }) as typeof pool.connect;
  return pool;
}
