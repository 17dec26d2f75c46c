// The Content-Security-Policy the request gate gives each page (lib/web/page-nonce.ts):
// a fresh nonce on the request, where Next.js reads it for its scripts, and the same
// policy on the answer; none for requests with a body or for Next.js's static files.
// And the requests that come before the gate is installed: held by the server's preload
// (scripts/listening-servers.mjs), then answered through the gate.
import { spawnSync } from 'node:child_process';
import type http from 'node:http';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { setPagePolicy } from '@/lib/web/page-nonce';

function request(url: string, headers: Record<string, string> = {}) {
  const req = { url, method: 'GET', headers: { host: 'example.org', ...headers } };
  const set: Record<string, string> = {};
  const res = { setHeader: (name: string, value: string) => (set[name.toLowerCase()] = value) };
  setPagePolicy(req as unknown as http.IncomingMessage, res as unknown as http.ServerResponse);
  return { sent: req.headers as Record<string, string>, answered: set };
}

const nonceOf = (policy: string | undefined) => /'nonce-([A-Za-z0-9+/=]+)'/.exec(policy ?? '')?.[1];

describe('setPagePolicy', () => {
  it('gives each page a policy with a nonce of its own, on the request and on the answer', () => {
    const first = request('/indicators/oil?series=1');
    const policy = first.answered['content-security-policy'];
    expect(first.sent['content-security-policy']).toBe(policy);
    expect(nonceOf(policy)).toMatch(/^[A-Za-z0-9+/]{22}==$/);
    expect(policy).toContain("'strict-dynamic'");
    expect(policy).toContain("frame-ancestors 'none'");
    // Plain http without a trusted proxy: no upgrade of the page's own requests.
    expect(policy).not.toContain('upgrade-insecure-requests');
    const second = request('/indicators/oil?series=1');
    expect(nonceOf(second.answered['content-security-policy'])).not.toBe(nonceOf(policy));
  });

  it('lets the pages under /embed be framed', () => {
    expect(request('/embed/indicators/oil?x=1').answered['content-security-policy']).toContain(
      'frame-ancestors *',
    );
    expect(request('/embedded').answered['content-security-policy']).toContain(
      "frame-ancestors 'none'",
    );
  });

  it('leaves requests with a body and Next.js’s static files to next.config.ts', () => {
    for (const r of [
      request('/data/new', { 'content-type': 'multipart/form-data; boundary=x' }),
      request('/_next/static/chunks/app.js'),
      request('/_next/image?url=x'),
      request('/favicon.ico'),
    ]) {
      expect(r.answered).toEqual({});
      expect(r.sent['content-security-policy']).toBeUndefined();
    }
    expect(request('/_next/statics').answered['content-security-policy']).toBeDefined();
  });
});

describe('the server preload', () => {
  it('holds a request that comes before the gate, and answers it through the gate', () => {
    const run = spawnSync(
      process.execPath,
      [
        '--import',
        'tsx',
        '--import',
        './scripts/listening-servers.mjs',
        path.join('tests', 'auth', 'fixtures', 'held-request.ts'),
      ],
      { cwd: path.resolve(__dirname, '../..'), encoding: 'utf8', timeout: 30_000 },
    );
    expect(run.stderr).toBe('');
    const result = JSON.parse(run.stdout) as {
      answeredBeforeGate: boolean;
      status: number;
      policy: string | null;
      seenPolicy: string | null;
    };
    expect(result.answeredBeforeGate).toBe(false);
    expect(result.status).toBe(200);
    // The handler saw the policy the gate put on the request, and the answer carries it.
    expect(nonceOf(result.policy ?? '')).toBeDefined();
    expect(result.seenPolicy).toBe(result.policy);
  });
});
