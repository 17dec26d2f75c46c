/** The slice of `text` between code-point offsets [start, end). */
export function sliceByCodePoints(text: string, start: number, end: number): string {
  return Array.from(text).slice(start, end).join('');
}

export type QuoteCheck = { ok: true } | { ok: false; expected: string; found: string };

/** Whether a stored quote is exactly the source text at its stored offsets. */
export function checkQuote(
  sourceText: string,
  quote: { text: string; startOffset: number; endOffset: number },
): QuoteCheck {
  const found = sliceByCodePoints(sourceText, quote.startOffset, quote.endOffset);
  return found === quote.text ? { ok: true } : { ok: false, expected: quote.text, found };
}

/** Length in Unicode code points, the unit of every stored offset. */
export function codePointLength(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

export type Located = { ok: true; start: number; end: number } | { ok: false; reason: string };

/**
 * Where a quote sits in a document's text, in code points. With `start`, the text there
 * must be the quote exactly; without, the quote must occur once (otherwise `start` says
 * which occurrence is meant).
 */
export function locateQuote(text: string, quote: string, start?: number): Located {
  if (quote.length === 0) return { ok: false, reason: 'the quote is empty' };
  const length = codePointLength(quote);
  if (start !== undefined) {
    const found = sliceByCodePoints(text, start, start + length);
    return found === quote
      ? { ok: true, start, end: start + length }
      : {
          ok: false,
          reason: `the document’s text at offset ${start} is “${found}”, not the quote`,
        };
  }
  const hits: number[] = [];
  for (let i = text.indexOf(quote); i !== -1; i = text.indexOf(quote, i + 1)) hits.push(i);
  if (hits.length === 0)
    return {
      ok: false,
      reason: 'the quote does not occur in the document’s text: copy it exactly, or select it',
    };
  if (hits.length > 1)
    return {
      ok: false,
      reason: `the quote occurs ${hits.length} times in the document’s text: give startOffset to say which`,
    };
  const from = codePointLength(text.slice(0, hits[0]));
  return { ok: true, start: from, end: from + length };
}

export type Sentence = { text: string; start: number; end: number };

/**
 * The document's sentences with their code-point offsets, trimmed of surrounding space,
 * for picking the one that makes a claim.
 */
export function splitSentences(text: string): Sentence[] {
  const out: Sentence[] = [];
  const segmenter = new Intl.Segmenter('en', { granularity: 'sentence' });
  let offset = 0; // code points before the current segment
  for (const { segment } of segmenter.segment(text)) {
    const lead = codePointLength(segment) - codePointLength(segment.trimStart());
    const body = segment.trim();
    if (body) {
      const start = offset + lead;
      out.push({ text: body, start, end: start + codePointLength(body) });
    }
    offset += codePointLength(segment);
  }
  return out;
}
