// A figure's value in a unit of Sourced's registry, when one fits: the magnitude the text
// wrote ("400 million tons") is kept in the unit when the registry has a unit of that size
// ("million tonnes per year"), and a count or amount the sentence says recurs ("annual",
// "every year") becomes a yearly rate when the registry has that rate.
import { findUnit } from '@/lib/domain/units';
import type { Quantity, QuantityValue } from './quantities';

const MAGNITUDE_WORDS: [RegExp, string, number][] = [
  [/\b(?:thousand|k)\b/i, 'thousand', 1e3],
  [/(?:\bmillion\b|\d\s?(?:m|mn|mln)\b)/i, 'million', 1e6],
  [/(?:\bbillion\b|\d\s?(?:bn|b)\b)/i, 'billion', 1e9],
];

const YEARLY = /\b(?:annual|annually|a year|per year|each year|every year|yearly|per annum)\b/i;

function scale(value: QuantityValue, factor: number): QuantityValue {
  const f = (v: number) => Number((v / factor).toPrecision(15));
  return typeof value === 'number' ? f(value) : { low: f(value.low), high: f(value.high) };
}

/** The registry unit (and the value in it) for a quantity of the sentence. */
export function claimUnit(
  q: Pick<Quantity, 'text' | 'value' | 'unitNormalized'>,
  unit: string | null,
  sentence: string,
): { value: QuantityValue; unit: string | null } {
  if (!unit) return { value: q.value, unit: null };
  const units = [unit];
  if (!/\bper\b/.test(unit) && YEARLY.test(sentence)) units.unshift(`${unit} per year`);
  const magnitude = MAGNITUDE_WORDS.find(([re]) => re.test(q.text));
  for (const u of units) {
    const scaled = magnitude && findUnit(`${magnitude[1]} ${u}`);
    if (scaled) return { value: scale(q.value, magnitude[2]), unit: scaled.name };
    const plain = findUnit(u);
    if (plain && (plain.name === u || u === unit)) return { value: q.value, unit: plain.name };
  }
  return { value: q.value, unit };
}
