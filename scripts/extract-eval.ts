// Scores the quantity extractor on its two annotated sets: tests/fixtures/extract/sentences.jsonl
// (written for Sourced, 30% held out) and real-sentences.jsonl (quoted from openly licensed
// published text, 40% held out). For each: precision, recall and F1 for values and for values
// with units, on the development and held-out splits, and the time per sentence (after one
// warm-up pass, which builds the models).
// Run: node --import tsx scripts/extract-eval.ts
import fs from 'node:fs';
import path from 'node:path';
import { parseGold } from '@/lib/extract/evaluate';
import { evaluateSet, type SplitReport } from '@/lib/extract/evaluate-set';

const SETS = [
  { name: 'written', file: 'sentences.jsonl', heldOutTenths: 3 },
  { name: 'real', file: 'real-sentences.jsonl', heldOutTenths: 4 },
];

const pct = (x: number) => (100 * x).toFixed(1).padStart(6);
function row(name: string, r: SplitReport) {
  const cells = [r.value, r.valueUnit].flatMap((s) => [s.precision, s.recall, s.f1].map(pct));
  return `${name.padEnd(17)} ${String(r.sentences).padStart(4)} ${cells.join(' ')} ${r.msPerSentence.toFixed(2).padStart(7)}`;
}

console.log('set / split        sent  val P  val R val F1 v+u P  v+u R v+u F1  ms/sent');
for (const set of SETS) {
  const file = path.resolve(import.meta.dirname, '../tests/fixtures/extract', set.file);
  const gold = parseGold(fs.readFileSync(file, 'utf8'));
  evaluateSet(gold, set.heldOutTenths); // warm-up: the number model and country lexicon are lazy
  const report = evaluateSet(gold, set.heldOutTenths);
  console.log(row(`${set.name} dev`, report.dev));
  console.log(row(`${set.name} held-out`, report.heldOut));
}
