import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import {
  CSV_BOM,
  csvChunks,
  csvField,
  csvRow,
  formatCsvNumber,
  neutralizeFormula,
  toCsv,
  type CsvCell,
} from '@/lib/export/csv';

// csv-parse is the oracle: an independent RFC 4180 reader, strict about field counts.
function read(csv: string, options: Record<string, unknown> = {}): string[][] {
  return parse(csv, { bom: true, ...options }) as string[][];
}

// [text as given, text a reader must get back]; the second is spelled out by hand
// rather than computed with neutralizeFormula, so the tests don't trust the code.
const TEXT_CASES: [string, string][] = [
  ['plain', 'plain'],
  ['', ''],
  ['say "hi"', 'say "hi"'],
  ['"', '"'],
  ['""', '""'],
  ['a,b', 'a,b'],
  [',', ','],
  ['Korea, Rep.', 'Korea, Rep.'],
  ['line\nbreak', 'line\nbreak'],
  ['line\rbreak', 'line\rbreak'],
  ['line\r\nbreak', 'line\r\nbreak'],
  ['ends with\r\n', 'ends with\r\n'],
  ['trailing quote"', 'trailing quote"'],
  ['  spaced  ', '  spaced  '],
  ['Kazakstan', 'Kazakstan'],
  ['Ак Жол', 'Ак Жол'],
  ['中国', '中国'],
  ['emoji 🇰🇿 👩‍🔬', 'emoji 🇰🇿 👩‍🔬'],
  ['a-b', 'a-b'],
  ['3 - 4', '3 - 4'],
  ['e@mail.example', 'e@mail.example'],
  ["'=already quoted", "'=already quoted"],
  ['=SUM(A1:A2)', "'=SUM(A1:A2)"],
  ['=cmd|" /C calc"!A0, a label with "quotes"', '\'=cmd|" /C calc"!A0, a label with "quotes"'],
  ['+1', "'+1"],
  ['-5', "'-5"],
  ['-1.5', "'-1.5"],
  ['@SUM(1)', "'@SUM(1)"],
  ['\t=1+1', "'\t=1+1"],
  ['\r=1+1', "'\r=1+1"],
  ['\n=1+1', "'\n=1+1"],
  ['\nplain', "'\nplain"],
  // Alone at the start: no other rule catches these, unlike '\r=1+1'.
  ['\rplain', "'\rplain"],
  ['\tplain', "'\tplain"],
  ['\uFF1D1+1', "'\uFF1D1+1"],
  ['\uFF0B1', "'\uFF0B1"],
  ['\uFF0D1', "'\uFF0D1"],
  ['\uFF20SUM(1)', "'\uFF20SUM(1)"],
  ['ok\n=HYPERLINK("http://x")', '\'ok\n=HYPERLINK("http://x")'],
  ['ok\r=1', "'ok\r=1"],
  ['ok\r\n+1', "'ok\r\n+1"],
  ['ok\n-1', "'ok\n-1"],
  ['ok\n@x', "'ok\n@x"],
  ['ok\n\t=1', "'ok\n\t=1"],
  ['ok\n\n=1', "'ok\n\n=1"],
  ['ok\n\uFF1D1', "'ok\n\uFF1D1"],
  ['first\nsecond\r\nthird', 'first\nsecond\r\nthird'],
  ['-1 "odd" citation\n=second line', '\'-1 "odd" citation\n=second line'],
];

