import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { authErrorResponse, authorizeRequest } from '@/lib/web/auth';
import {
  DEFAULT_THROTTLE,
  LoginThrottle,
  SharedLoginThrottle,
  describeWait,
  type ThrottleChannel,
  type ThrottleEvent,
  loginThrottle,
  throttledMessage,
} from '@/lib/web/login-throttle';

function clock(start = 1_000_000) {
  let t = start;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

/** Server processes joined as the cluster's primary joins them: each hears the others. */
function processes(count: number, now: () => number) {
  const handlers: ((event: ThrottleEvent) => void)[] = [];
  return Array.from({ length: count }, (_, i) => {
    const channel: ThrottleChannel = {
      send: (event) => handlers.forEach((h, j) => j !== i && h(structuredClone(event))),
      listen: (handler) => void (handlers[i] = handler),
    };
    return new SharedLoginThrottle(channel, DEFAULT_THROTTLE, now);
  });
}

describe('SharedLoginThrottle', () => {
  it('counts a wrong token in every process, so several give an address no more tries', () => {
    const c = clock();
    const [a, b, third] = processes(3, c.now);
    // The free tries, spread over the processes as connections are.
    for (let i = 0; i < DEFAULT_THROTTLE.freeFailures; i++) [a, b, third][i % 3]!.fail('5.6.7.8');
    const wait = a!.fail('5.6.7.8');
    expect(wait).toBe(DEFAULT_THROTTLE.baseDelayMs);
    for (const p of [a, b, third])
      expect(p!.check('5.6.7.8')).toEqual({ allowed: false, retryAfterMs: wait });
    expect(b!.check('9.9.9.9')).toEqual({ allowed: true });
  });

  it('lets a right token in one process start the address afresh in all', () => {
    const c = clock();
    const [a, b] = processes(2, c.now);
    for (let i = 0; i <= DEFAULT_THROTTLE.freeFailures; i++) a!.fail('5.6.7.8');
    expect(b!.check('5.6.7.8').allowed).toBe(false);
    c.advance(DEFAULT_THROTTLE.baseDelayMs);
    b!.succeed('5.6.7.8');
    expect(a!.size).toBe(0);
    expect(b!.size).toBe(0);
  });
});

describe('LoginThrottle', () => {
  it('lets a few wrong tokens through, then doubles the wait each time, up to a ceiling', () => {
    const c = clock();
    const throttle = new LoginThrottle(DEFAULT_THROTTLE, c.now);
    const waits: number[] = [];
    for (let i = 0; i < 16; i++) {
      expect(throttle.check('1.2.3.4')).toEqual({ allowed: true });
      const wait = throttle.fail('1.2.3.4');
      waits.push(wait);
      if (wait > 0) {
        expect(throttle.check('1.2.3.4')).toEqual({ allowed: false, retryAfterMs: wait });
        c.advance(wait - 1);
        expect(throttle.check('1.2.3.4').allowed).toBe(false);
        c.advance(1);
      }
    }
    expect(waits.slice(0, 5)).toEqual([0, 0, 0, 0, 0]);
    expect(waits.slice(5, 10)).toEqual([1000, 2000, 4000, 8000, 16000]);
    // Never more than five minutes: a slow guesser, never a locked-out editor.
    expect(Math.max(...waits)).toBe(5 * 60_000);
    expect(waits.at(-1)).toBe(5 * 60_000);
  });

  it('throttles each address on its own', () => {
    const c = clock();
    const throttle = new LoginThrottle(DEFAULT_THROTTLE, c.now);
    for (let i = 0; i < 8; i++) throttle.fail('203.0.113.9');
    expect(throttle.check('203.0.113.9').allowed).toBe(false);
    expect(throttle.check('198.51.100.7')).toEqual({ allowed: true });
  });

  it('forgets an address after a quiet hour, and after a right token', () => {
    const c = clock();
    const throttle = new LoginThrottle(DEFAULT_THROTTLE, c.now);
    for (let i = 0; i < 7; i++) throttle.fail('a');
    c.advance(60 * 60_000 + 1);
    expect(throttle.check('a')).toEqual({ allowed: true });
    expect(throttle.fail('a')).toBe(0);

    for (let i = 0; i < 7; i++) throttle.fail('b');
    c.advance(10 * 60_000);
    throttle.succeed('b');
    expect(throttle.fail('b')).toBe(0);
  });

  it('remembers a bounded number of addresses', () => {
    const throttle = new LoginThrottle({ ...DEFAULT_THROTTLE, maxEntries: 100 });
    for (let i = 0; i < 1000; i++) throttle.fail(`10.0.${i >> 8}.${i & 255}`);
    expect(throttle.size).toBe(100);
  });

  it('says how long to wait in words', () => {
    expect(describeWait(1)).toBe('1 second');
    expect(describeWait(4000)).toBe('4 seconds');
    expect(describeWait(64_000)).toBe('64 seconds');
    expect(describeWait(5 * 60_000)).toBe('5 minutes');
    expect(throttledMessage(2500)).toBe(
      'Too many wrong tokens from your address. Wait 3 seconds, then try again.',
    );
  });
});

describe('the Bearer check of the API', () => {
  const TOKEN = 'throttle-test-token-0123456789';
  const saved = process.env.SOURCED_EDITOR_TOKEN;
  beforeEach(() => {
    process.env.SOURCED_EDITOR_TOKEN = TOKEN;
  });
  afterEach(() => {
    if (saved === undefined) delete process.env.SOURCED_EDITOR_TOKEN;
    else process.env.SOURCED_EDITOR_TOKEN = saved;
  });

  const post = (token: string, address: string) =>
    new Request('http://localhost:3000/api/series', {
      method: 'POST',
      headers: {
        host: 'localhost:3000',
        'content-type': 'application/json',
        authorization: `Bearer ${token}`,
        'x-forwarded-for': address,
      },
    });

  it('is throttled like the login form, with a Retry-After', async () => {
    const address = '192.0.2.77';
    for (let i = 0; i < DEFAULT_THROTTLE.freeFailures; i++)
      expect(await authorizeRequest(post('wrong-token-xxxxxxxx', address))).toMatchObject({
        status: 401,
      });
    expect(await authorizeRequest(post('wrong-token-xxxxxxxx', address))).toMatchObject({
      status: 401,
    });
    // Now even the right token waits, or the wait would not slow a guesser down.
    const refused = await authorizeRequest(post(TOKEN, address));
    expect(refused).toMatchObject({ ok: false, status: 429 });
    if (refused.ok) throw new Error('unreachable');
    const response = authErrorResponse(refused);
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('1');
    expect((await response.json()).error).toMatch(/^Too many wrong tokens/);
    // Another address is not affected.
    expect(await authorizeRequest(post(TOKEN, '192.0.2.78'))).toEqual({ ok: true, via: 'bearer' });
    loginThrottle().succeed(address);
    expect(await authorizeRequest(post(TOKEN, address))).toEqual({ ok: true, via: 'bearer' });
  });
});
