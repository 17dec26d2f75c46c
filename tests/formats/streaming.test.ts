// Files read as a stream: the same values, problems and line numbers whatever the chunks,
// with the fast line splitter and csv-parse agreeing on every record.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readDataFile, readDataStream, type ParseOptions } from '@/lib/formats';
import { FastCsvStream, readRecords, type CsvRecord } from '@/lib/formats/csv-records';
import { FirstRows, ValueTable } from '@/lib/formats/value-table';
import type { ParsedValue } from '@/lib/formats/types';
import { WB_FIXTURE } from './helpers';

const fixtures = path.join(__dirname, 'fixtures');

function* slices(bytes: Uint8Array, size: number): Generator<Uint8Array> {
  for (let at = 0; at < bytes.length; at += size) yield bytes.slice(at, at + size);
}

async function streamed(bytes: Uint8Array, size: number, options: ParseOptions = {}) {
  const r = await readDataStream(slices(bytes, size), options, bytes.length);
  return { ...r, values: r.values.toArray() };
}

function whole(bytes: Uint8Array, options: ParseOptions = {}) {
  const r = readDataFile(bytes, options);
  return { ...r, values: r.values.toArray() };
}

const encode = (text: string) => new TextEncoder().encode(text);

/** CSV texts that exercise the line and field splitting. */
const TRICKY: Record<string, string> = {
  'CRLF endings': 'entity,period,value\r\nFRA,2010,1\r\nFRA,2011,2\r\n',
  'lone CR endings': 'entity,period,value\rFRA,2010,1\rFRA,2011,2\r',
  'mixed endings, blank and spaces-only lines':
    'entity,period,value\n\nFRA,2010,1\r\n  ,  , \r\n\nFRA,2011,2\rFRA,2012,3',
  'a quoted field with a line break, late in the file':
    'entity,period,value,note\nFRA,2010,1,\nFRA,2011,2,\n"France",2012,3,"two\r\nlines"\nFRA,2013,4,after\n',
  'quotes from the first data line': '"entity","period","value"\n"FRA","2010","1"\n',
  'no line break at the end': 'entity,period,value\nFRA,2010,1\nFRA,2011,2',
  'a stray quote (a CSV error)': 'entity,period,value\nFRA,2010,1\nFR"A,2011,2\nFRA,2012,3\n',
  'an unclosed quote': 'entity,period,value\nFRA,2010,1\n"FRA,2011,2\nFRA,2012,3\n',
  'semicolons and a BOM': '\uFEFFentity;period;value\nFRA;2010;1,5\nFRA;2011;2,5\n',
};