describe('formatCsvNumber', () => {
  it.each([
    [0.3, '0.3'],
    [42, '42'],
    [-1.5, '-1.5'],
    [1234567.891, '1234567.891'],
    [-0.3, '-0.3'],
    [14225.5, '14225.5'],
    [100, '100'],
    [0, '0'],
    [-0, '0'],
    [Number.MAX_SAFE_INTEGER, '9007199254740991'],
    [123456789012345680000, '123456789012345680000'],
    [0.000001, '0.000001'],
    [1e-7, '0.0000001'],
    [1.5e-7, '0.00000015'],
    [-1.2345678901234566e-7, '-0.00000012345678901234566'],
    // The doubles just below 1e-6 and 1e21, where JS's own format changes.
    [9.999999999999997e-7, '0.0000009999999999999997'],
    [999999999999999900000, '999999999999999900000'],
  ])('writes %s as %s', (n, text) => {
    expect(formatCsvNumber(n)).toBe(text);
  });

  it('never adds noise, and never rounds away a real difference', () => {
    expect(formatCsvNumber(0.3)).toBe('0.3');
    // 0.1 + 0.2 is a different double from 0.3; its shortest exact text says so.
    expect(formatCsvNumber(0.1 + 0.2)).toBe('0.30000000000000004');
    expect(formatCsvNumber(1.1 * 3)).toBe(String(1.1 * 3));
  });

  it('keeps the exponent form outside [1e-7, 1e21), as documented', () => {
    expect(formatCsvNumber(1e21)).toBe('1e+21');
    expect(formatCsvNumber(-1e21)).toBe('-1e+21');
    expect(formatCsvNumber(1.5e300)).toBe('1.5e+300');
    // The double just below 1e-7.
    expect(formatCsvNumber(9.999999999999998e-8)).toBe('9.999999999999998e-8');
    expect(formatCsvNumber(1e-8)).toBe('1e-8');
    expect(formatCsvNumber(5e-324)).toBe('5e-324');
    expect(formatCsvNumber(Number.MAX_VALUE)).toBe('1.7976931348623157e+308');
  });

  it('throws on non-finite numbers', () => {
    for (const n of [NaN, Infinity, -Infinity])
      expect(() => formatCsvNumber(n)).toThrow(RangeError);
  });

  it('round-trips arbitrary doubles exactly, in plain decimal inside the range', () => {
    // A fixed-seed xorshift over raw bit patterns reaches every exponent, which
    // Math.random's [0, 1) never would.
    let state = 0x9e3779b97f4a7c15n;
    const next = () => {
      state ^= (state << 13n) & 0xffffffffffffffffn;
      state ^= state >> 7n;
      state ^= (state << 17n) & 0xffffffffffffffffn;
      return state;
    };
    const view = new DataView(new ArrayBuffer(8));
    let checked = 0;
    let expanded = 0;
    for (let i = 0; i < 20_000; i++) {
      const bits = next();
      let n: number;
      if (i % 2 === 0) {
        view.setBigUint64(0, bits);
        n = view.getFloat64(0);
      } else {
        // Every other draw is ±[1, 2) scaled to 1e-10 … 1e25, around the edges where
        // the format switches.
        view.setBigUint64(0, (bits >> 12n) | 0x3ff0000000000000n);
        n = (bits & 1n ? -1 : 1) * view.getFloat64(0) * 10 ** ((i % 36) - 10);
      }
      if (!Number.isFinite(n)) continue;
      const text = formatCsvNumber(n);
      expect(Number(text)).toBe(n === 0 ? 0 : n);
      const abs = Math.abs(n);
      if (abs >= 1e-7 && abs < 1e21) {
        expect(text).toMatch(/^-?\d+(\.\d+)?$/);
        if (abs < 1e-6) expanded++;
      }
      checked++;
    }
    expect(checked).toBeGreaterThan(19_000);
    expect(expanded).toBeGreaterThan(200);
  });
});

describe('neutralizeFormula', () => {
  it.each(TEXT_CASES)('%j becomes %j', (text, expected) => {
    expect(neutralizeFormula(text)).toBe(expected);
  });
});

describe('csvField', () => {
  it('writes null and undefined as empty cells', () => {
    expect(csvField(null)).toBe('');
    expect(csvField(undefined)).toBe('');
  });

  it('quotes only when needed, doubling inner quotes', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('a\r\nb')).toBe('"a\r\nb"');
  });

  it('neutralises first, then quotes', () => {
    expect(csvField('=1,2')).toBe('"\'=1,2"');
    expect(csvField('ok\n=HYPERLINK("http://x")')).toBe('"\'ok\n=HYPERLINK(""http://x"")"');
  });

  it('writes numbers, negatives included, plain; text that looks numeric is still text', () => {
    expect(csvField(-1.5)).toBe('-1.5');
    expect(csvField(-0)).toBe('0');
    expect(csvField('-5')).toBe("'-5");
    expect(() => csvField(NaN)).toThrow(RangeError);
  });

  it('rejects values of other types that slip past the type checker', () => {
    expect(() => csvField(true as unknown as CsvCell)).toThrow(TypeError);
    expect(() => csvField({} as unknown as CsvCell)).toThrow(TypeError);
  });
});

