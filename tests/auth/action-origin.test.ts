// Finding 10 of issue #25: a server action posted from a foreign Origin (a cross-origin
// logout included) got 500 from Next.js's own check. The gate answers 403 first.
import { describe, expect, it } from 'vitest';
import { checkActionOrigin } from '@/lib/web/request-gate';

const post = (headers: Record<string, string>) => ({
  method: 'POST',
  url: '/logout',
  headers: { host: 'sourced.example', 'next-action': 'abc123', ...headers },
});

describe('server actions from another origin', () => {
  it('are refused with 403', () => {
    for (const origin of ['https://evil.example', 'null', 'http://sourced.example.evil', 'x'])
      expect(checkActionOrigin(post({ origin }))?.status, origin).toBe(403);
  });

  it('from this site, or without an Origin, or not actions, pass to Next.js', () => {
    expect(checkActionOrigin(post({ origin: 'https://sourced.example' }))).toBeNull();
    expect(checkActionOrigin(post({}))).toBeNull();
    expect(
      checkActionOrigin({ method: 'POST', url: '/x', headers: { origin: 'https://evil.example' } }),
    ).toBeNull();
    expect(
      checkActionOrigin(
        post({ origin: 'https://proxy.example', 'x-forwarded-host': 'proxy.example' }),
      ),
    ).toBeNull();
  });
});
