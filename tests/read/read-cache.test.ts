// The read cache (lib/read/cache.ts): one build per key and data version, shared by
// concurrent askers, and a kept value that does not keep the request that built it.
import { AsyncLocalStorage } from 'node:async_hooks';
import v8 from 'node:v8';
import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import { cached, SELECTIONS } from '../../lib/read/cache';
import type { ReadStore } from '../../lib/read/types';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

const storeAt = (version: { v: number }) =>
  ({ dataVersion: async () => version.v }) as unknown as ReadStore;

describe('cached', () => {
  it('builds a key once, for concurrent askers too, until the data version moves', async () => {
    const version = { v: 1 };
    const store = storeAt(version);
    let builds = 0;
    const build = async () => ++builds;
    expect(await Promise.all([1, 2, 3].map(() => cached(store, 'k', build)))).toEqual([1, 1, 1]);
    expect(await cached(store, 'k', build)).toBe(1);
    version.v = 2;
    expect(await cached(store, 'k', build)).toBe(2);
  });

  it('forgets a failed build', async () => {
    const store = storeAt({ v: 1 });
    await expect(cached(store, 'f', () => Promise.reject(new Error('no')))).rejects.toThrow('no');
    expect(await cached(store, 'f', async () => 'again')).toBe('again');
  });

  it('keeps no more entries than its shelf holds, the least recently used leaving first', async () => {
    const store = storeAt({ v: 1 });
    const shelf = { name: 'test-small', maxEntries: 2 };
    let builds = 0;
    const build = async () => ++builds;
    await cached(store, 'a', build, shelf);
    await cached(store, 'b', build, shelf);
    await cached(store, 'a', build, shelf);
    await cached(store, 'c', build, shelf);
    expect(builds).toBe(3);
    expect(await cached(store, 'a', build, shelf)).toBe(1);
    expect(await cached(store, 'b', build, shelf)).toBe(4);
  });

  it('does not keep the async context (the request) its value was built in', async () => {
    // Each request runs in AsyncLocalStorage stores (Next.js's, React's), and a promise
    // made in them keeps them: a kept promise kept the whole finished request.
    const requestStorage = new AsyncLocalStorage<{ page: number[] }>();
    const store = storeAt({ v: 1 });
    let request: WeakRef<object> | undefined;
    await (async () => {
      const context = { page: new Array<number>(100_000).fill(1) };
      request = new WeakRef(context);
      await requestStorage.run(context, () =>
        cached(store, 'view', async () => ({ points: [1, 2] }), SELECTIONS),
      );
    })();
    await new Promise((resolve) => setImmediate(resolve));
    gc();
    expect(request!.deref()).toBeUndefined();
    // The value is still kept.
    expect(await cached(store, 'view', async () => ({ points: [] }))).toEqual({ points: [1, 2] });
  });
});
