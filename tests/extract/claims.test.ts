import { describe, expect, it } from 'vitest';
import { proposeClaims } from '@/lib/extract';
import { citedOutlet, speaker } from '@/lib/extract/attribution';
import { periodFor } from '@/lib/extract/periods';

const DOC = { documentDate: '2004-06-29' };

function one(text: string, options = {}) {
  const claims = proposeClaims(text, { ...DOC, ...options });
  expect(claims, JSON.stringify(claims)).toHaveLength(1);
  return claims[0]!;
}

describe('periods', () => {
  const at = (text: string, figure: string) => {
    const start = text.indexOf(figure);
    return periodFor(text, { start, end: start + figure.length }, DOC.documentDate);
  };
  it.each([
    ['By 2010 imports will cover 50% of demand.', '50%', '2010'],
    ['Output was 5 tonnes in 2004.', '5 tonnes', '2004'],
    ['Output was 5 tonnes in June 2004.', '5 tonnes', '2004-06'],
    ['Output was 5 tonnes on 3 June 2004.', '5 tonnes', '2004-06-03'],
    ['Some 12 million move every year.', '12 million', '2004'],
    ['Exports rose 5% last year.', '5%', '2003'],
    ['Output of 5 tonnes in 1998 rose to 9 tonnes in 2003.', '9 tonnes', '2003'],
  ])('%s', (text, figure, period) => {
    expect(at(text, figure)).toBe(period);
  });

  it('is null without a year or a document date', () => {
    expect(periodFor('We have 130 people per km².', { start: 8, end: 11 }, undefined)).toBeNull();
  });
});

describe('kind', () => {
  it.each([
    ['China will import 50% of its oil.', 'projection'],
    ['Consumption is expected to reach 400 million tons.', 'projection'],
    ['Consumption reached 400 million tons by 2020.', 'projection'],
    ['Consumption reached 400 million tons in 2003.', 'reported'],
  ])('%s → %s', (text, kind) => {
    expect(one(text).kind).toBe(kind);
  });
});

describe('speakers and cited outlets', () => {
  it.each([
    ['As the Chinese foreign minister commented, “We have 130.”', 'the Chinese foreign minister'],
    ['The statistics office said output grew 2%.', 'The statistics office'],
    ['Output grew 2%, according to the IEA.', 'the IEA'],
    ['Output grew 2%, the UN says.', 'the UN'],
    ['Experts believe output grew 2%.', null],
    ['It said output grew 2%.', null],
  ])('%s', (text, who) => {
    expect(speaker(text)).toBe(who);
  });

  it('reads a parenthetical citation with its date', () => {
    expect(citedOutlet('Some 12 million move (Megapolis, June 24).')).toBe('Megapolis, June 24');
    expect(citedOutlet('They said so (Ak Zhol Kazakstan, May 5).')).toBe(
      'Ak Zhol Kazakstan, May 5',
    );
    expect(citedOutlet('They said so (in private).')).toBeNull();
  });
});

describe('entities', () => {
  it('takes the sentence’s own country, and a possessive over a mention', () => {
    expect(one('Kazakhstan exported 70 million tonnes of oil.').entity?.code).toBe('KAZ');
    expect(one('Germany’s exports to China rose 5%.').entity?.code).toBe('DEU');
  });

  it('skips the yardstick of a comparison', () => {
    expect(one('Mongolia is three times the size of France.').entity?.code).toBe('MNG');
  });

  it('falls back to the last country named earlier in the paragraph, not in another one', () => {
    const text =
      'Kenya held a census.\nIts output rose 5%. Prices rose 3%.\n\nNigeria voted. Turnout was 27%.';
    const claims = proposeClaims(text, DOC);
    expect(claims.map((c) => c.entity?.code ?? null)).toEqual([null, null, 'NGA']);
  });
});

describe('which figures', () => {
  it('skips small counts of things and keeps measures', () => {
    const claims = proposeClaims('The two countries signed a deal for 5 tonnes of grain.', DOC);
    expect(claims.map((c) => c.value)).toEqual([5]);
  });

  it('proposes a new indicator named after what the figure is of', () => {
    const c = one('Nuclear power supplies roughly a fifth of the country’s electricity.');
    expect(c.indicator).toEqual({ proposed: { name: 'country’s electricity', unit: 'percent' } });
  });

  it('does not match an indicator of another dimension', () => {
    const indicators = [{ slug: 'density', name: 'Oil density', unit: 'people per km²' }];
    const c = one('Oil imports rose 5% last year.', { indicators });
    expect('proposed' in c.indicator).toBe(true);
  });
});
