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
