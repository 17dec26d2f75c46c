import { describe, expect, it } from 'vitest';
import { checkQuote, locateQuote, splitSentences } from '@/lib/domain/quote';

const doc =
  'Outlook 2030. Demand in China 🚢 will reach 800 million tonnes by 2030.\nImports grow. Imports grow.';

describe('finding a quote in a document', () => {
  it('computes code-point offsets that the stored-quote check accepts', () => {
    const quote = 'Demand in China 🚢 will reach 800 million tonnes by 2030.';
    const r = locateQuote(doc, quote);
    expect(r).toEqual({ ok: true, start: 14, end: 14 + Array.from(quote).length });
    if (r.ok)
      expect(checkQuote(doc, { text: quote, startOffset: r.start, endOffset: r.end })).toEqual({
        ok: true,
      });
    // Text after the emoji: code points, not UTF-16 units.
    const after = locateQuote(doc, 'Imports grow. Imports');
    expect(after.ok && after.start).toBe(Array.from(doc).indexOf('\n') + 1);
  });

  it('refuses a quote that is not there, or is ambiguous, and checks a given offset', () => {
    expect(locateQuote(doc, 'Demand in India')).toMatchObject({ ok: false });
    expect(locateQuote(doc, 'Imports grow.')).toMatchObject({
      ok: false,
      reason: expect.stringContaining('2 times'),
    });
    const second = Array.from(doc).length - 'Imports grow.'.length;
    expect(locateQuote(doc, 'Imports grow.', second)).toEqual({
      ok: true,
      start: second,
      end: second + 13,
    });
    expect(locateQuote(doc, 'Imports grow.', 3)).toMatchObject({ ok: false });
  });

  it('splits a document into sentences with offsets', () => {
    const s = splitSentences(doc);
    expect(s.map((x) => x.text)).toEqual([
      'Outlook 2030.',
      'Demand in China 🚢 will reach 800 million tonnes by 2030.',
      'Imports grow.',
      'Imports grow.',
    ]);
    for (const x of s)
      expect(checkQuote(doc, { text: x.text, startOffset: x.start, endOffset: x.end })).toEqual({
        ok: true,
      });
  });
});
