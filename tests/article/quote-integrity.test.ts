import crypto from 'node:crypto';
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARTICLE_QUOTES, ARTICLE_SOURCE } from '@/lib/article/eurasia-daily-monitor-2004';
import { checkQuote, sliceByCodePoints } from '@/lib/domain/quote';
import { seedArticle } from '@/lib/article/seed';
import { ARTICLE_TEXT_FILE } from '../support/fixtures';
import { createScratchDb, type ScratchDb } from '../support/scratch-db';

const articleText = fs.readFileSync(ARTICLE_TEXT_FILE, 'utf8');

describe('the article text', () => {
  it('is the document the seed was written against', () => {
    const sha = crypto.createHash('sha256').update(articleText).digest('hex');
    expect(sha).toBe(ARTICLE_SOURCE.contentSha256);
  });
});

describe('quote integrity', () => {
  let scratch: ScratchDb;
  beforeAll(async () => {
    scratch = await createScratchDb();
    await seedArticle(scratch.db);
  });
  afterAll(() => scratch.cleanup());

  it('stores every quote of the seed data', async () => {
    const stored = await scratch.db.quote.findMany();
    expect(stored.map((q) => q.text).sort()).toEqual(
      Object.values(ARTICLE_QUOTES)
        .map((q) => q.text)
        .sort(),
    );
  });

  it('matches the article character for character at every stored offset', async () => {
    const stored = await scratch.db.quote.findMany({ orderBy: { startOffset: 'asc' } });
    expect(stored.length).toBeGreaterThan(0);
    for (const q of stored) {
      expect(sliceByCodePoints(articleText, q.startOffset, q.endOffset), `quote ${q.id}`).toBe(
        q.text,
      );
    }
  });

  it('ties every article observation to a quote that contains its number', async () => {
    const observations = await scratch.db.observation.findMany({ include: { quote: true } });
    expect(observations).toHaveLength(6);
    const words: Record<number, string> = {
      50: 'half',
      400: '400',
      130: '130',
      5: 'five',
      12: '12 million',
    };
    for (const o of observations) {
      expect(o.quote, `observation ${o.id}`).not.toBeNull();
      expect(o.quote!.text).toContain(words[o.value]);
    }
  });

  it('detects a quote whose offsets are off by one', () => {
    const q = ARTICLE_QUOTES['oil-import'];
    expect(checkQuote(articleText, q)).toEqual({ ok: true });
    const shifted = checkQuote(articleText, {
      ...q,
      startOffset: q.startOffset + 1,
      endOffset: q.endOffset + 1,
    });
    expect(shifted.ok).toBe(false);
  });
});