describe('csvRow', () => {
  it('joins with commas and ends with CRLF', () => {
    expect(csvRow(['a', 1, null, 'b,c'])).toBe('a,1,,"b,c"\r\n');
  });

  it('keeps a one-column row with no value from reading as an empty line', () => {
    expect(csvRow([null])).toBe('""\r\n');
    expect(read(toCsv(['only'], [[null], ['x'], ['']]))).toEqual([['only'], [''], ['x'], ['']]);
  });
});

describe('toCsv', () => {
  const header = ['text', 'number', '=header, "awkward"', 'empty'];
  const rows: CsvCell[][] = [
    ...TEXT_CASES.map(([text], i): CsvCell[] => [text, i - 20.5, text, null]),
    ['n', 0.3, 'x', undefined],
    ['n', -1.5, 'x', null],
    ['n', 42, 'x', null],
    ['n', 1234567.891, 'x', null],
    ['n', -0, 'x', null],
    ['n', 1e-7, 'x', null],
    ['n', 1e21, 'x', null],
  ];
  const csv = toCsv(header, rows);

  it('reads back as exactly the neutralised text, with the same width everywhere', () => {
    const [head, ...body] = read(csv);
    expect(head).toEqual(['text', 'number', '\'=header, "awkward"', 'empty']);
    expect(body).toHaveLength(rows.length);
    TEXT_CASES.forEach(([, expected], i) => {
      expect(body[i]).toEqual([expected, String(i - 20.5), expected, '']);
    });
    expect(body.every((r) => r.length === header.length)).toBe(true);
  });

  it('writes numbers as their exact text, never prefixed', () => {
    const numbers = read(csv)
      .slice(1 + TEXT_CASES.length)
      .map((r) => r[1]);
    expect(numbers).toEqual(['0.3', '-1.5', '42', '1234567.891', '0', '0.0000001', '1e+21']);
    expect(read(csv, { cast: true }).slice(1 + TEXT_CASES.length, -1)).toEqual(
      [0.3, -1.5, 42, 1234567.891, 0, 1e-7].map((n) => ['n', n, 'x', '']),
    );
  });

  it('ends every record with CRLF', () => {
    expect(csv.endsWith('\r\n')).toBe(true);
    // Split only at CRLF, the reader must find the same records.
    expect(read(csv, { record_delimiter: '\r\n' })).toEqual(read(csv));
    // Outside quoted fields, no CR or LF stands alone.
    const unquoted = csv.replace(/"(?:[^"]|"")*"/g, '');
    expect(unquoted.replaceAll('\r\n', '')).not.toMatch(/[\r\n]/);
    expect(unquoted.split('\r\n')).toHaveLength(rows.length + 2);
  });

  it('starts with a UTF-8 BOM by default, and not with bom: false', () => {
    expect(csv.startsWith(CSV_BOM)).toBe(true);
    expect(new TextEncoder().encode(csv).slice(0, 3)).toEqual(new Uint8Array([0xef, 0xbb, 0xbf]));
    // Without stripping, the BOM would land in the first header cell.
    expect((parse(csv) as string[][])[0]?.[0]).toBe(`${CSV_BOM}text`);

    const bare = toCsv(header, rows, { bom: false });
    expect(bare.startsWith('text,')).toBe(true);
    expect(bare).toBe(csv.slice(CSV_BOM.length));
    expect(parse(bare)).toEqual(read(csv));
  });

  it('keeps unicode intact through UTF-8', () => {
    const out = toCsv(['name'], [['Kazakstan'], ['Ак Жол'], ['中国'], ['🇰🇿']]);
    const decoded = new TextDecoder('utf-8', { ignoreBOM: true }).decode(
      new TextEncoder().encode(out),
    );
    expect(read(decoded)).toEqual([['name'], ['Kazakstan'], ['Ак Жол'], ['中国'], ['🇰🇿']]);
  });

  it('throws on a row of the wrong width', () => {
    expect(() => toCsv(['a', 'b'], [['1', '2'], ['1']])).toThrow(/row 2 has 1 fields.*has 2/);
    expect(() => toCsv(['a', 'b'], [['1', '2', '3']])).toThrow(RangeError);
    expect(() => toCsv([], [])).toThrow(RangeError);
  });

  it('accepts any iterable of rows, and writes just the header when there are none', () => {
    function* gen(): Generator<CsvCell[]> {
      yield [1, 'a'];
    }
    expect(toCsv(['n', 's'], gen(), { bom: false })).toBe('n,s\r\n1,a\r\n');
    expect(toCsv(['n', 's'], [])).toBe(`${CSV_BOM}n,s\r\n`);
  });
});

