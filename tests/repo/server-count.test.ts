// How many server processes `npm start` runs (scripts/server-count.mjs): one per core up
// to a ceiling, SOURCED_SERVERS when set, and a refusal of a count that is no count.
import { describe, expect, it } from 'vitest';
import { MAX_DEFAULT_SERVERS, serverCount } from '../../scripts/server-count.mjs';

describe('serverCount', () => {
  it('runs one process per core, up to the ceiling', () => {
    expect(serverCount({ env: {}, cores: 1 })).toBe(1);
    expect(serverCount({ env: {}, cores: 2 })).toBe(2);
    expect(serverCount({ env: {}, cores: 64 })).toBe(MAX_DEFAULT_SERVERS);
    expect(serverCount({ env: { SOURCED_SERVERS: ' ' }, cores: 2 })).toBe(2);
  });

  it('runs what SOURCED_SERVERS asks, beyond the ceiling too', () => {
    expect(serverCount({ env: { SOURCED_SERVERS: '1' }, cores: 8 })).toBe(1);
    expect(serverCount({ env: { SOURCED_SERVERS: '6' }, cores: 2 })).toBe(6);
  });

  it('runs one development server whatever is asked', () => {
    expect(serverCount({ env: { SOURCED_SERVERS: '3' }, cores: 8, dev: true })).toBe(1);
  });

  it.each(['0', 'two', '-1', '1.5', '2x'])('refuses SOURCED_SERVERS=%s, naming it', (asked) => {
    expect(() => serverCount({ env: { SOURCED_SERVERS: asked }, cores: 2 })).toThrow(
      `SOURCED_SERVERS must be a whole number of processes, 1 or more (got "${asked}")`,
    );
  });
});
