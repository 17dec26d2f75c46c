// Rules added for real published text (tests/fixtures/extract/real-sentences.jsonl): the ways
// statistical agencies, central banks and news wires write amounts that invented sentences
// did not.
import { describe, expect, it } from 'vitest';
import { extractQuantities } from '@/lib/extract';
import { sentences } from '@/lib/extract/sentences';

type Row = [string, number | { low: number; high: number }, string | null];

function read(text: string): Row[] {
  return extractQuantities(text).map((q) => [q.text, q.value, q.unitNormalized]);
}

describe('fractions in digits, as the Federal Reserve writes them', () => {
  it.each([
    ['keeping its target at 6-1/2 percent.', [['6-1/2 percent', 6.5, 'percent']]],
    ['a decrease in the discount rate to 5-3/4 percent', [['5-3/4 percent', 5.75, 'percent']]],
    ['interest on reserve balances of 1/4 percent.', [['1/4 percent', 0.25, 'percent']]],
    [
      'a target range of 0 to 1/4 percent.',
      [['0 to 1/4 percent', { low: 0, high: 0.25 }, 'percent']],
    ],
    ['a 75-basis-point decrease', [['75-basis-point', 75, 'basis points']]],
  ] as [string, Row[]][])('%s', (text, expected) => {
    expect(read(text)).toEqual(expected);
  });

  it('leaves dates and day pairs written with a slash alone', () => {
    expect(read('The first legs are played on February 22/23 and March 8/9.')).toEqual([]);
    expect(read('It was filed on 1/4/2005.')).toEqual([]);
  });
});

describe('implied amounts', () => {
  it('reads ratio verbs: doubled and tripled are times, halved a 50% share', () => {
    const [doubled] = extractQuantities('Exports doubled last year.');
    expect([doubled?.value, doubled?.unitNormalized, doubled?.change]).toEqual([2, 'times', 'up']);
    const [halved] = extractQuantities('The deficit was halved.');
    expect([halved?.value, halved?.unitNormalized, halved?.change]).toEqual([
      50,
      'percent',
      'down',
    ]);
    expect(extractQuantities('Revenue more than tripled.')[0]?.change).toBe('>');
  });

  it('reads vague amounts as their order of magnitude, approximately', () => {
    const qs = extractQuantities(
      'It employed thousands of women for hundreds of thousands of years.',
    );
    expect(qs.map((q) => [q.value, q.unitNormalized, q.change])).toEqual([
      [1000, 'women', '~'],
      [100000, 'years', '~'],
    ]);
  });

  it('reads ages written before the number in years', () => {
    expect(read('Miss Souza, aged 43, was freed.')).toEqual([['aged 43', 43, 'years']]);
    expect(read('retiring at age 65')).toEqual([['age 65', 65, 'years']]);
  });

  it('reads "1-in-2" as a share', () => {
    expect(read('an event of 1-in-2 probability')).toEqual([['1-in-2', 50, 'percent']]);
  });
});

describe('what is counted', () => {
  it.each([
    ['He revised his choice of 25 Commissioners.', '25 Commissioners', 'commissioners'],
    [
      'SOAW lists 11 former Latin American dictators.',
      '11 former Latin American dictators',
      'dictators',
    ],
    ['However, 32 construction projects were approved.', '32 construction projects', 'projects'],
    [
      'A little over 27,000 of those testimonies were accepted.',
      '27,000 of those testimonies',
      'testimonies',
    ],
    ['After more than 22 consecutive years of service.', '22 consecutive years', 'years'],
    ['a new 15-story external fuel tank', '15-story', 'stories'],
    ['in the 52-member parliament', '52-member', 'members'],
    ['accidents, which affected 2.7m people last year', '2.7m people', 'people'],
  ])('%s', (text, written, unit) => {
    const [q] = extractQuantities(text);
    expect([q?.text, q?.unitNormalized]).toEqual([written, unit]);
  });

  it('does not count a period ("last year") or a level ("the 2,100-mark")', () => {
    expect(read('Births fell by 9,000 to 312,000 last year.')[1]).toEqual([
      '312,000',
      312000,
      null,
    ]);
    expect(read('the index breached the 2,100-mark')).toEqual([['2,100', 2100, null]]);
  });
});

describe('currencies, magnitudes and rates', () => {
  it.each([
    ['the lawyers had offered R$200,000 to officers', 200000, 'Brazilian reais'],
    ['Rs 31,000 crore will be spent on new roads', 3.1e11, 'rupees'],
    ['prices increased $0.40/gal', 0.4, 'US dollars per gallon'],
    ['rated specific impulse is 365s at sea level', 365, 'seconds'],
    ['request about three megabytes of data', 3, 'megabytes'],
  ])('%s', (text, value, unit) => {
    const [q] = extractQuantities(text);
    expect([q?.value, q?.unitNormalized]).toEqual([value, unit]);
  });

  it('keeps decades out of seconds', () => {
    expect(read('in the 1980s and the 90s')).toEqual([]);
  });
});

describe('not amounts', () => {
  it.each([
    'The intrusion occurred on 10 November, Japanese time (UTC+9).',
    'It is a Type 09-1 Han Class attack submarine.',
    'She was released Friday, December, 17 by her kidnappers.',
  ])('%s', (text) => {
    expect(read(text)).toEqual([]);
  });

  it('reads "(1999 dollars)" as a price base, not an amount', () => {
    expect(read('It cost $400 million (1999 dollars).')).toEqual([
      ['$400 million', 4e8, 'US dollars'],
    ]);
  });
});

describe('change cues', () => {
  it('reads a cue after the amount when none stands before it', () => {
    const qs = extractQuantities('The price was $2.80, 40 cents higher than a year ago.');
    expect(qs[1]?.change).toBe('up');
    const [lower] = extractQuantities('Employment is 48,000 lower than previously reported.');
    expect(lower?.change).toBe('down');
  });

  it('does not give "below the five-year average" to the five years', () => {
    const [q] = extractQuantities('Stocks are below the five-year average.');
    expect([q?.value, q?.unitNormalized, q?.change]).toEqual([5, 'years', '=']);
  });
});

describe('sentences', () => {
  it('ends a sentence at "U.S." when a sentence starter follows', () => {
    const text = 'Sales fell in the U.S. The decline was 3%.';
    expect(sentences(text).map((s) => text.slice(s.start, s.end))).toEqual([
      'Sales fell in the U.S.',
      'The decline was 3%.',
    ]);
    const one = 'The U.S. Treasury sold $5 billion of bills.';
    expect(sentences(one)).toHaveLength(1);
  });
});
