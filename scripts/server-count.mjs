// How many server processes `npm start` runs (scripts/serve-cluster.mjs). A Node server
// renders pages on one thread, so ten readers asking for views never seen before wait on
// one core while the others idle: on this project's 2-core bench machine one process
// answered new indicator pages at 194–299 ms p50, two at 131–203 ms. So the default is
// one process per core, at most MAX_DEFAULT_SERVERS: each process holds its own caches
// and heap (about 350–400 MB at 1M observations), and past a few the memory grows
// faster than a small host's readers need. SOURCED_SERVERS sets the count (1 for a
// single process, the least memory).

export const MAX_DEFAULT_SERVERS = 4;

/**
 * The server processes to run: SOURCED_SERVERS when it is a whole number ≥ 1, else one
 * per core up to MAX_DEFAULT_SERVERS. The development server is always one process.
 * Throws on a SOURCED_SERVERS that is set but is no such number, so a typo is not
 * silently read as the default.
 *
 * @param {{ env?: Record<string, string | undefined>; cores: number; dev?: boolean }} options
 * @returns {number}
 */
export function serverCount({ env = process.env, cores, dev = false }) {
  if (dev) return 1;
  const asked = env.SOURCED_SERVERS?.trim();
  if (asked !== undefined && asked !== '') {
    if (!/^[1-9][0-9]*$/.test(asked))
      throw new Error(
        `SOURCED_SERVERS must be a whole number of processes, 1 or more (got "${asked}").`,
      );
    return Number(asked);
  }
  return Math.max(1, Math.min(MAX_DEFAULT_SERVERS, Math.floor(cores)));
}
