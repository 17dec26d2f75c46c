// Each fixture in tests/fixtures/files reproduces one quirk of a real published file (see its
// README); each is read here as the mapping step would read it, answered as a user would.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDataFile, type ColumnMapping, type ParseResult } from '@/lib/formats';
import { parseLoosePeriod } from '@/lib/formats/dates';
import { errors, warnings } from './helpers';

const DIR = path.join(__dirname, '../fixtures/files');
const read = (name: string, mapping?: ColumnMapping, extra: object = {}): ParseResult =>
  parseDataFile(fs.readFileSync(path.join(DIR, name)), { mapping, ...extra });
const shown = (r: ParseResult) =>
  r.values.map((v) => `${v.entityCode ?? v.entityName} ${v.period} ${v.precision} ${v.value}`);
const reasons = (r: ParseResult) => errors(r).map((p) => p.reason);

describe('dates as people write them', () => {
  it.each([
    ['31.12.2018', '2018-12-31', 'day'],
    ['22/01/2020', '2020-01-22', 'day'],
    ['1/22/20', '2020-01-22', 'day'],
    ['2004M07', '2004-07', 'month'],
    ['2004-Q3', '2004-Q3', 'quarter'],
    ['Q1 2005', '2005-Q1', 'quarter'],
    ['July 2004', '2004-07', 'month'],
    ['2004 Juillet', '2004-07', 'month'],
    ['1958-03', '1958-03', 'month'],
    ['Y1961', '1961', 'year'],
    ['F2020', '2020', 'year'],
    ['2024年', '2024', 'year'],
    ['2024年3月', '2024-03', 'month'],
    ['1961 [YR1961]', '1961', 'year'],
  ])('reads %s as %s (%s)', (raw, period, precision) => {
    expect(parseLoosePeriod(raw, 1000, 2200)).toEqual({ period, precision });
  });

  it('asks about 01/02/2020 unless the order is given, and checks the date against it', () => {
    expect(parseLoosePeriod('01/02/2020', 1000, 2200)).toEqual({ ambiguous: '01/02/2020' });
    expect(parseLoosePeriod('01/02/2020', 1000, 2200, 'dmy')).toEqual({
      period: '2020-02-01',
      precision: 'day',
    });
    expect(parseLoosePeriod('01/02/2020', 1000, 2200, 'mdy')).toEqual({
      period: '2020-01-02',
      precision: 'day',
    });
    expect(parseLoosePeriod('22/01/2020', 1000, 2200, 'mdy')).toEqual({
      error: '"22/01/2020" is not a date with the month first',
    });
    expect(parseLoosePeriod('31.02.2020', 1000, 2200)).toEqual({
      error: '"31.02.2020" is not a real date',
    });
  });

  it('keeps months as months and quarters as quarters', () => {
    expect(shown(read('monthly-2004m.csv'))).toEqual([
      'KAZ 2004-07 month 101.2',
      'KAZ 2004-08 month 101.9',
      'KAZ 2004-09 month 102.4',
    ]);
    const q = read('quarterly.csv', { code: 'country', period: 'quarter', values: ['gdp'] });
    expect(errors(q)).toEqual([]);
    expect(shown(q)).toEqual([
      'DEU 2004-Q3 quarter 552.1',
      'DEU 2004-Q4 quarter 560.3',
      'DEU 2005-Q1 quarter 548.7',
    ]);
  });

  it('detects day-first dates from a day over 12, and says so', () => {
    const r = read('day-first.csv', { entity: 'Country', period: 'Date', values: ['Cases'] });
    expect(errors(r)).toEqual([]);
    expect(r.file.dateOrder).toBe('dmy');
    expect(r.file.dateOrderHow).toBe('detected');
    expect(shown(r)[0]).toBe('CHN 2020-01-20 day 291');
  });

  it('asks the date order when no date says it, and reads the file once it is chosen', () => {
    const mapping = { entity: 'Country', period: 'Date', values: ['Cases'] };
    const asked = read('slash-ambiguous.csv', mapping);
    expect(asked.file.needs).toContain('dates');
    expect(reasons(asked)).toEqual([
      '"01/02/2020" and 1 more dates could be day first or month first: choose whether the day or the month comes first (mapping.dates: "dmy" or "mdy")',
    ]);
    const answered = read('slash-ambiguous.csv', { ...mapping, dates: 'dmy' });
    expect(errors(answered)).toEqual([]);
    expect(answered.file.dateOrderHow).toBe('chosen');
    expect(shown(answered)).toEqual([
      'CHN 2020-02-01 day 14380',
      'CHN 2020-02-02 day 17205',
      'CHN 2020-02-03 day 20438',
    ]);
  });

  it('joins a year column and a month-name column into months', () => {
    const r = read(
      'insee-year-month.csv',
      {
        period: 'Année',
        month: 'Mois',
        values: ['Indice'],
        entity: '',
      },
      { entity: 'FRA' },
    );
    expect(errors(r)).toEqual([]);
    expect(shown(r)).toEqual([
      'FRA 2004-07 month 109.6',
      'FRA 2004-08 month 109.8',
      'FRA 2004-09 month 109.7',
    ]);
  });

  it('reads "July 2004" in a column named Month, found by its contents', () => {
    const r = read('july-2004.csv');
    expect(r.file.mapping?.period).toBe('Month');
    expect(shown(r)).toEqual(['KAZ 2004-07 month 3.5', 'KAZ 2004-08 month 3.6']);
  });
});

