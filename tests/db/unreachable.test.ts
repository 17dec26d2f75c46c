// Finding 9 of issue #25: when PostgreSQL refused connections, reads and writes answered
// 500, not the README's 503 with Retry-After. Prisma (claims, documents, derivations)
// threw its own P1001, which nothing translated. Every path now gives the one failure
// the routes answer 503 with.
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { createPrismaClient } from '@/lib/db/client';
import { DatabaseUnavailableError, postgresFailure } from '@/lib/db/failures';
import { DatabaseBusyError } from '@/lib/db/errors';

/** A port nothing listens on: connections to it are refused. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((r) => server.close(r));
  return port;
}

describe('a PostgreSQL server that refuses connections', () => {
  it('makes a Prisma read fail as unavailable (503), not with P1001', async () => {
    const db = createPrismaClient(`postgresql://u:p@127.0.0.1:${await closedPort()}/sourced`);
    const error = await db.source.count().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DatabaseUnavailableError);
    expect(error).toBeInstanceOf(DatabaseBusyError);
    await db.$disconnect().catch(() => {});
  });

  it('classifies the driver adapter’s own causes', () => {
    const prisma = (code: string, cause: object) =>
      Object.assign(new Error('x'), { code, meta: { driverAdapterError: { cause } } });
    expect(postgresFailure(prisma('P2010', { kind: 'ConnectionClosed' }))).toBeInstanceOf(
      DatabaseUnavailableError,
    );
    expect(postgresFailure(prisma('P2010', { originalCode: '57P03' }))).toBeInstanceOf(
      DatabaseUnavailableError,
    );
    expect(postgresFailure(prisma('P2010', { originalCode: '40P01' }))).toBeInstanceOf(
      DatabaseBusyError,
    );
    const other = prisma('P2002', { originalCode: '23505' });
    expect(postgresFailure(other)).toBe(other);
  });
});
