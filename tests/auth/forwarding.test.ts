import { describe, expect, it } from 'vitest';
import { clientAddress, normalizeAddress, publicOrigin, requestOrigin } from '@/lib/web/forwarding';

const h = (headers: Record<string, string>) => new Headers(headers);

describe('clientAddress', () => {
  it('takes the socket address Next.js put in X-Forwarded-For when no proxy is trusted', () => {
    expect(clientAddress(h({ 'x-forwarded-for': '127.0.0.1' }), 0)).toBe('127.0.0.1');
    expect(clientAddress(h({ 'x-forwarded-for': '::ffff:10.1.2.3' }), 0)).toBe('10.1.2.3');
    expect(clientAddress(h({}), 0)).toBe('unknown');
  });

  it('takes the entry the outermost trusted proxy appended', () => {
    // The client wrote "1.1.1.1" itself; the proxy appended the address it saw.
    const chain = h({ 'x-forwarded-for': '1.1.1.1, 203.0.113.5' });
    expect(clientAddress(chain, 1)).toBe('203.0.113.5');
    const twoHops = h({ 'x-forwarded-for': '1.1.1.1, 203.0.113.5, 10.0.0.2' });
    expect(clientAddress(twoHops, 2)).toBe('203.0.113.5');
    // Fewer entries than proxies: the leftmost is the best there is.
    expect(clientAddress(h({ 'x-forwarded-for': '203.0.113.5' }), 3)).toBe('203.0.113.5');
  });

  it('reads Node.js header objects too', () => {
    expect(clientAddress({ 'x-forwarded-for': '198.51.100.1' }, 0)).toBe('198.51.100.1');
  });
});

describe('normalizeAddress', () => {
  it('keys IPv6 addresses by their /64, so one network cannot rotate past the throttle', () => {
    expect(normalizeAddress('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64');
    expect(normalizeAddress('2001:0db8:0001:0002:ffff:1:2:3')).toBe('2001:db8:1:2::/64');
    expect(normalizeAddress('[2001:db8:1:2::9]:443')).toBe('2001:db8:1:2::/64');
    expect(normalizeAddress('::1')).toBe('0:0:0:0::/64');
    expect(normalizeAddress('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
  });

  it('drops ports from IPv4 and unwraps IPv4-mapped IPv6', () => {
    expect(normalizeAddress('203.0.113.5:51234')).toBe('203.0.113.5');
    expect(normalizeAddress('::FFFF:203.0.113.5')).toBe('203.0.113.5');
  });
});

describe('requestOrigin', () => {
  it('uses Host, and X-Forwarded-Host/-Proto only from a trusted proxy', () => {
    const headers = h({
      host: 'internal:3000',
      'x-forwarded-host': 'evil.example',
      'x-forwarded-proto': 'https',
    });
    expect(requestOrigin(headers, 'http://localhost:3000/x', 0)).toBe('http://internal:3000');
    expect(requestOrigin(headers, 'http://localhost:3000/x', 1)).toBe('https://evil.example');
  });

  it('refuses a Host that is not a host', () => {
    for (const host of ['evil.example/path', 'a@evil.example', 'a b', 'evil.example:99999x'])
      expect(requestOrigin(h({ host }), undefined, 0)).toBeNull();
    expect(requestOrigin(h({ host: '[::1]:3000' }), undefined, 0)).toBe('http://[::1]:3000');
  });
});

describe('publicOrigin', () => {
  it('prefers SOURCED_PUBLIC_URL, then the address the request was made to', () => {
    const headers = h({ host: 'sourced.example.org' });
    expect(publicOrigin(headers, 'http://localhost:3000/x', {})).toBe('http://sourced.example.org');
    expect(
      publicOrigin(headers, 'http://localhost:3000/x', {
        SOURCED_PUBLIC_URL: 'https://data.example.org/',
      }),
    ).toBe('https://data.example.org');
    expect(publicOrigin(h({}), 'http://localhost:3000/x', {})).toBe('http://localhost:3000');
  });
});
