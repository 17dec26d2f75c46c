// The extractor's proposals as Sourced hands them on: offsets in code points (as stored
// quotes'), the article's figures as drafts of the claim form's fields, with units the
// indicator accepts, and what is already recorded marked.
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ARTICLE_INDICATORS, OPERAND_INDICATORS } from '@/lib/article/eurasia-daily-monitor-2004';
import {
  codePointOffsets,
  extractionJson,
  extractOptions,
  reviewProposals,
} from '@/lib/claims/proposals';
import { extract } from '@/lib/extract';
import { ARTICLE_TEXT_FILE } from '../support/fixtures';

const article = fs.readFileSync(ARTICLE_TEXT_FILE, 'utf8');
const indicators = [...ARTICLE_INDICATORS, ...OPERAND_INDICATORS];
const extracted = (text: string, date?: string) => extract(text, extractOptions(date, indicators));

describe('offsets', () => {
  it('counts code points, so an emoji before a quote moves it by one, not two', () => {
    const at = codePointOffsets('a😀b😀c');
    expect([0, 1, 3, 4, 6].map(at)).toEqual([0, 1, 2, 3, 4]);
    const text = '😀 Oil news. China will import 50% of its oil by 2010.';
    const { claims } = extractionJson(text, extracted(text));
    const c = claims[0]!;
    expect(Array.from(text).slice(c.quote.start, c.quote.end).join('')).toBe(c.quote.text);
  });
});

describe('the review drafts of the seed article', () => {
  const proposals = reviewProposals(article, extracted(article, '2004-06-29'), {
    documentDate: '2004-06-29',
    indicators,
    recorded: [{ startOffset: 4174, value: 400 }],
  });
  const find = (value: string, quote: string) =>
    proposals.find((p) => p.draft.value === value && p.quote.text.includes(quote))!;

  it('fills the claim form’s fields, in units the indicator takes', () => {
    expect(find('5', 'size of France').draft).toMatchObject({
      indicator: 'territory-vs-france',
      entity: 'KAZ',
      kind: 'reported',
      period: '2004',
      // "times" is the head of the indicator's "times the area of France".
      unit: 'times the area of France',
    });
    expect(find('50', 'oil needs').draft).toMatchObject({ unit: 'percent', period: '2010' });
    expect(find('5', 'only five').draft).toMatchObject({
      entity: 'KAZ',
      speaker: 'the Chinese foreign minister',
      citedOutlet: 'Ak Zhol Kazakstan, June 11',
    });
  });

  it('marks the figure inside the quote and shows the paragraph around it', () => {
    const oil = find('400', '400 million tons');
    expect(Array.from(oil.quote.text).slice(oil.figure.start, oil.figure.end).join('')).toBe(
      '400 million tons',
    );
    expect(oil.context.before).toMatch(/half of its oil needs\.\s*$/);
    expect(oil.recorded).toBe(true);
    expect(find('50', 'oil needs').recorded).toBe(false);
    expect(new Set(proposals.map((p) => p.key)).size).toBe(proposals.length);
  });

  it('puts a range at its middle and says so in the note', () => {
    const text = 'Kazakhstan will produce between 80 and 100 million tonnes of oil a year by 2030.';
    const [p] = reviewProposals(text, extracted(text), { indicators, recorded: [] });
    expect(p!.draft).toMatchObject({ value: '90', note: 'stated as a range, 80–100' });
  });
});
