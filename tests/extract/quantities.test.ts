import { describe, expect, it } from 'vitest';
import { extractQuantities, type Quantity } from '@/lib/extract';
import { sentences } from '@/lib/extract/sentences';

function only(text: string): Quantity {
  const qs = extractQuantities(text);
  expect(qs, JSON.stringify(qs)).toHaveLength(1);
  return qs[0]!;
}

describe('offsets', () => {
  it('are UTF-16 indices: text is the slice of the input', () => {
    const text = 'Émissions 🌍 fell to “400 million tons” in Ürümqi.';
    const q = only(text);
    expect(text.slice(q.start, q.end)).toBe(q.text);
    expect(q.text).toBe('400 million tons');
  });
});

describe('scaling', () => {
  it.each([
    ['The plan costs $800 million.', 8e8, '$', 'US dollars'],
    ['Output reached 400 million tons.', 4e8, 'tons', 'tonnes'],
    ['Sales hit 1.2bn euros.', 1.2e9, 'euros', 'euros'],
    ['It raised £45m from investors.', 4.5e7, '£', 'British pounds'],
    ['The city has 12 million residents.', 1.2e7, 'residents', 'people'],
    ['Twelve million households lack water.', 1.2e7, 'households', 'households'],
    ['The census counted 1,234,567 residents.', 1234567, 'residents', 'people'],
    ['Debt reached 2.1 trillion yen.', 2.1e12, 'yen', 'yen'],
  ])('%s', (text, value, unit, normalized) => {
    const q = only(text);
    expect(q.value).toBe(value);
    expect(q.unit).toBe(unit);
    expect(q.unitNormalized).toBe(normalized);
  });
});

describe('percentages, fractions and ratios', () => {
  it.each([
    ['Prices rose 3.5%.', 3.5],
    ['Prices rose 3.5 per cent.', 3.5],
    ['Prices rose 3.5 percent.', 3.5],
    ['China will import half of its oil needs.', 50],
    ['A third of the crop was lost.', 100 / 3],
    ['Two-thirds of voters agreed.', 200 / 3],
    ['Roughly 1 in 10 adults has diabetes.', 10],
  ])('%s', (text, value) => {
    const q = only(text);
    expect(q.value).toBeCloseTo(value, 9);
    expect(q.unitNormalized).toBe('percent');
  });

  it('reads "five times", "twice" and "30-fold" as ratios', () => {
    expect(only('A territory five times the size of France.')).toMatchObject({ value: 5, unit: 'times', unitNormalized: 'times' });
    expect(only('It flies at twice the speed of sound.')).toMatchObject({ value: 2, unitNormalized: 'times' });
    expect(only('Cases rose 30-fold.')).toMatchObject({ value: 30, unitNormalized: 'times' });
  });

  it('leaves "the first half" of a year alone', () => {
    expect(extractQuantities('Investment surged in the first half.')).toEqual([]);
  });
});

describe('rates and units from the registry', () => {
  it('normalises people per square kilometer to the registry name', () => {
    const q = only('We have 130 people per square kilometer.');
    expect(q).toMatchObject({ value: 130, unit: 'people per square kilometer', unitNormalized: 'people per km²' });
  });

  it.each([
    ['The field pumps 2.5 million barrels a day.', 2.5e6, 'barrels per day'],
    ['The pipeline will carry 20 million tonnes of crude a year.', 2e7, 'tonnes per year'],
    ['Smoking kills 8 million people every year.', 8e6, 'people per year'],
    ['Germany generated 58 TWh of solar power.', 58, 'terawatt-hours per year'],
    ['Petrol costs 12 cents a litre more.', 12, 'cents per litre'],
    ['Brent settled at $84.20 a barrel.', 84.2, 'US dollars per barrel'],
    ['Winds reached 250 km/h.', 250, 'km per hour'],
    ['Ice covers 4.1 million square kilometres.', 4.1e6, 'km²'],
  ])('%s', (text, value, normalized) => {
    expect(only(text)).toMatchObject({ value, unitNormalized: normalized });
  });
});

