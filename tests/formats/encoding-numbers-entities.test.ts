import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { countryCodesForName, parseDataFile } from '@/lib/formats';
import { decodeFile } from '@/lib/formats/encoding';
import { guessNumberFormat, numberParser } from '@/lib/formats/number';
import { utf8 } from './helpers';

const cp1252 = (text: string) => new Uint8Array(iconv.encode(text, 'windows-1252'));

describe('encodings', () => {
  it('reads Windows-1252, including the characters Latin-1 lacks', () => {
    const text = 'entity,period,value,note\r\nCuraçao,2020,1,“provisional” – 5 €\r\n';
    const r = parseDataFile(cp1252(text));
    expect(r.file).toMatchObject({ encoding: 'windows-1252', encodingHow: 'detected' });
    expect(r.values[0]).toMatchObject({ entityName: 'Curaçao', note: '“provisional” – 5 €' });
  });

  it('reads UTF-16 without a byte-order mark by its zero bytes, in both byte orders', () => {
    const text = 'entity,period,value\nFrance,2020,1\n';
    for (const encoding of ['UTF-16LE', 'UTF-16BE']) {
      const decoded = decodeFile(new Uint8Array(iconv.encode(text, encoding)));
      expect(decoded).toMatchObject({ encoding, how: 'detected' });
      if ('bytes' in decoded) expect(new TextDecoder().decode(decoded.bytes)).toBe(text);
    }
  });

  it('keeps UTF-8 as UTF-8, BOM or not', () => {
    expect(decodeFile(utf8('Türkiye'))).toMatchObject({ encoding: 'UTF-8', how: 'utf-8' });
    expect(decodeFile(utf8('\uFEFFTürkiye'))).toMatchObject({ encoding: 'UTF-8', how: 'bom' });
  });

  it('reads the encoding the user chooses, and refuses one that does not exist', () => {
    const bytes = cp1252('entity,period,value\nSão Tomé,2020,1\n');
    const latin = parseDataFile(bytes, { mapping: { encoding: 'ISO-8859-1' } });
    expect(latin.file).toMatchObject({ encoding: 'ISO-8859-1', encodingHow: 'chosen' });
    expect(latin.values[0]?.entityName).toBe('São Tomé');
    const unknown = parseDataFile(bytes, { mapping: { encoding: 'klingon-1' } });
    expect(unknown.problems[0]?.reason).toBe('unknown encoding "klingon-1"');
  });
});

describe('number conventions', () => {
  it.each([
    [['1,234.5', '2'], { decimal: '.', thousands: ',', ambiguous: false }],
    [['1.234,5'], { decimal: ',', thousands: '.', ambiguous: false }],
    [['12,5', '3'], { decimal: ',', thousands: null, ambiguous: false }],
    [['1.234.567'], { decimal: ',', thousands: '.', ambiguous: false }],
    [['1 234,5'], { decimal: ',', thousands: ' ', ambiguous: false }],
    [["1'234.5"], { decimal: '.', thousands: "'", ambiguous: false }],
    [['9,600', '322'], { decimal: null, thousands: null, ambiguous: true }],
    [['2.1E+13', '0.5'], { decimal: '.', thousands: null, ambiguous: false }],
    [['12.5', '12,5'], { decimal: null, thousands: null, ambiguous: true }],
    [['2010', 'France'], { decimal: null, thousands: null, ambiguous: false }],
  ])('%j', (cells, expected) => {
    expect(guessNumberFormat(cells, ',')).toEqual(expected);
  });

  it('reads "1.234" as a decimal in comma files and asks in semicolon files', () => {
    expect(guessNumberFormat(['1.234'], ',').decimal).toBe('.');
    expect(guessNumberFormat(['1.234'], ';').ambiguous).toBe(true);
  });

  it('parses by the convention, and refuses cells that break it', () => {
    const european = numberParser({ decimal: ',', thousands: '.' });
    expect(european('1.234,5')).toBe(1234.5);
    expect(european(' -0,25 ')).toBe(-0.25);
    expect(european('2,1E+13')).toBe(2.1e13);
    expect(european('1,234.5')).toEqual({
      error:
        '"1,234.5" does not match the file\'s number format (decimal comma, thousands grouped with ".")',
    });
    const english = numberParser({ decimal: '.', thousands: ',' });
    expect(english('14,722,730.7')).toBe(14722730.7);
    expect(english('1,5')).toEqual({ error: expect.stringContaining('does not match') });
    expect(english('Infinity')).toEqual({ error: '"Infinity" is not a finite number' });
  });
});

describe('country names to codes', () => {
  it.each([
    ['Korea, Rep.', ['KOR']],
    ["Korea, Dem. People's Rep.", ['PRK']],
    ["Côte d'Ivoire", ['CIV']],
    ['Cote d’Ivoire', ['CIV']],
    ['Viet Nam', ['VNM']],
    ['Türkiye', ['TUR']],
    ['Turkey', ['TUR']],
    ['Egypt, Arab Rep.', ['EGY']],
    ['Iran (Islamic Republic of)', ['IRN']],
    ['Bolivia (Plurinational State of)', ['BOL']],
    ['Micronesia, Fed. Sts.', ['FSM']],
    ['St. Vincent and the Grenadines', ['VCT']],
    ['Lao PDR', ['LAO']],
    ['United States of America', ['USA']],
    ['Deutschland', ['DEU']],
    ['Congo', ['COD', 'COG']],
    ['Korea', []],
    ['Hong Kong SAR, China', []],
    ['Atlantis', []],
  ])('%s → %j', (name, codes) => {
    expect(countryCodesForName(name)).toEqual(codes);
  });

  it('never reads a qualified name as the bare country', () => {
    // Dropping words would turn these into China and Korea.
    expect(countryCodesForName('China, Hong Kong SAR')).not.toContain('CHN');
    expect(countryCodesForName('Korea, Dem. Rep.')).not.toEqual(['KOR']);
  });

  it('reads codes written as alpha-2 and as UN M49 numbers; regions are aggregates', () => {
    const r = parseDataFile(
      'country,code,year,value\nFrance,FR,2020,1\nKazakhstan,398,2020,2\nAsia,142,2020,3\n',
    );
    expect(r.values.map((v) => [v.entityCode, v.isAggregate])).toEqual([
      ['FRA', false],
      ['KAZ', false],
      [null, true],
    ]);
  });
});
