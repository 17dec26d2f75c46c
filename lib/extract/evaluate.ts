// Scoring extracted quantities against hand-annotated ones, as in the CQE paper (Almasian et
// al., 2023): a prediction matches a gold quantity when the values agree within 1e-6 relative
// (both ends, for ranges) and, for the stricter score, the normalised units agree too. Each
// gold quantity is matched at most once. Also the fixed development / held-out split.
import type { Quantity, QuantityValue } from './quantities';

export type GoldQuantity = {
  text: string;
  value: QuantityValue;
  unit: string | null;
  change: Quantity['change'];
};
export type GoldSentence = { id: string; text: string; source: string; quantities: GoldQuantity[] };

export type Counts = { tp: number; fp: number; fn: number };
export type Scores = { precision: number; recall: number; f1: number } & Counts;

function close(a: number, b: number): boolean {
  return a === b || Math.abs(a - b) <= 1e-6 * Math.max(Math.abs(a), Math.abs(b));
}

export function sameValue(a: QuantityValue, b: QuantityValue): boolean {
  if (typeof a === 'number' || typeof b === 'number') {
    return typeof a === 'number' && typeof b === 'number' && close(a, b);
  }
  return close(a.low, b.low) && close(a.high, b.high);
}

/** True positives, false positives and false negatives of one sentence. */
export function countMatches(
  predicted: Pick<Quantity, 'value' | 'unitNormalized'>[],
  gold: GoldQuantity[],
  withUnit: boolean,
): Counts {
  const used = new Set<number>();
  let tp = 0;
  for (const p of predicted) {
    const i = gold.findIndex(
      (g, k) =>
        !used.has(k) && sameValue(p.value, g.value) && (!withUnit || p.unitNormalized === g.unit),
    );
    if (i >= 0) {
      used.add(i);
      tp++;
    }
  }
  return { tp, fp: predicted.length - tp, fn: gold.length - tp };
}

export function scores(c: Counts): Scores {
  const precision = c.tp + c.fp === 0 ? 1 : c.tp / (c.tp + c.fp);
  const recall = c.tp + c.fn === 0 ? 1 : c.tp / (c.tp + c.fn);
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { ...c, precision, recall, f1 };
}

export function addCounts(a: Counts, b: Counts): Counts {
  return { tp: a.tp + b.tp, fp: a.fp + b.fp, fn: a.fn + b.fn };
}

/** FNV-1a of the id: a split that does not move when sentences are added or reordered. */
function hash(id: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) {
    h ^= id.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/** The held-out 30%: sentences the extractor's rules were not tuned on. */
export function isHeldOut(id: string): boolean {
  return hash(id) % 10 < 3;
}

export function parseGold(jsonl: string): GoldSentence[] {
  return jsonl
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as GoldSentence);
}
