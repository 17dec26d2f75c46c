// The extractor's output as Sourced hands it on: offsets in Unicode code points (as every
// stored quote's are; the extractor counts UTF-16 units), the API's answer, and for the
// review step each proposed claim as a draft of the manual claim form's fields. Pure: the
// caller passes the text, the indicators and what is already recorded.
import type { Extraction, IndicatorHint, ProposedClaim, QuantityValue } from '../extract';
import { conversionTo, normalizeUnit } from '../domain/units';

export type IndicatorOption = {
  slug: string;
  title: string;
  unitLong: string;
  unitShort: string;
  description?: string | null;
};

/** UTF-16 offsets of `text` to code points; the identity when the text has no astral characters. */
export function codePointOffsets(text: string): (utf16: number) => number {
  if (!/[\uD800-\uDFFF]/.test(text)) return (i) => i;
  const map = new Uint32Array(text.length + 1);
  let cp = 0;
  for (let i = 0; i < text.length; i++) {
    map[i] = cp;
    const c = text.charCodeAt(i);
    // The low half of a pair shares its code point with the high half.
    if (!(c >= 0xd800 && c <= 0xdbff && i + 1 < text.length)) cp++;
    else {
      map[i + 1] = cp;
      i++;
      cp++;
    }
  }
  map[text.length] = cp;
  return (i) => map[i]!;
}

export const indicatorHints = (indicators: IndicatorOption[]): IndicatorHint[] =>
  indicators.map((i) => ({
    slug: i.slug,
    name: i.title,
    unit: i.unitLong,
    description: i.description ?? null,
  }));

/** What the extractor is asked: the document's date and the indicators to match. */
export const extractOptions = (
  documentDate: string | undefined,
  indicators: IndicatorOption[],
) => ({
  documentDate,
  indicators: indicatorHints(indicators),
});

/** The answer of `POST /api/extract`: quantities and proposed claims, offsets in code points. */
export function extractionJson(text: string, { quantities, claims }: Extraction) {
  const at = codePointOffsets(text);
  return {
    quantities: quantities.map((q) => ({
      start: at(q.start),
      end: at(q.end),
      text: q.text,
      value: q.value,
      unit: q.unit,
      unitNormalized: q.unitNormalized,
      change: q.change,
    })),
    claims: claims.map((c) => ({
      quote: { start: at(c.quote.start), end: at(c.quote.end), text: c.quote.text },
      value: c.value,
      unit: c.unit,
      indicator: c.indicator,
      entity: c.entity,
      period: c.period,
      kind: c.kind,
      speaker: c.speaker,
      citedOutlet: c.citedOutlet,
      quantity: c.quantityIndex,
    })),
  };
}

/** The manual claim form's fields, filled from a proposal; every one stays editable. */
export type ClaimDraft = {
  indicator: string;
  entity: string;
  entityName: string;
  kind: 'projection' | 'reported';
  period: string;
  value: string;
  unit: string;
  speaker: string;
  attribution: string;
  citedOutlet: string;
  note: string;
};

export type ReviewProposal = {
  /** Stable while the stored text is: where the quote and figure are, and the figure's value. */
  key: string;
  quote: { text: string; start: number; end: number };
  /** The figure's place inside the quote, in code points from the quote's start. */
  figure: { start: number; end: number; text: string };
  /** The text around the quote within its paragraph, shortened to about 200 characters a side. */
  context: { before: string; after: string };
  /** The extractor's choice: an indicator and its score, or a new one it would name. */
  match: { slug: string; score: number } | { proposed: { name: string; unit: string | null } };
  draft: ClaimDraft;
  /** A claim with this quote and value is already recorded. */
  recorded: boolean;
};

const CONTEXT_CHARS = 200;

function contextOf(chars: string[], start: number, end: number) {
  let before = chars.slice(Math.max(0, start - CONTEXT_CHARS), start).join('');
  let after = chars.slice(end, end + CONTEXT_CHARS).join('');
  const para = before.lastIndexOf('\n');
  if (para >= 0) before = before.slice(para + 1);
  else if (start > CONTEXT_CHARS) before = `…${before.replace(/^\S*\s/, '')}`;
  const next = after.indexOf('\n');
  if (next >= 0) after = after.slice(0, next);
  else if (end + CONTEXT_CHARS < chars.length) after = `${after.replace(/\s\S*$/, '')}…`;
  return { before, after };
}

/** The figure as a number the form takes; a range is put at its middle (and says so in the note). */
function valueOf(value: QuantityValue): { value: string; note: string } {
  if (typeof value === 'number') return { value: String(value), note: '' };
  const mid = Number(((value.low + value.high) / 2).toPrecision(12));
  return { value: String(mid), note: `stated as a range, ${value.low}–${value.high}` };
}

/**
 * The unit to record the figure in: the figure's own when it converts to the indicator's;
 * the indicator's when the figure's is the head of it ("percent" for "percent of oil needs",
 * "times" for "times the area of France"); otherwise the figure's, for the editor to see
 * (recording refuses a unit that does not convert, naming it).
 */
function unitFor(unit: string | null, indicator: IndicatorOption | undefined): string {
  if (!unit) return '';
  if (!indicator) return unit;
  const own = { long: indicator.unitLong, short: indicator.unitShort };
  if (conversionTo(unit, own).ok) return unit;
  const head = normalizeUnit(unit);
  if (normalizeUnit(indicator.unitLong).startsWith(`${head} `)) return indicator.unitLong;
  return unit;
}

function draftOf(c: ProposedClaim, indicators: IndicatorOption[], documentDate?: string) {
  const slug = 'slug' in c.indicator ? c.indicator.slug : '';
  const indicator = indicators.find((i) => i.slug === slug);
  const { value, note } = valueOf(c.value);
  const draft: ClaimDraft = {
    indicator: slug,
    entity: c.entity?.code ?? '',
    entityName: c.entity?.name ?? '',
    kind: c.kind,
    period: c.period ?? documentDate?.slice(0, 4) ?? '',
    value,
    unit: unitFor(c.unit, indicator),
    speaker: c.speaker ?? '',
    attribution: '',
    citedOutlet: c.citedOutlet ?? '',
    note,
  };
  return draft;
}

export type RecordedClaim = { startOffset: number; value: number };

/** Every proposed claim of a stored document, as drafts for the review step. */
export function reviewProposals(
  text: string,
  { quantities, claims }: Extraction,
  options: { documentDate?: string; indicators: IndicatorOption[]; recorded: RecordedClaim[] },
): ReviewProposal[] {
  const at = codePointOffsets(text);
  const chars = Array.from(text);
  return claims.map((c) => {
    const start = at(c.quote.start);
    const end = at(c.quote.end);
    const q = quantities[c.quantityIndex];
    const figureStart = q ? at(q.start) : start;
    const figureEnd = q ? at(q.end) : start;
    const draft = draftOf(c, options.indicators, options.documentDate);
    return {
      key: `${start}:${figureStart}:${draft.value}`,
      quote: { text: c.quote.text, start, end },
      figure: { start: figureStart - start, end: figureEnd - start, text: q?.text ?? '' },
      context: contextOf(chars, start, end),
      match: c.indicator,
      draft,
      recorded: options.recorded.some(
        (r) => r.startOffset === start && String(r.value) === draft.value,
      ),
    };
  });
}
