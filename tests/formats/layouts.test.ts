// Each layout analysts download, from a fixture of our own that reproduces its quirks
// (tests/formats/fixtures/), read through parseDataFile.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatProblem, parseDataFile, type ParseOptions } from '@/lib/formats';
import { errors, warnings } from './helpers';

const fixture = (name: string) =>
  new Uint8Array(fs.readFileSync(path.join(__dirname, 'fixtures', name)));
const read = (name: string, options: ParseOptions = {}) => parseDataFile(fixture(name), options);
const triples = (r: ReturnType<typeof read>) =>
  r.values.map((v) => [v.entityCode, v.period, v.value]);

describe('World Bank DataBank exports', () => {
  it('wide: asks which series when there are several, naming their codes and names', () => {
    const r = read('databank-wide.csv');
    expect(r.format).toBe('databank');
    expect(r.file).toMatchObject({ encoding: 'UTF-8', encodingHow: 'bom', confident: true });
    expect(r.file.needs).toEqual(['series']);
    expect(r.file.series).toEqual([
      {
        key: 'EN.POP.DNST',
        label: 'Population density (people per sq. km of land area)',
        values: 4,
      },
      { key: 'SP.POP.TOTL', label: 'Population, total', values: 4 },
    ]);
    expect(errors(r).map(formatProblem)).toEqual([
      'row 1, column "Series Code": the file holds 2 measures in column "Series Code": "EN.POP.DNST" (Population density (people per sq. km of land area)), "SP.POP.TOTL" (Population, total); choose which to import (each becomes its own series)',
    ]);
    expect(r.values).toEqual([]);
  });

  it('wide: reads the chosen series, ".." as missing, footers skipped and reported', () => {
    const r = read('databank-wide.csv', { mapping: { series: ['EN.POP.DNST'] } });
    expect(errors(r)).toEqual([]);
    expect(r.meta).toMatchObject({ missing: 4, skippedRows: 2, lastUpdated: '06/28/2024' });
    expect(warnings(r).map(formatProblem)).toEqual([
      'row 12: not a data row, skipped: "Data from database: World Development In…"',
      'row 13: not a data row, skipped: "Last Updated: 06/28/2024"',
    ]);
    expect(r.file.mapping).toEqual({
      shape: 'wide',
      entity: 'Country Name',
      code: 'Country Code',
      seriesColumn: 'Series Code',
      series: ['EN.POP.DNST'],
    });
    expect(triples(r).slice(0, 4)).toEqual([
      ['CHN', '2019', 149.72],
      ['CHN', '2020', 150.36],
      ['CHN', '2021', 150.41],
      ['KAZ', '2019', 6.85],
    ]);
    // "Korea, Rep." comes with its code; World is an aggregate.
    expect(r.values.find((v) => v.entityName === 'Korea, Rep.')?.entityCode).toBe('KOR');
    expect(r.values.filter((v) => v.isAggregate).map((v) => v.entityCode)).toEqual([
      'WLD',
      'WLD',
      'WLD',
    ]);
    expect(r.values).toHaveLength(12);
  });

  it('long: one column per series, chosen by its code, each its own series', () => {
    const r = read('databank-long.csv', { mapping: { values: ['EN.POP.DNST', 'SP.POP.TOTL'] } });
    expect(errors(r)).toEqual([]);
    expect(r.meta).toMatchObject({ missing: 2, skippedRows: 2 });
    expect([...new Set(r.values.map((v) => v.series))]).toEqual([
      'Population density (people per sq. km of land area) [EN.POP.DNST]',
      'Population, total [SP.POP.TOTL]',
    ]);
    expect(
      r.values
        .filter((v) => v.series === 'Population, total [SP.POP.TOTL]')
        .map((v) => [v.entityCode, v.period, v.value]),
    ).toEqual([
      ['CHN', '2020', 1411100000],
      ['KAZ', '2020', 18755666],
      ['CHN', '2021', 1412360000],
      ['KAZ', '2021', 19000988],
      ['CHN', '2022', 1412175000],
      ['KAZ', '2022', 19621972],
    ]);
    expect(r.file.chosen).toHaveLength(2);
  });

  it('long: the valueColumn option picks one series by its code', () => {
    const r = read('databank-long.csv', { valueColumn: 'EN.POP.DNST' });
    expect(errors(r)).toEqual([]);
    expect(triples(r)).toEqual([
      ['CHN', '2020', 150.36],
      ['KAZ', '2020', 6.94],
      ['CHN', '2021', 150.41],
      ['KAZ', '2021', 7.02],
    ]);
  });
});