describe('ranges', () => {
  it.each([
    ['Between 10 and 20 million people could move.', 1e7, 2e7, 'people'],
    ['Prices may climb 10-20% next year.', 10, 20, 'percent'],
    ['The mine yields from 5 to 7 tons of ore.', 5, 7, 'tonnes'],
    ['Revenue of $16 billion to $17 billion is expected.', 1.6e10, 1.7e10, 'US dollars'],
  ])('%s', (text, low, high, unit) => {
    expect(only(text)).toMatchObject({ value: { low, high }, unitNormalized: unit });
  });

  it('does not join two figures of different units into a range', () => {
    expect(extractQuantities('Deforestation fell 22% to 9,001 square km.')).toHaveLength(2);
  });
});

describe('signs', () => {
  it('reads negative numbers and "minus"', () => {
    expect(only('Temperatures dropped to -4.5°C overnight.')).toMatchObject({ value: -4.5, unitNormalized: '°C' });
    expect(only('Store it at minus 70 degrees Celsius.')).toMatchObject({ value: -70, unitNormalized: '°C' });
  });
});

describe('change words', () => {
  it.each([
    ['Output was 5 tonnes.', '='],
    ['Some 12 million people moved.', '~'],
    ['It has about 40 stores.', '~'],
    ['An estimated 608,000 people died.', '~'],
    ['More than 180,000 people fled.', '>'],
    ['At least 61,000 people died.', '>'],
    ['Sea levels could rise by up to 1 metre.', '<'],
    ['Fewer than 5,000 tigers remain.', '<'],
    ['Prices rose 3%.', 'up'],
    ['Exports surged 12%.', 'up'],
    ['Sales fell 3%.', 'down'],
    ['The firm will cut 1,200 jobs.', 'down'],
    ['The plan runs over the next five years.', '='],
  ])('%s → %s', (text, change) => {
    expect(only(text).change).toBe(change);
  });

  it('applies a verb only to the first figure after it', () => {
    const [a, b] = extractQuantities('Net profit climbed 23 per cent to 4.2 billion euros.');
    expect([a?.change, b?.change]).toEqual(['up', '=']);
  });
});

describe('not quantities', () => {
  it.each([
    'The law was passed in 1998 and amended in 2004-06.',
    'By 2020, every home will have broadband.',
    'The summit opens on 14 November 2024 in Lima.',
    'Talks resumed on June 17 in Tashkent.',
    'Flights resume at 6:30 a.m. on Friday.',
    'The meeting starts at 9 pm.',
    'The 3rd seed lost in the first round.',
    'Call the helpline on 0800 555 0199.',
    'For details call +44 20 7946 0958.',
    'He lives at 221B Baker Street.',
    'The office is at 410 Terry Avenue North.',
    'See page 17 and section 4.2 of the report.',
    'Under Article 5, an attack on one member is an attack on all.',
    'COVID-19 vaccines were approved; the G20 met; the F-16 flew.',
    'Publication: Eurasia Daily Monitor Volume: 1 Issue: 43',
    'Decree No. 5 covers the 2019-2020 season.',
    'The Boeing 737 and the Airbus A320 dominate.',
    'Growth returned in the 1980s.',
  ])('%s', (text) => {
    expect(extractQuantities(text)).toEqual([]);
  });

  it('keeps an amount that looks like a year when its unit is a measure', () => {
    expect(only('The farm produced 2,000 tonnes.').value).toBe(2000);
    expect(only('The team has 1,850 stores.').value).toBe(1850);
  });
});

describe('sentences', () => {
  it('does not split at abbreviations or decimals', () => {
    const text = 'The U.S. economy grew 2.5% in Jan. last year. Mr. Smith said No. 5 was next. Done.';
    const spans = sentences(text).map((s) => text.slice(s.start, s.end));
    expect(spans).toEqual([
      'The U.S. economy grew 2.5% in Jan. last year.',
      'Mr. Smith said No. 5 was next.',
      'Done.',
    ]);
  });

  it('keeps closing quotes with their sentence', () => {
    const text = '“We have five.” They agreed.';
    expect(sentences(text).map((s) => text.slice(s.start, s.end))).toEqual(['“We have five.”', 'They agreed.']);
  });
});