describe('one entity or one period for the whole file', () => {
  it('reads a national office file with no country column as the one entity given', () => {
    const r = read(
      'destatis-one-country.csv',
      {
        entity: '',
        period: 'Stichtag',
        values: ['Bevölkerung (Tausend)'],
      },
      { entity: 'DEU' },
    );
    expect(errors(r)).toEqual([]);
    expect(r.file.decimal).toBe(',');
    expect(shown(r)).toEqual([
      'DEU 2018-12-31 day 83019.2',
      'DEU 2019-12-31 day 83166.7',
      'DEU 2020-12-31 day 83155',
    ]);
  });

  it('refuses a file with no entity column until the entity is given, saying so', () => {
    const r = read('destatis-one-country.csv', {
      entity: '',
      period: 'Stichtag',
      values: ['Bevölkerung (Tausend)'],
    });
    expect(reasons(r)).toContain(
      'mapping.entity: choose the column that names the entity (or its code), or the one entity the whole file is about',
    );
  });

  it('reads a cross-section with no period column as the one period given', () => {
    const asked = read('cross-section-2006.csv');
    expect(reasons(asked)[0]).toBe(
      'mapping.period: choose the column that holds the period (year or date), or the one period the whole file is about',
    );
    const r = read(
      'cross-section-2006.csv',
      { entity: 'Country', values: ['Literacy rate (%)'] },
      { period: '2006' },
    );
    expect(errors(r)).toEqual([]);
    expect(shown(r)).toEqual(['KAZ 2006 year 99.5', 'CHN 2006 year 93.3', 'DEU 2006 year 99']);
  });
});

describe('rows the user did not ask for', () => {
  it('skips regions, groups and a region listed twice when only countries are kept', () => {
    const all = read('regions-and-groups.csv');
    expect(reasons(all)[0]).toBe(
      'duplicate: "Africa" already has a value for 2020 in "Total population (thousands)" on row 4',
    );
    const r = read('regions-and-groups.csv', { ...all.file.mapping, countriesOnly: true });
    expect(errors(r)).toEqual([]);
    expect(r.meta.skippedDuplicates).toBe(1);
    expect(warnings(r).map((w) => w.reason)).toContain(
      'skipped 1 repeated row of entities the import leaves out (regions, groups, entities not chosen)',
    );
  });

  it('skips a repeated region when the entities are chosen', () => {
    const all = read('regions-and-groups.csv');
    const r = read('regions-and-groups.csv', all.file.mapping ?? {}, { entities: ['DEU'] });
    expect(errors(r)).toEqual([]);
    expect(r.meta.skippedDuplicates).toBe(1);
  });
});

