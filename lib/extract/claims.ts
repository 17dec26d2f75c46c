// Proposed claims: the figures of a text worth recording, each with the verbatim sentence it
// stands in, a value in a registry unit, the indicator it belongs to (or a new one), the
// country, the period, whether it is a projection, and who says it.
//
// Which figures: every quantity with a unit, except small counts of things ("the two
// countries", "three plants"), which are narrative rather than data. A bare number that
// answers an earlier figure of its sentence ("130 people per square kilometer, whereas you
// have only five") takes that figure's unit.
import { citedOutlet, speaker } from './attribution';
import { claimUnit } from './claim-units';
import { assignEntities, lastMention, type Entity } from './entities';
import {
  matchIndicator,
  proposedName,
  type IndicatorChoice,
  type IndicatorHint,
} from './indicators';
import { periodFor } from './periods';
import { sentenceQuantities, type Quantity, type QuantityValue } from './quantities';
import { sentences } from './sentences';
import { findUnit } from '@/lib/domain/units';
import { UNIT_PATTERNS } from './unit-lexicon';

export type { IndicatorHint } from './indicators';

export type ProposedClaim = {
  /** The verbatim sentence, offsets (UTF-16) into the text. */
  quote: { start: number; end: number; text: string };
  value: QuantityValue;
  /** The registry's unit name where one exists. */
  unit: string | null;
  indicator: IndicatorChoice;
  entity: Entity | null;
  period: string | null;
  kind: 'projection' | 'reported';
  speaker: string | null;
  citedOutlet: string | null;
  /** Index of the quantity in `extractQuantities(text)`. */
  quantityIndex: number;
};

export type ClaimOptions = { documentDate?: string; indicators?: IndicatorHint[] };

const MEASURE_UNITS = new Set(UNIT_PATTERNS.map((p) => p.name));
const CONTRAST = /^[\s,;”"]*(?:whereas|while|against|compared with|compared to|versus|vs\.?|but)\b/i;

/** A bare number answering an earlier figure: it takes that figure's unit. */
function inheritUnits(sentence: string, qs: Quantity[]): Quantity[] {
  return qs.map((q, i) => {
    const prev = qs[i - 1];
    if (q.unitNormalized || !prev?.unitNormalized) return q;
    if (!CONTRAST.test(sentence.slice(prev.end, q.start))) return q;
    return { ...q, unit: prev.unit, unitNormalized: prev.unitNormalized };
  });
}

/** Small counts of things ("two countries") are narrative, not data. */
function isNarrativeCount(q: Quantity): boolean {
  const u = q.unitNormalized;
  if (!u || typeof q.value !== 'number') return !u;
  const countNoun = !MEASURE_UNITS.has(u) && !findUnit(u) && !/\bper\b/.test(u);
  return countNoun && Number.isInteger(q.value) && Math.abs(q.value) < 10;
}

// Future tense and forecasting words: the figure is a projection.
const PROJECTION =
  /\b(?:will|would|shall|expected|expects|forecast|forecasts|projected|projects|predicted|predicts|estimated to|is set to|are set to|set to rise|likely to|plans? to|aims? to|could reach|may reach|is to reach)\b/i;

function kindOf(sentence: string, period: string | null, documentDate?: string) {
  if (PROJECTION.test(sentence)) return 'projection';
  const written = documentDate?.slice(0, 4);
  return period && written && period.slice(0, 4) > written ? 'projection' : 'reported';
}

type SentenceContext = {
  text: string;
  start: number;
  fallback: Entity | null;
  quantities: Quantity[];
};

function sentenceClaims(
  s: SentenceContext,
  firstIndex: number,
  options: ClaimOptions,
): ProposedClaim[] {
  const all = inheritUnits(s.text, s.quantities);
  const kept = all.map((q, i) => ({ q, i })).filter(({ q }) => !isNarrativeCount(q));
  const entities = assignEntities(
    s.text,
    kept.map(({ q }) => ({ start: q.start, end: q.end, unit: q.unitNormalized })),
    s.fallback,
  );
  const quote = { start: s.start, end: s.start + s.text.length, text: s.text };
  return kept.map(({ q, i }, k) => {
    const { value, unit } = claimUnit(q, q.unitNormalized, s.text);
    const period = periodFor(s.text, q, options.documentDate);
    const match = matchIndicator(s.text, unit, options.indicators ?? []);
    const noun = q.unit && !MEASURE_UNITS.has(q.unitNormalized ?? '') ? q.unit : null;
    const name = proposedName(s.text, q.end, noun);
    return {
      quote,
      value,
      unit,
      indicator: match ?? { proposed: { name, unit } },
      entity: entities[k] ?? null,
      period,
      kind: kindOf(s.text, period, options.documentDate),
      speaker: speaker(s.text),
      citedOutlet: citedOutlet(s.text),
      quantityIndex: firstIndex + i,
    };
  });
}

/** Claims proposed from the figures of `text`. */
export function proposeClaims(text: string, options: ClaimOptions = {}): ProposedClaim[] {
  const out: ProposedClaim[] = [];
  let quantityIndex = 0;
  let paragraph = -1;
  let fallback: Entity | null = null;
  for (const s of sentences(text)) {
    if (s.paragraph !== paragraph) [paragraph, fallback] = [s.paragraph, null];
    const sentenceText = text.slice(s.start, s.end);
    const quantities = sentenceQuantities(sentenceText);
    const context = { text: sentenceText, start: s.start, fallback, quantities };
    out.push(...sentenceClaims(context, quantityIndex, options));
    quantityIndex += quantities.length;
    fallback = lastMention(sentenceText) ?? fallback;
  }
  return out;
}
