// Finding 9 of issue #25 (NUL and lone surrogates answered 500 on PostgreSQL and 201 or
// 404 on SQLite) and finding 10's "publishedAt: 2020-13-45 is stored": text and dates are
// checked at the edge, the same on both stores.
import { describe, expect, it } from 'vitest';
import { documentInputSchema, claimInputSchema } from '@/lib/claims/schemas';
import { fieldErrors, importMetaSchema, sourceInputSchema } from '@/lib/schemas';
import { isRealDate, textProblem } from '@/lib/domain/text';
import { loadIndicatorView } from '@/lib/views/indicator';
import { DEFAULT_VIEW } from '@/lib/domain/chart-view';
import type { ReadStore } from '@/lib/read';

const HOSTILE = ['a\u0000b', '\u0000', 'x\uD800', '\uDC00y', 'ok\uDBFF\uDBFFok'];

describe('text both stores keep alike', () => {
  it('has no NUL and no lone surrogate; pairs, RTL marks and emoji are fine', () => {
    for (const s of HOSTILE) expect(textProblem(s), JSON.stringify(s)).not.toBeNull();
    for (const s of ['', 'Côte d’Ivoire', '\u200Fعربي', '😀', 'a\uD83D\uDE00b'])
      expect(textProblem(s)).toBeNull();
  });

  it('is refused in every text field of a write, naming the field', () => {
    const source = { title: 'T', producer: 'P', url: 'https://example.org' };
    for (const bad of HOSTILE) {
      const meta = importMetaSchema.safeParse({
        indicator: 'x',
        kind: 'observed',
        unit: '%',
        source: { ...source, title: bad },
      });
      expect(meta.success).toBe(false);
      expect(fieldErrors(meta.error!).map((e) => e.path)).toContain('source.title');
      const doc = documentInputSchema.safeParse({
        title: 'T',
        publisher: 'P',
        publishedAt: '2020',
        text: `some ${bad} text`,
      });
      expect(fieldErrors(doc.error!).map((e) => e.path)).toEqual(['text']);
      const claim = claimInputSchema.safeParse({
        source: 1,
        quote: { text: bad },
        indicator: 'x',
        entity: 'CHN',
        kind: 'projection',
        period: '2020',
        value: 1,
      });
      expect(fieldErrors(claim.error!).map((e) => e.path)).toEqual(['quote.text']);
    }
  });

  it('names no indicator: 404 without asking the store', async () => {
    const store = new Proxy({} as ReadStore, {
      get() {
        throw new Error('the store was asked');
      },
    });
    for (const slug of HOSTILE)
      expect(await loadIndicatorView(slug, DEFAULT_VIEW, {}, store)).toBeNull();
  });
});

describe('dates in the calendar', () => {
  it('refuses month 13 and day 45, accepts leap days', () => {
    expect(isRealDate('2020-13-45')).toBe(false);
    expect(isRealDate('2021-02-29')).toBe(false);
    expect(isRealDate('2020-02-29')).toBe(true);
    expect(isRealDate('2020-00')).toBe(false);
    expect(isRealDate('2020')).toBe(true);
    const doc = documentInputSchema.safeParse({
      title: 'T',
      publisher: 'P',
      publishedAt: '2020-13-45',
      text: 'x',
    });
    expect(fieldErrors(doc.error!)).toEqual([
      {
        path: 'publishedAt',
        message: 'is not a date in the calendar (month 01–12, a day the month has)',
      },
    ]);
    const src = sourceInputSchema.safeParse({
      title: 'T',
      producer: 'P',
      url: 'https://example.org',
      publishedAt: '2020-02-30',
    });
    expect(src.success).toBe(false);
  });
});
