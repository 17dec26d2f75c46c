import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  ARTICLE_INDICATORS,
  ARTICLE_QUOTES,
  OPERAND_INDICATORS,
  type ArticleQuoteKey,
} from '@/lib/article/eurasia-daily-monitor-2004';
import { extract, type ProposedClaim } from '@/lib/extract';
import { ARTICLE_TEXT_FILE } from '../support/fixtures';

const text = fs.readFileSync(ARTICLE_TEXT_FILE, 'utf8');
// The caller passes the indicators the database holds: the article's and its operands'.
const indicators = [...ARTICLE_INDICATORS, ...OPERAND_INDICATORS].map((i) => ({
  slug: i.slug,
  name: i.title,
  unit: i.unitLong,
  description: i.description,
}));
const { quantities, claims } = extract(text, { documentDate: '2004-06-29', indicators });

type Expected = {
  quote: ArticleQuoteKey;
  value: number;
  unit: string;
  slug: string;
  entity: string;
  period: string;
  kind: 'projection' | 'reported';
};

// Values, units, slugs and entities as the hand-entered seed (lib/article/…) records them.
const EXPECTED: Expected[] = [
  { quote: 'oil-import', value: 50, unit: 'percent', slug: 'oil-import-share', entity: 'CHN', period: '2010', kind: 'projection' },
  { quote: 'oil-consumption', value: 400, unit: 'million tonnes per year', slug: 'oil-consumption', entity: 'CHN', period: '2020', kind: 'projection' },
  { quote: 'migration', value: 12, unit: 'million people per year', slug: 'rural-urban-migration', entity: 'CHN', period: '2004', kind: 'reported' },
  { quote: 'territory', value: 5, unit: 'times', slug: 'territory-vs-france', entity: 'KAZ', period: '2004', kind: 'reported' },
  { quote: 'density', value: 130, unit: 'people per km²', slug: 'population-density', entity: 'CHN', period: '2004', kind: 'reported' },
  { quote: 'density', value: 5, unit: 'people per km²', slug: 'population-density', entity: 'KAZ', period: '2004', kind: 'reported' },
];

function claimFor(e: Expected): ProposedClaim {
  const found = claims.filter(
    (c) => c.quote.text === ARTICLE_QUOTES[e.quote].text && c.value === e.value,
  );
  expect(found, `${e.quote} ${e.value}`).toHaveLength(1);
  return found[0]!;
}

describe('the seed article', () => {
  it.each(EXPECTED)('proposes $quote = $value $unit', (e) => {
    const c = claimFor(e);
    const q = ARTICLE_QUOTES[e.quote];
    expect(c.quote).toEqual({ start: q.startOffset, end: q.endOffset, text: q.text });
    expect(text.slice(c.quote.start, c.quote.end)).toBe(q.text);
    expect(c.unit).toBe(e.unit);
    expect('slug' in c.indicator && c.indicator.slug).toBe(e.slug);
    expect(c.entity?.code).toBe(e.entity);
    expect(c.period).toBe(e.period);
    expect(c.kind).toBe(e.kind);
    expect(c.speaker).toBe(q.speaker);
    expect(c.citedOutlet).toBe(q.citedOutlet);
  });

  it('proposes at most two other claims, none of them a date or an issue number', () => {
    const expected = claims.filter((c) =>
      EXPECTED.some((e) => c.quote.text === ARTICLE_QUOTES[e.quote].text && c.value === e.value),
    );
    expect(expected).toHaveLength(6);
    expect(claims.length - expected.length).toBeLessThanOrEqual(2);
    for (const c of claims) expect(c.value).not.toBe(43);
  });

  it('points each claim at its quantity, whose text lies inside the quote', () => {
    for (const c of claims) {
      const q = quantities[c.quantityIndex]!;
      expect(text.slice(q.start, q.end)).toBe(q.text);
      expect(q.start).toBeGreaterThanOrEqual(c.quote.start);
      expect(q.end).toBeLessThanOrEqual(c.quote.end);
    }
  });

  it('takes no day of the month, year or issue number for a quantity', () => {
    const values = quantities.map((q) => q.value);
    for (const v of [17, 20, 25, 29, 24, 11, 2010, 2020, 43]) expect(values).not.toContain(v);
  });

  it('names the indicators by score and the entities by name', () => {
    const density = claimFor(EXPECTED[4]!);
    expect(density.entity).toEqual({ code: 'CHN', name: 'China' });
    expect('score' in density.indicator && density.indicator.score).toBeGreaterThan(0.5);
  });

  it('proposes new indicators when the caller has none', () => {
    const bare = extract(text, { documentDate: '2004-06-29' }).claims;
    expect(bare).toHaveLength(claims.length);
    const oil = bare.find((c) => c.value === 50)!;
    expect(oil.indicator).toEqual({ proposed: { name: 'oil needs', unit: 'percent' } });
  });
});
