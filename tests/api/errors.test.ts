// One failure type from the store to the response (issue #25's structure piece): every
// error a request can meet goes through one table, and each audience (route handlers,
// server actions, the command line) gets the same status, message and field errors.
import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import {
  exitCodeOf,
  failureOf,
  failureOfOutcome,
  failureResponse,
  formFailure,
  RequestFailure,
  withFailures,
} from '@/lib/api/errors';
import { DatabaseBusyError, DiskFullError } from '@/lib/db/errors';
import {
  DatabaseUnavailableError,
  SQLITE_CANNOT_OPEN_MESSAGE,
  sqliteOpenFailure,
} from '@/lib/db/failures';
import { WriteRefused } from '@/lib/documents/writes';
import { PayloadTooLargeError } from '@/lib/write/payload-too-large';
import { outcomeValue } from '@/lib/write/write-queue';

const refused = new WriteRefused(409, [{ path: 'unit', message: 'the series records %' }]);
const zod = z.object({ value: z.number() }).safeParse({ value: 'x' }).error!;

describe('the failure table', () => {
  it('gives each failure one status, message and field errors', () => {
    const rows = [
      [new PayloadTooLargeError(1024 * 1024), 413, 'too-large'],
      [zod, 400, 'invalid'],
      [refused, 409, 'refused'],
      [new WriteRefused(404, [{ path: 'source', message: 'no source 9' }]), 404, 'not-found'],
      [new DiskFullError(), 507, 'disk-full'],
      [new DatabaseUnavailableError(), 503, 'unavailable'],
      [new DatabaseBusyError(), 503, 'busy'],
      [new Error('a bug'), 500, 'failed'],
    ] as const;
    for (const [error, status, kind] of rows) {
      const f = failureOf(error);
      expect([f.status, f.kind], String(error)).toEqual([status, kind]);
    }
    expect(failureOf(zod).errors).toEqual([{ path: 'value', message: expect.any(String) }]);
    expect(failureOf(new Error('secret stack')).message).toBe(
      'The write failed; nothing was saved.',
    );
  });

  it('answers JSON, with Retry-After on a 503 and the field errors on a 4xx', async () => {
    const busy = failureResponse(failureOf(new DatabaseBusyError()));
    expect(busy.status).toBe(503);
    expect(busy.headers.get('Retry-After')).toBe('2');
    const no = failureResponse(failureOf(refused));
    expect(await no.json()).toEqual({
      error: 'The request was refused; nothing was saved.',
      errors: [{ path: 'unit', message: 'the series records %' }],
    });
  });

  it('is the same whether the failure happened here or on the write worker', () => {
    const outcomes = [
      { ok: false, kind: 'busy', message: new DatabaseBusyError().message },
      { ok: false, kind: 'disk-full', message: new DiskFullError().message },
      { ok: false, kind: 'refused', status: 409, errors: refused.errors },
    ] as const;
    const here = [new DatabaseBusyError(), new DiskFullError(), refused].map(failureOf);
    expect(outcomes.map((o) => failureOfOutcome(o))).toEqual(here);
    const thrown = (() => {
      try {
        outcomeValue(outcomes[2]);
      } catch (e) {
        return e;
      }
    })();
    expect(thrown).toBeInstanceOf(RequestFailure);
    expect(failureOf(thrown)).toEqual(here[2]);
  });

  it('wraps a route handler so that nothing it throws is a bare 500 or a crash', async () => {
    const handler = withFailures(async (kind: string) => {
      if (kind === 'busy') throw new DatabaseBusyError();
      if (kind === 'refused') throw refused;
      return new Response('ok');
    });
    expect((await handler('busy')).status).toBe(503);
    expect((await handler('refused')).status).toBe(409);
    expect((await handler('fine')).status).toBe(200);
  });

  it('tells a reader what to do, not that nothing was saved', async () => {
    const handler = withFailures(async (kind: string): Promise<Response> => {
      if (kind === 'unavailable') throw new DatabaseUnavailableError();
      if (kind === 'busy') throw new DatabaseBusyError();
      if (kind === 'no-file')
        throw sqliteOpenFailure(Object.assign(new Error('x'), { code: 'SQLITE_CANTOPEN' }));
      throw new Error('a bug');
    });
    // A SQLite file that cannot be opened says so, not that a server is out of reach.
    const noFile = await handler('no-file');
    expect(noFile.status).toBe(503);
    expect(await noFile.json()).toEqual({ error: SQLITE_CANNOT_OPEN_MESSAGE });
    const unavailable = await handler('unavailable');
    expect(unavailable.status).toBe(503);
    expect(unavailable.headers.get('retry-after')).toBe('2');
    expect(await unavailable.json()).toEqual({
      error: 'The database server cannot be reached right now. Try again shortly.',
    });
    expect(await (await handler('busy')).json()).toEqual({
      error: 'The database is too busy to answer right now. Try again shortly.',
    });
    const bug = await handler('bug');
    expect(bug.status).toBe(500);
    expect(await bug.json()).toEqual({
      error: 'Something went wrong on the server. Try again shortly.',
    });
  });

  it('gives forms field errors or one message, and the command line an exit code', () => {
    expect(formFailure(refused)).toEqual({ errors: refused.errors, error: null });
    expect(formFailure(new DiskFullError())).toEqual({
      errors: [],
      error: new DiskFullError().message,
    });
    expect(exitCodeOf(failureOf(refused))).toBe(65);
    expect(exitCodeOf(failureOf(new DatabaseBusyError()))).toBe(75);
    expect(exitCodeOf(failureOf(new DiskFullError()))).toBe(74);
  });
});