describe('bulk files with many measures, and filters on several columns', () => {
  it('refuses an IMF WEO export once, naming the columns that hold the measures', () => {
    const r = read('weo-subject-units.csv');
    expect(r.file.needs).toContain('measures');
    expect(reasons(r)).toEqual([
      'the file holds several measures: 18 rows repeat an entity and period already read. Columns that tell them apart: "Subject Descriptor" (3 values: "Gross domestic product, constant prices", "Gross domestic product, current prices", "Unemployment rate"); "Units" (4 values: "Percent change", "National currency", "U.S. dollars", "Percent of total labor force"). Choose the measure: filter these columns, or make one the series column',
    ]);
    const subject = r.file.columns.find((c) => c.ref === 'Subject Descriptor');
    expect(subject?.distinct).toHaveLength(3);
  });

  it('reads one measure chosen by filters on two columns, and counts the rows left out', () => {
    const r = read('weo-subject-units.csv', {
      shape: 'wide',
      code: 'ISO',
      entity: 'Country',
      unit: '',
      values: ['2021', '2022', '2023'],
      filters: [
        { column: 'Subject Descriptor', values: ['Gross domestic product, constant prices'] },
        { column: 'Units', values: ['Percent change'] },
      ],
    });
    expect(errors(r)).toEqual([]);
    expect(shown(r)).toEqual([
      'DEU 2021 year 3.2',
      'DEU 2022 year 1.8',
      'DEU 2023 year -0.3',
      'KAZ 2021 year 4.3',
      'KAZ 2022 year 3.2',
      'KAZ 2023 year 5.1',
    ]);
    expect(r.meta.filteredRows).toBe(6);
    expect(warnings(r).map((w) => w.reason)).toContain(
      'skipped 6 rows not chosen by the filters on "Subject Descriptor" and "Units"',
    );
  });

  it('reads FAO element × months with Y-prefixed years once both are filtered', () => {
    const r = read('fao-element-months.csv', {
      shape: 'wide',
      unit: '',
      filters: [
        { column: 'Element', values: ['Temperature change'] },
        { column: 'Months', values: ['Meteorological year'] },
      ],
    });
    expect(errors(r)).toEqual([]);
    expect(r.file.periodColumns).toEqual(['Y2019', 'Y2020', 'Y2021']);
    expect(shown(r).slice(0, 3)).toEqual([
      'DEU 2019 year 1.971',
      'DEU 2020 year 2.155',
      'DEU 2021 year 1.261',
    ]);
    expect(r.meta.filteredRows).toBe(4);
  });
});

describe('wide layouts with awkward headers', () => {
  it('asks which "2023" is the period, and reads the columns the user chooses', () => {
    const asked = read('repeated-year-headers.csv');
    expect(asked.file.needs).toContain('periods');
    expect(reasons(asked)[0]).toBe(
      'mapping.values: columns "#5", "#6", "#7" all read as period 2023: choose which header columns are periods',
    );
    const r = read('repeated-year-headers.csv', {
      shape: 'wide',
      entity: 'Country',
      code: 'Code',
      values: ['2021', '2022', '#5'],
    });
    expect(errors(r)).toEqual([]);
    expect(shown(r)).toEqual([
      'DEU 2021 year 3.2',
      'DEU 2022 year 1.8',
      'DEU 2023 year -0.3',
      'KAZ 2021 year 4.3',
      'KAZ 2022 year 3.2',
      'KAZ 2023 year 5.1',
    ]);
  });

  it('reads "2019 [YR2019]" and "F2021" headers as years', () => {
    const r = read('databank-year-headers.csv', {
      shape: 'wide',
      entity: 'Country Name',
      code: 'Country Code',
    });
    expect(errors(r)).toEqual([]);
    expect(r.file.periodColumns).toEqual(['2019 [YR2019]', '2020 [YR2020]', 'F2021']);
    expect(shown(r)).toContain('KAZ 2021 year 4.3');
  });

  it('reads Johns Hopkins date headers (1/22/20) month first, as days', () => {
    const r = read('jhu-wide-dates.csv', {
      shape: 'wide',
      entity: 'Country/Region',
      filters: [{ column: 'Province/State', values: [''] }],
    });
    expect(errors(r)).toEqual([]);
    expect(shown(r).slice(0, 3)).toEqual([
      'DEU 2020-01-22 day 0',
      'DEU 2020-01-23 day 0',
      'DEU 2020-01-24 day 0',
    ]);
    expect(r.meta.filteredRows).toBe(1);
  });
});

