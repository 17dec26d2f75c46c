import { describe, expect, it } from 'vitest';
import { formatProblem, parseDataFile, readDataStream } from '@/lib/formats';
import { errors, lines, utf8, warnings } from './helpers';

/** Days from 1 January 1990, as a Day column writes them. */
const day = (n: number) => new Date(Date.UTC(1990, 0, 1 + n)).toISOString().slice(0, 10);

/** A daily OWID file of `entities` × `days` rows, in chunks of about 64 KB, as a stream brings it. */
function dailyChunks(entities: string[], days: number, cells: (e: number, d: number) => string) {
  const chunks: Uint8Array[] = [];
  let text = 'Entity,Code,Day,First,Second\n';
  entities.forEach((code, e) => {
    for (let d = 0; d < days; d++) {
      text += `Land ${code},${code},${day(d)},${cells(e, d)}\n`;
      if (text.length > 64 * 1024) {
        chunks.push(utf8(text));
        text = '';
      }
    }
  });
  chunks.push(utf8(text));
  return chunks;
}

describe('OWID grapher files', () => {
  it('reads countries and keeps regions (empty Code) as aggregates without a code', () => {
    const result = parseDataFile(
      lines(
        'Entity,Code,Year,Life expectancy at birth (historical)',
        'Afghanistan,AFG,1950,27.7',
        'Africa,,1950,37.6',
        'World,OWID_WRL,1950,46.5',
        'Kosovo,OWID_KOS,1950,50.1',
      ),
    );
    expect(result.format).toBe('owid');
    expect(result.detected).toBe('owid');
    expect(result.problems).toEqual([]);
    expect(result.meta.valueColumns).toEqual(['Life expectancy at birth (historical)']);
    expect(result.values).toEqual([
      {
        row: 2,
        column: 'Life expectancy at birth (historical)',
        entityCode: 'AFG',
        entityName: 'Afghanistan',
        isAggregate: false,
        period: '1950',
        precision: 'year',
        value: 27.7,
      },
      expect.objectContaining({
        row: 3,
        entityCode: null,
        entityName: 'Africa',
        isAggregate: true,
      }),
      expect.objectContaining({ row: 4, entityCode: null, entityName: 'World', isAggregate: true }),
      expect.objectContaining({
        row: 5,
        // OWID_KOS is not ISO; the name gives Kosovo's XKX when the names are resolved.
        entityCode: 'XKX',
        entityName: 'Kosovo',
        isAggregate: false,
      }),
    ]);
  });

  it('reads a Day column as dates', () => {
    const result = parseDataFile(
      lines(
        'Entity,Code,Day,Daily new cases',
        'France,FRA,2020-03-01,57',
        'France,FRA,2020-03-02,3',
      ),
    );
    expect(result.detected).toBe('owid');
    expect(result.problems).toEqual([]);
    expect(result.values.map((v) => [v.period, v.precision, v.value])).toEqual([
      ['2020-03-01', 'day', 57],
      ['2020-03-02', 'day', 3],
    ]);
  });

  const multi = lines(
    'Entity,Code,Year,GDP per capita,Population,Continent,Notes',
    'France,FRA,2015,38000,64000000,Europe,"revised, see ""WDI"""',
    'France,FRA,2016,,64500000,,"two',
    'lines, quoted"',
    'Chad,TCD,2015,1600,,Africa,',
  );

  it('reads the first value column by default, ignoring text columns, and lists the others', () => {
    const result = parseDataFile(multi);
    expect(errors(result)).toEqual([]);
    expect(result.meta.valueColumns).toEqual(['GDP per capita', 'Population']);
    expect(warnings(result)).toEqual([
      expect.objectContaining({
        row: 1,
        column: 'Continent',
        reason: expect.stringContaining('text'),
      }),
      expect.objectContaining({ row: 1, column: 'Notes', reason: expect.stringContaining('text') }),
    ]);
    expect(result.values.map((v) => [v.row, v.column, v.entityCode, v.period, v.value])).toEqual([
      [2, 'GDP per capita', 'FRA', '2015', 38000],
      [5, 'GDP per capita', 'TCD', '2015', 1600],
    ]);
    expect(result.meta.missing).toBe(1);
  });

  it('reads the value column the caller picks', () => {
    const result = parseDataFile(multi, { valueColumn: 'Population' });
    expect(errors(result)).toEqual([]);
    expect(result.values.map((v) => [v.row, v.column, v.value])).toEqual([
      [2, 'Population', 64000000],
      [3, 'Population', 64500000],
    ]);
    expect(result.meta.missing).toBe(1);
  });

  it('names the available value columns when the picked one does not exist', () => {
    const result = parseDataFile(multi, { valueColumn: 'GDP' });
    expect(errors(result)).toEqual([
      {
        row: 1,
        column: 'GDP',
        reason:
          'the requested value column is not in the file; value columns: "GDP per capita", "Population"',
        severity: 'error',
      },
    ]);
    expect(result.values).toEqual([]);
  });

  it('reads rows as the file streams in, not all at its end', async () => {
    // 3 MB of rows: past the first megabyte, which is held to detect the file.
    const chunks = dailyChunks(['FRA', 'DEU', 'ITA'], 30_000, (e, d) => `${e}.${d},7`);
    const seen: number[] = [];
    const result = await readDataStream(chunks, {}, 0, (table) => {
      seen.push(table.length);
    });
    expect(result.format).toBe('owid');
    expect(errors(result)).toEqual([]);
    expect(result.values.length).toBe(90_000);
    // Half way through the chunks, most of the rows before them are in the table already.
    const half = Math.floor(chunks.length / 2);
    expect(seen[half]).toBeGreaterThan(30_000);
  });

  it('holds rows until the first value column shows a number, then reads them all from it', async () => {
    // "First" is empty for two megabytes of rows, then holds numbers: it is still the value
    // column (the first that holds numbers anywhere), though "Second" had numbers from row 2.
    const chunks = dailyChunks(['FRA', 'DEU'], 40_000, (e, d) =>
      e === 1 && d >= 20_000 ? `${d},1` : ',1',
    );
    const result = await readDataStream(chunks);
    expect(errors(result)).toEqual([]);
    expect(result.meta.valueColumns).toEqual(['First', 'Second']);
    expect(result.values.length).toBe(20_000);
    const columns = new Set<string>();
    for (let i = 0; i < result.values.length; i++) columns.add(result.values.at(i).column);
    expect(columns).toEqual(new Set(['First']));
    expect(result.values.at(0)).toMatchObject({
      entityCode: 'DEU',
      period: day(20_000),
      value: 20_000,
    });
    expect(result.meta.missing).toBe(60_000);
  });

  it('finds a repeated entity and day far apart in a long file', async () => {
    const chunks = dailyChunks(['FRA', 'DEU'], 20_000, (_e, d) => `${d},1`);
    chunks.push(utf8('Land FRA,FRA,1990-01-05,9,9\n'));
    const result = await readDataStream(chunks);
    expect(errors(result)).toEqual([
      {
        row: 40_002,
        column: 'Day',
        reason: 'duplicate: "Land FRA" already has a value for 1990-01-05 on row 6',
        severity: 'error',
      },
    ]);
    expect(result.values.length).toBe(40_000);
  });

  it('reports a repeated entity and year on the second row, naming the first', () => {
    const result = parseDataFile(
      lines('Entity,Code,Year,Value', 'France,FRA,2015,1', 'Chad,TCD,2015,2', 'France,FRA,2015,3'),
    );
    expect(errors(result)).toEqual([
      {
        row: 4,
        column: 'Year',
        reason: 'duplicate: "France" already has a value for 2015 on row 2',
        severity: 'error',
      },
    ]);
    expect(result.values).toHaveLength(2);
  });

  it('reports bad years, bad values and ragged rows', () => {
    const result = parseDataFile(
      lines(
        'Entity,Code,Year,Value',
        'France,FRA,2015-01-01,1',
        'France,FRA,-500,1',
        'France,FRA,2016,high',
        'France,FRA,2017',
        'France,FRA,2018,4',
      ),
    );
    expect(errors(result).map(formatProblem)).toEqual([
      'row 2, column "Year": "2015-01-01" is not a year like 2010',
      expect.stringMatching(/^row 3, column "Year": "-500" is not a period/),
      'row 4, column "Value": "high" is not a number',
      'row 5: this row has 3 fields but the header has 4',
    ]);
    expect(result.values.map((v) => v.period)).toEqual(['2018']);
  });

  it('names its required columns when forced onto another format', () => {
    const result = parseDataFile(lines('entity,period,value', 'France,2010,1'), { format: 'owid' });
    expect(result.detected).toBe('tidy');
    expect(errors(result)).toEqual([
      expect.objectContaining({
        row: 1,
        reason: expect.stringContaining('missing required columns "Code", "Year (or Day)"'),
      }),
    ]);
  });
});