describe('reading a file as a stream', () => {
  it('gives the same result whatever the chunk size', async () => {
    const files = fs
      .readdirSync(fixtures)
      .map((name) => [name, new Uint8Array(fs.readFileSync(path.join(fixtures, name)))] as const);
    const cases = [...files, ...Object.entries(TRICKY).map(([k, t]) => [k, encode(t)] as const)];
    for (const [name, bytes] of cases) {
      const expected = whole(bytes);
      for (const size of [1, 2, 3, 7, 64]) {
        expect(await streamed(bytes, size), `${name} in chunks of ${size}`).toEqual(expected);
      }
    }
  });

  it('reads a World Bank download in chunks as it reads it whole', async () => {
    const bytes = new Uint8Array(fs.readFileSync(WB_FIXTURE));
    const expected = whole(bytes);
    expect(expected.values.length).toBeGreaterThan(10_000);
    expect(await streamed(bytes, 4096)).toEqual(expected);
    expect(await streamed(bytes, 65_537)).toEqual(expected);
  });

  it('splits lines itself exactly as csv-parse does, until the first quote', () => {
    for (const [name, text] of Object.entries(TRICKY)) {
      const bytes = encode(text.replace(/^\uFEFF/, ''));
      const delimiter = text.includes(';') ? ';' : ',';
      const expected: CsvRecord[] = [];
      const expectedFailure = readRecords(
        bytes,
        0,
        bytes.length,
        (r) => void expected.push(r),
        delimiter,
      );
      for (const size of [1, 2, 5, 1000]) {
        const got: CsvRecord[] = [];
        const stream = new FastCsvStream(delimiter, (r) => void got.push(r));
        for (const chunk of slices(bytes, size)) stream.write(chunk);
        const failure = stream.end();
        expect(got, `${name} in chunks of ${size}`).toEqual(expected);
        expect(failure?.line, `${name}: the error's line`).toBe(expectedFailure?.line);
        expect(failure?.code).toBe(expectedFailure?.code);
      }
    }
  });

  it('names the right row for a problem far past the first megabyte', async () => {
    const rows = ['entity,code,period,value'];
    for (let d = 0; d < 60_000; d++) {
      const day = String(1 + (Math.floor(d / 100) % 28)).padStart(2, '0');
      const month = String(1 + (Math.floor(d / 2800) % 12)).padStart(2, '0');
      rows.push(
        `France,FRA,${1900 + (d % 100) + 100 * Math.floor(d / 33600)}-${month}-${day},${d}`,
      );
    }
    // Line 50,002 repeats an earlier period; line 55,002 has a value that is no number.
    rows[50_001] = 'France,FRA,1900-01-01,1';
    rows[55_001] = 'France,FRA,1999-12-31,n/a';
    const bytes = encode(rows.join('\n') + '\n');
    expect(bytes.length).toBeGreaterThan(1.5 * 1024 * 1024);
    const result = await streamed(bytes, 256 * 1024);
    expect(result.problems.filter((p) => p.severity === 'error')).toEqual([
      {
        row: 50_002,
        column: 'period',
        reason: 'duplicate: "France" already has a value for 1900-01-01 on row 2',
        severity: 'error',
      },
      expect.objectContaining({ row: 55_002, column: 'value' }),
    ]);
  });

  it('refuses a file that stops being UTF-8 after the first megabyte, naming the line', async () => {
    const head = 'entity,period,value\nCuraçao,2010,1\n';
    const filler = Array.from({ length: 120_000 }, (_, i) => `Place ${i},2011,2\n`).join('');
    const bytes = new Uint8Array([...encode(head + filler), 0x46, 0xe9, 0x41, 0x0a]);
    const result = await streamed(bytes, 100_000);
    expect(result.problems).toContainEqual({
      row: 120_003,
      column: null,
      reason: expect.stringMatching(
        new RegExp(
          `^The file is not valid UTF-8: invalid byte sequence at byte offset ${bytes.length - 3} \\(line 120003\\)`,
        ),
      ),
      severity: 'error',
    });
  });

  it('reads an ASCII start and a legacy 8-bit byte later as windows-1252', async () => {
    const filler = Array.from({ length: 120_000 }, (_, i) => `Place ${i},2011,2\n`).join('');
    const bytes = new Uint8Array([
      ...encode('entity,period,value\n' + filler),
      ...encode('S'),
      0xe3, // ã in windows-1252
      ...encode('o Tom'),
      0xe9, // é
      ...encode(',2010,1\n'),
    ]);
    const result = await streamed(bytes, 1 << 20);
    expect(result.file.encoding).toBe('windows-1252');
    expect(result.values.at(-1)?.entityName).toBe('São Tomé');
  });
});

describe('the value table', () => {
  it('keeps what the objects held, and interns entities and periods', () => {
    const table = new ValueTable(2);
    const values = [
      {
        row: 2,
        column: 'value',
        entityCode: 'FRA',
        entityName: 'France',
        isAggregate: false,
        period: '2010',
        precision: 'year' as const,
        value: 1.5,
      },
      {
        row: 3,
        column: 'value',
        entityCode: 'FRA',
        entityName: 'France',
        isAggregate: false,
        period: '2011-02',
        precision: 'month' as const,
        value: -2,
        low: -3,
        high: 0,
        note: 'est.',
        unit: '%',
        series: 'a',
      },
      {
        row: 4,
        column: 'value',
        entityCode: null,
        entityName: 'Kazakhstan',
        isAggregate: false,
        period: '2010',
        precision: 'year' as const,
        value: 0,
      },
    ];
    for (const v of values) table.push(v);
    expect(table.toArray()).toEqual(values);
    expect([...table]).toEqual(values);
    expect(table.entityList).toHaveLength(2);
    expect(table.periodList).toEqual(['2010', '2011-02']);
    expect(table.hasExtras).toBe(true);
    expect(table.pick([2, 0]).toArray()).toEqual([values[2], values[0]]);
    // Copied to a worker thread, a table arrives as plain data and is made a table again.
    const copy = ValueTable.revive(structuredClone(table));
    expect(copy).toBeInstanceOf(ValueTable);
    expect((copy as ValueTable).toArray()).toEqual(values);
  });
});

