// Scores the quantity extractor on tests/fixtures/extract/sentences.jsonl: precision, recall
// and F1 for values and for values with units, on the development split and on the held-out
// split, and the time per sentence (after one warm-up pass, which builds the models).
// Run: node --import tsx scripts/extract-eval.ts
import fs from 'node:fs';
import path from 'node:path';
import { parseGold } from '@/lib/extract/evaluate';
import { evaluateSet, type SplitReport } from '@/lib/extract/evaluate-set';

const file = path.resolve(import.meta.dirname, '../tests/fixtures/extract/sentences.jsonl');
const gold = parseGold(fs.readFileSync(file, 'utf8'));

evaluateSet(gold); // warm-up: the recognizer's model and the country lexicon are built lazily
const report = evaluateSet(gold);

const pct = (x: number) => (100 * x).toFixed(1).padStart(6);
function row(name: string, r: SplitReport) {
  const cells = [r.value, r.valueUnit].flatMap((s) => [s.precision, s.recall, s.f1].map(pct));
  return `${name.padEnd(9)} ${String(r.sentences).padStart(4)} ${cells.join(' ')} ${r.msPerSentence.toFixed(2).padStart(7)}`;
}

console.log('split      sent  val P  val R val F1 v+u P  v+u R v+u F1  ms/sent');
console.log(row('dev', report.dev));
console.log(row('held-out', report.heldOut));