describe('UNdata', () => {
  it('Statistical Yearbook: Windows-1252, title row, unnamed names column, M49 codes, quoted thousands', () => {
    const r = read('undata-syb-population.csv', {
      mapping: { series: ['Surface area (thousand km2)'] },
    });
    expect(r.format).toBe('undata');
    expect(r.file).toMatchObject({
      encoding: 'windows-1252',
      encodingHow: 'detected',
      headerRow: 2,
      decimal: '.',
      thousands: ',',
    });
    expect(r.file.columns.map((c) => c.ref)).toEqual([
      'Region/Country/Area',
      '#2',
      'Year',
      'Series',
      'Value',
      'Footnotes',
      'Source',
    ]);
    expect(errors(r)).toEqual([]);
    expect(r.values.map((v) => [v.entityCode, v.entityName, v.value, v.note ?? null])).toEqual([
      [null, 'Total, all countries or areas', 136162, null],
      ['CHN', 'China', 9600, '2'],
      // 0x92 in Windows-1252 is the right single quote, not a control character.
      ['CIV', 'Côte d’Ivoire', 322, null],
      ['KAZ', 'Kazakhstan', 2725, null],
    ]);
    // Region 1 (the world) is no ISO country: an aggregate.
    expect(r.values[0]?.isAggregate).toBe(true);
    expect(r.meta.sources).toEqual([
      'United Nations Statistics Division, New York, Demographic Yearbook 2020.',
    ]);
  });

  it('Statistical Yearbook: lists its three series and asks for a choice', () => {
    const r = read('undata-syb-population.csv');
    expect(r.file.needs).toEqual(['series']);
    expect(r.file.series.map((s) => [s.key, s.values])).toEqual([
      ['Population mid-year estimates (millions)', 2],
      ['Population density', 6],
      ['Surface area (thousand km2)', 4],
    ]);
  });

  it('explorer export: footnote numbers become the footnote texts below the data', () => {
    const r = read('undata-explorer.csv');
    expect(errors(r)).toEqual([]);
    expect(r.rowsRead).toBe(5);
    expect(r.meta.skippedRows).toBe(3);
    expect(r.values.map((v) => [v.entityCode, v.period, v.value, v.note ?? null])).toEqual([
      ['CHN', '2021', 150.4, 'Excluding Hong Kong SAR, Macao SAR and Taiwan Province of China.'],
      ['CHN', '2020', 150.3, null],
      ['KAZ', '2021', 7, 'Mid-year estimate.'],
      ['KAZ', '2020', 6.9, null],
      ['VNM', '2021', 315.4, null],
    ]);
  });
});

describe('panel files', () => {
  it('finds the ISO code under another name and offers the value columns, not the flags', () => {
    const r = read('panel-energy.csv');
    expect(r.format).toBe('panel');
    expect(r.file.mapping).toEqual({ entity: 'Country', code: 'ISO3166_alpha3', period: 'Year' });
    expect(r.file.series.map((s) => s.key)).toEqual([
      'oilcons_ej',
      'oilcons_kbd',
      'gascons_ej',
      'primary_ej',
    ]);
    expect(r.file.needs).toEqual(['series']);
    expect(r.values).toEqual([]);
  });

  it('reads the chosen columns, one series each; the world row has no code and is no country', () => {
    const r = read('panel-energy.csv', { mapping: { values: ['oilcons_ej', 'gascons_ej'] } });
    expect(errors(r)).toEqual([]);
    expect(
      r.values
        .filter((v) => v.series === 'gascons_ej')
        .map((v) => [v.entityCode, v.period, v.value]),
    ).toEqual([
      ['CHN', '2020', 11.92],
      ['CHN', '2021', 13.31],
      ['KAZ', '2020', 0.58],
      ['KAZ', '2021', 0.62],
      [null, '2020', 138.57],
      [null, '2021', 145.35],
    ]);
    expect(r.file.names).toEqual([{ name: 'Total World', row: 6, count: 4, candidates: [] }]);
  });
});

describe('tidy files with other column names', () => {
  it.each([
    [
      'tidy-country-name-code.csv',
      { entity: 'Country Name', code: 'Country Code', period: 'Year', values: ['Value'] },
      [
        ['CHN', '2020', 150.36],
        ['KAZ', '2020', 6.94],
      ],
    ],
    [
      'tidy-iso3.csv',
      { entity: 'country', code: 'iso3', period: 'year', values: ['value'] },
      [
        ['CHN', '2021', 150.41],
        ['KAZ', '2021', 7.02],
      ],
    ],
  ])('%s', (name, mapping, expected) => {
    const r = read(name);
    expect(r.format).toBe('columns');
    expect(r.file.confident).toBe(true);
    expect(r.file.mapping).toEqual(mapping);
    expect(r.problems).toEqual([]);
    expect(triples(r)).toEqual(expected);
  });

  it('Location, Time, Value with country names: matched by the library, the rest listed', () => {
    const r = read('tidy-location-time.csv');
    expect(r.problems).toEqual([]);
    expect(r.values.map((v) => [v.entityName, v.entityCode])).toEqual([
      ['Viet Nam', 'VNM'],
      ['Türkiye', 'TUR'],
      ['Republic of Korea', 'KOR'],
      ["Côte d'Ivoire", 'CIV'],
      ['Korea, Rep.', 'KOR'],
      ['Congo', null],
      // Kosovo is XKX, the code the World Bank and the IMF use, not the libraries' UNK or XKK.
      ['Kosovo', 'XKX'],
    ]);
    expect(r.file.names).toEqual([{ name: 'Congo', row: 7, count: 1, candidates: ['COD', 'COG'] }]);
    expect(r.file.needs).toEqual(['names']);
  });

  it('names the user maps take those codes', () => {
    const r = read('tidy-location-time.csv', {
      mapping: { names: { congo: 'COG', Kosovo: 'XKX' } },
    });
    expect(r.file.names).toEqual([]);
    expect(r.values.slice(-2).map((v) => v.entityCode)).toEqual(['COG', 'XKX']);
  });
});

