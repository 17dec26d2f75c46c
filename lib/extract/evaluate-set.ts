// Runs the extractor over an annotated set and scores each split (used by the dev-set test and
// scripts/extract-eval.ts), timing the extraction of each sentence.
import {
  addCounts,
  countMatches,
  isHeldOut,
  scores,
  type Counts,
  type GoldSentence,
  type Scores,
} from './evaluate';
import { extractQuantities } from './quantities';

export type SplitReport = {
  sentences: number;
  value: Scores;
  valueUnit: Scores;
  msPerSentence: number;
};

const ZERO: Counts = { tp: 0, fp: 0, fn: 0 };

export function evaluateSplit(gold: GoldSentence[]): SplitReport {
  let value = ZERO;
  let valueUnit = ZERO;
  let ms = 0;
  for (const g of gold) {
    const t0 = performance.now();
    const predicted = extractQuantities(g.text);
    ms += performance.now() - t0;
    value = addCounts(value, countMatches(predicted, g.quantities, false));
    valueUnit = addCounts(valueUnit, countMatches(predicted, g.quantities, true));
  }
  return {
    sentences: gold.length,
    value: scores(value),
    valueUnit: scores(valueUnit),
    msPerSentence: gold.length ? ms / gold.length : 0,
  };
}

/** Scores of the development split (tuned on) and the held-out split (never tuned on). */
export function evaluateSet(gold: GoldSentence[]): { dev: SplitReport; heldOut: SplitReport } {
  return {
    dev: evaluateSplit(gold.filter((g) => !isHeldOut(g.id))),
    heldOut: evaluateSplit(gold.filter((g) => isHeldOut(g.id))),
  };
}
