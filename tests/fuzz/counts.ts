// The fuzz pass's counts, printed at the end of each file's run for the README.
import { afterAll } from 'vitest';

const counts = new Map<string, number>();
let hooked = false;

export function recordRuns(what: string, runs: number): void {
  counts.set(what, (counts.get(what) ?? 0) + runs);
  if (hooked) return;
  hooked = true;
  afterAll(() => {
    for (const [k, n] of counts) console.log(`fuzz count | ${k} | ${n}`);
  });
}