describe('spreadsheet habits', () => {
  it('semicolons, decimal commas and thousands dots in Latin-1, with German names', () => {
    const r = read('european-latin1.csv');
    expect(r.file).toMatchObject({
      encoding: 'windows-1252',
      delimiter: ';',
      decimal: ',',
      thousands: '.',
      decimalHow: 'detected',
    });
    expect(r.problems).toEqual([]);
    expect(r.values.map((v) => [v.entityName, v.entityCode, v.value])).toEqual([
      ['Österreich', 'AUT', 8917205],
      ['Deutschland', 'DEU', 83160871],
      ['Frankreich', 'FRA', 67571107],
      ['Österreich', 'AUT', 8955797],
    ]);
  });

  it('decimal commas with French column and country names', () => {
    const r = read('european-decimal-comma.csv');
    expect(r.file.mapping).toMatchObject({ entity: 'Pays', period: 'Année', values: ['Valeur'] });
    expect(r.values.map((v) => [v.entityCode, v.value])).toEqual([
      ['FRA', 122.3],
      ['DEU', 237.3],
      ['KAZ', 6.9],
      ['CHN', 150.4],
    ]);
  });

  it('1,234.5 and 2.1E+13 in cells padded with spaces', () => {
    const r = read('numbers-padded.csv');
    expect(r.problems).toEqual([]);
    expect(r.file).toMatchObject({ decimal: '.', thousands: ',' });
    expect(triples(r)).toEqual([
      ['CHN', '2020', 14722730.7],
      ['KAZ', '2020', 171.1],
      ['FRA', '2020', 2.1e13],
      ['TCD', '2020', 1234.5],
    ]);
  });

  it('UTF-16 with tabs (Excel\'s "Unicode text")', () => {
    const r = read('excel-unicode-text.txt');
    expect(r.file).toMatchObject({ encoding: 'UTF-16LE', encodingHow: 'bom', delimiter: '\t' });
    expect(r.format).toBe('tidy');
    expect(r.values.map((v) => [v.entityName, v.entityCode, v.value])).toEqual([
      ['Curaçao', 'CUW', 361.4],
      ['São Tomé and Príncipe', 'STP', 228.3],
    ]);
  });

  it('asks for the decimal mark when "1,234" could be either, and reads it once told', () => {
    const text = 'country;year;value\nFrance;2020;1,234\nChad;2020;5,678\n';
    const unsure = parseDataFile(text);
    expect(unsure.file.decimalHow).toBe('ambiguous');
    expect(unsure.file.needs).toContain('decimal');
    expect(errors(unsure)[0]?.reason).toContain('commas are ambiguous');
    const comma = parseDataFile(text, { mapping: { decimal: ',' } });
    expect(comma.values.map((v) => v.value)).toEqual([1.234, 5.678]);
    const point = parseDataFile(text, { mapping: { decimal: '.' } });
    expect(point.values.map((v) => v.value)).toEqual([1234, 5678]);
    expect(point.file.decimalHow).toBe('chosen');
  });
});

describe('known export glitches', () => {
  it('OWID 2020: Year named twice while rows have one field fewer', () => {
    const r = read('owid-2020-duplicate-year.csv');
    expect(r.format).toBe('owid');
    expect(errors(r)).toEqual([]);
    expect(warnings(r).map(formatProblem)).toEqual([
      'row 1, column "Year": the header names "Year" twice but every row has one field fewer (a known glitch of OWID downloads from 2020): the second one was ignored',
    ]);
    expect(r.values.map((v) => [v.entityName, v.period, v.value, v.isAggregate])).toEqual([
      ['China', '2018', 148.3, false],
      ['China', '2019', 149.1, false],
      ['Kazakhstan', '2019', 6.8, false],
      ['World', '2019', 59.3, true],
    ]);
  });

  it('a repeated Year with rows as wide as the header is still an error', () => {
    const r = parseDataFile('Entity,Code,Year,Year,GDP\nChina,CHN,2018,2018,1\n');
    expect(errors(r).map((p) => p.reason)).toEqual([
      'the header names this column twice (columns 3 and 4)',
    ]);
  });
});