describe('the first row of each pair, for duplicate checks', () => {
  /** FirstRows against a plain Map, on pairs drawn from a grid of `keys` × `periods`. */
  const check = (keys: number, periods: number, count: number) => {
    const recorded: [number, number, number][] = [];
    const rows = new FirstRows((add) => recorded.forEach(([a, b, row]) => add(a, b, row)));
    const expected = new Map<string, number>();
    let seed = keys * 7919 + periods;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    for (let row = 1; row <= count; row++) {
      const a = Math.floor(next() * keys);
      const b = Math.floor(next() * periods);
      const first = expected.get(`${a},${b}`);
      expect(rows.firstOrSet(a, b, row)).toBe(first ?? -1);
      if (first === undefined) {
        expected.set(`${a},${b}`, row);
        recorded.push([a, b, row]);
      }
    }
  };
  it('finds every repeated pair and where it came first, dense or sparse', () => {
    check(20, 50, 3000); // a dense grid: repeats early, the hash takes over
    check(300, 5000, 3000); // mostly unique: stays on bits
    check(3000, 60_000, 3000); // past the bit budget: the hash from the start of the overflow
  });
});

describe('a value table released as it is written', () => {
  const value = (row: number, extra: Partial<ParsedValue> = {}): ParsedValue => ({
    row,
    column: 'value',
    entityCode: 'FRA',
    entityName: 'France',
    isAggregate: false,
    period: String(2000 + row),
    precision: 'year',
    value: row,
    ...extra,
  });

  it('holds only the values since, counts every one, and marks nothing absent as present', () => {
    const table = new ValueTable(4);
    table.push(value(2, { unit: '%', note: 'est.', low: 1, high: 3, series: 'a' }));
    table.push(value(3));
    table.release();
    expect(table.length).toBe(0);
    expect(table.released).toBe(2);
    table.push(value(4));
    expect(table.total).toBe(3);
    // Index 0 now holds row 4, without the unit, note, bounds or series row 2 had there.
    expect(table.toArray()).toEqual([value(4)]);
    expect(table.entityList).toHaveLength(1);
    expect(table.periodList).toEqual(['2002', '2003', '2004']);
    expect(table.partial).toBe(false);
    table.needsWhole();
    expect(table.partial).toBe(true);
  });

  it('says so when a duplicate check needed values it released', async () => {
    // Past the first megabyte (read before any value is given), the first day comes again.
    const day = (d: number) => new Date(Date.UTC(1100, 0, 1) + d * 86_400_000).toISOString();
    const lines = ['entity,code,period,value'];
    for (let d = 0; d < 60_000; d++) lines.push(`France,FRA,${day(d).slice(0, 10)},1`);
    lines.push(`France,FRA,${day(0).slice(0, 10)},2`);
    const bytes = encode(lines.join('\n') + '\n');
    // The whole file at once: the duplicates are found with their first rows.
    const kept = await readDataStream([bytes], {}, bytes.length);
    expect(kept.values.partial).toBe(false);
    expect(kept.problems.some((p) => /duplicate/.test(p.reason))).toBe(true);
    // Released after every chunk: the first rows are gone, and the table says so.
    const released = await readDataStream(slices(bytes, 20_000), {}, bytes.length, (t) =>
      t.release(),
    );
    expect(released.values.released).toBeGreaterThan(0);
    expect(released.values.partial).toBe(true);
  });
});