describe('ragged files', () => {
  it('reads rows longer than the header, spacer rows and a footer, with warnings naming them', () => {
    const r = read('ragged.csv');
    expect(errors(r)).toEqual([]);
    expect(shown(r)).toEqual([
      'DEU 2020 year 83.2',
      'DEU 2021 year 83.4',
      'KAZ 2020 year 18.9',
      'KAZ 2021 year 19.1',
    ]);
    expect(warnings(r).map((w) => w.reason)).toEqual([
      'not a data row, skipped: "Source: national statistical offices."',
      "rows 2, 3 have more fields than the header's 6 names: the fields past column 6 are not read",
    ]);
    expect(r.meta.skippedRows).toBe(1);
  });
});

describe('encodings beyond Western Europe', () => {
  it.each([
    ['koi8-r.csv', 'KOI8-R', 'Страна', 'KAZ 2020 year 18879'],
    ['windows-1251.csv', 'windows-1251', 'Страна', 'KAZ 2020 year 18.9'],
  ])('detects %s as %s', (file, encoding, header, first) => {
    const r = read(file, { entity: '#1', period: '#2', values: ['#3'] });
    expect(r.file.encoding).toBe(encoding);
    expect(r.file.encodingHow).toBe('detected');
    expect(r.file.columns[0]!.name).toBe(header);
    expect(shown(r)[0]).toBe(first);
  });

  it.each([
    ['gbk-province.csv', 'GBK', '地区', 'CHN 2020 year 141212'],
    ['big5.csv', 'Big5', '地區', 'TWN 2020 year 2356.1'],
    ['shift-jis.csv', 'Shift_JIS', '国名', 'JPN 2020 year 126146'],
    ['euc-kr.csv', 'EUC-KR', '국가', 'KOR 2020 year 51836'],
    ['windows-1250.csv', 'windows-1250', 'Země', 'CZE 2020 year 10.69'],
  ])('reads %s in the encoding chosen (%s), headers and all', (file, encoding, header, first) => {
    const r = read(file, {
      encoding: encoding as ColumnMapping['encoding'],
      entity: '#1',
      period: '#2',
      values: ['#3'],
      names: { Korea: 'KOR', Taiwan: 'TWN' },
    });
    expect(r.file.encodingHow).toBe('chosen');
    expect(r.file.columns[0]!.name).toBe(header);
    expect(errors(r)).toEqual([]);
    expect(shown(r)[0]).toBe(first);
  });

  it('detects a Chinese statistical table in GBK as GB18030 (its superset), not as broken UTF-8', () => {
    const r = read('gbk-provinces.csv', { entity: '国家', period: '年份', values: ['#4'] });
    expect(r.file.encoding).toBe('GB18030');
    expect(r.file.encodingHow).toBe('detected');
    expect(r.file.columns.map((c) => c.name)).toEqual([
      '地区',
      '年份',
      '国家',
      '地区生产总值（亿元）',
    ]);
    const beijing = r.file.columns[0]!.distinct;
    expect(beijing).toHaveLength(31);
    expect(beijing?.[0]).toBe('北京市');
  });

  it('reads 2024年 headers and cells as years', () => {
    const r = read('gbk-province.csv', {
      encoding: 'GBK',
      entity: '#1',
      period: '年',
      values: ['#3'],
    });
    expect(shown(r).map((s) => s.split(' ')[1])).toEqual(['2020', '2021', '2022']);
  });
});

describe('names the country libraries miss', () => {
  it('matches Holy See, Wallis and Futuna Islands and Kosovo (XKX)', () => {
    const r = read('new-names.csv');
    expect(r.file.names).toEqual([]);
    expect(r.values.map((v) => v.entityCode)).toEqual(['VAT', 'WLF', 'XKX']);
  });
});
