import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { countMatches, isHeldOut, parseGold } from '@/lib/extract/evaluate';
import { evaluateSet } from '@/lib/extract/evaluate-set';
import { FIXTURES } from '../support/fixtures';

const gold = parseGold(fs.readFileSync(path.join(FIXTURES, 'extract', 'sentences.jsonl'), 'utf8'));
const report = evaluateSet(gold);

describe('the development set', () => {
  it('has at least 150 sentences with unique ids, some of them with no quantity', () => {
    expect(gold.length).toBeGreaterThanOrEqual(150);
    expect(new Set(gold.map((g) => g.id)).size).toBe(gold.length);
    expect(gold.filter((g) => g.quantities.length === 0).length).toBeGreaterThanOrEqual(15);
    for (const g of gold) for (const q of g.quantities) expect(g.text).toContain(q.text);
  });

  it('holds out about 30% of it', () => {
    const share = gold.filter((g) => isHeldOut(g.id)).length / gold.length;
    expect(share).toBeGreaterThan(0.25);
    expect(share).toBeLessThan(0.4);
  });

  // Floors a little under the scores reached (scripts/extract-eval.ts prints them).
  it.each([
    ['dev', report.dev, 0.97, 0.96],
    ['held-out', report.heldOut, 0.95, 0.92],
  ] as const)('%s split: value F1 and value+unit F1 above their floors', (_, r, value, valueUnit) => {
    expect(r.value.f1).toBeGreaterThanOrEqual(value);
    expect(r.valueUnit.f1).toBeGreaterThanOrEqual(valueUnit);
    expect(r.value.precision).toBeGreaterThanOrEqual(value - 0.02);
    expect(r.value.recall).toBeGreaterThanOrEqual(value - 0.02);
  });
});

describe('matching', () => {
  const gold1 = [{ text: '5 t', value: 5, unit: 'tonnes', change: '=' as const }];
  it('matches values within 1e-6 relative and units exactly', () => {
    expect(countMatches([{ value: 5.000001, unitNormalized: 'tonnes' }], gold1, true).tp).toBe(1);
    expect(countMatches([{ value: 5.1, unitNormalized: 'tonnes' }], gold1, false).tp).toBe(0);
    expect(countMatches([{ value: 5, unitNormalized: 'kg' }], gold1, true)).toEqual({ tp: 0, fp: 1, fn: 1 });
    expect(countMatches([{ value: 5, unitNormalized: 'kg' }], gold1, false).tp).toBe(1);
  });

  it('matches each gold quantity once, and ranges by both ends', () => {
    const two = [{ value: 5, unitNormalized: 'tonnes' }, { value: 5, unitNormalized: 'tonnes' }];
    expect(countMatches(two, gold1, true)).toEqual({ tp: 1, fp: 1, fn: 0 });
    const range = [{ text: '1-2', value: { low: 1, high: 2 }, unit: null, change: '=' as const }];
    expect(countMatches([{ value: { low: 1, high: 2 }, unitNormalized: null }], range, true).tp).toBe(1);
    expect(countMatches([{ value: { low: 1, high: 3 }, unitNormalized: null }], range, true).tp).toBe(0);
    expect(countMatches([{ value: 2, unitNormalized: null }], range, false).tp).toBe(0);
  });
});