describe('csvChunks', () => {
  const header = ['entity', 'value', 'note'];
  function* many(count: number, pulled?: { n: number }): Generator<CsvCell[]> {
    for (let i = 0; i < count; i++) {
      if (pulled) pulled.n++;
      yield [i % 3 === 0 ? 'Ак Жол' : 'Korea, Rep.', i / 10, i % 7 === 0 ? '=1+1\n"x"' : null];
    }
  }

  it('concatenates to exactly what toCsv writes', () => {
    for (const options of [{}, { bom: false }, { chunkSize: 1 }, { chunkSize: 100, bom: false }]) {
      expect([...csvChunks(header, many(500), options)].join('')).toBe(
        toCsv(header, many(500), options),
      );
    }
  });

  it('yields the BOM and header first, then whole rows', () => {
    const chunks = [...csvChunks(header, many(1000), { chunkSize: 256 })];
    expect(chunks[0]).toBe(`${CSV_BOM}entity,value,note\r\n`);
    expect([...csvChunks(header, [], { bom: false })]).toEqual(['entity,value,note\r\n']);
    for (const chunk of chunks.slice(1)) {
      expect(chunk.endsWith('\r\n')).toBe(true);
      expect(read(chunk).every((r) => r.length === 3)).toBe(true);
    }
    for (const chunk of chunks.slice(1, -1)) expect(chunk.length).toBeGreaterThanOrEqual(256);
  });

  it('streams 100k rows in many chunks, pulling rows only as chunks are asked for', () => {
    const pulled = { n: 0 };
    const chunks = csvChunks(header, many(100_000, pulled), { chunkSize: 4096 });
    expect(chunks.next().value).toBe(`${CSV_BOM}entity,value,note\r\n`);
    expect(pulled.n).toBe(0);
    const second = chunks.next().value as string;
    expect(second.length).toBeGreaterThanOrEqual(4096);
    expect(pulled.n).toBeLessThan(500);

    let count = 2;
    let length = CSV_BOM.length + header.join(',').length + 2 + second.length;
    for (const chunk of chunks) {
      count++;
      length += chunk.length;
    }
    expect(pulled.n).toBe(100_000);
    expect(count).toBeGreaterThan(500);
    expect(length).toBe(toCsv(header, many(100_000)).length);
  });

  it('uses ~64 KB chunks by default', () => {
    const chunks = [...csvChunks(header, many(20_000))];
    expect(chunks.length).toBeGreaterThan(3);
    for (const chunk of chunks.slice(1, -1)) {
      expect(chunk.length).toBeGreaterThanOrEqual(64 * 1024);
      expect(chunk.length).toBeLessThan(64 * 1024 + 200);
    }
  });

  it('throws at a row of the wrong width, after the chunks before it', () => {
    function* bad(): Generator<CsvCell[]> {
      yield* many(10);
      yield ['short'];
    }
    const chunks = csvChunks(header, bad(), { chunkSize: 50 });
    const seen: string[] = [];
    expect(() => {
      for (const chunk of chunks) seen.push(chunk);
    }).toThrow(/row 11 has 1 fields/);
    expect(seen.length).toBeGreaterThan(1);
  });

  it('closes the rows iterator when the consumer stops early', () => {
    let closed = false;
    function* rows(): Generator<CsvCell[]> {
      try {
        yield* many(1000);
      } finally {
        closed = true;
      }
    }
    const chunks = csvChunks(header, rows(), { chunkSize: 100 });
    chunks.next();
    chunks.next();
    chunks.return(undefined);
    expect(closed).toBe(true);
  });

  it('rejects a chunk size below 1', () => {
    expect(() => csvChunks(header, [], { chunkSize: 0 }).next()).toThrow(RangeError);
    expect(() => csvChunks(header, [], { chunkSize: NaN }).next()).toThrow(RangeError);
  });
});
