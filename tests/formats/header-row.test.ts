// Finding 10 of issue #25: a headerRow past the rows the header is looked for in (64),
// or past the file's end, was silently ignored and the file read from row 1.
import { describe, expect, it } from 'vitest';
import { parseDataFile } from '@/lib/formats';

const mapping = { entity: 'entity', period: 'period', values: ['value'] };
const csv = (rows: number) =>
  new TextEncoder().encode(
    [
      'entity,code,period,value',
      ...Array.from({ length: rows }, (_, i) => `France,FRA,${1900 + i},${i}`),
    ].join('\n'),
  );

describe('headerRow', () => {
  it('past the end of a short file is refused, and nothing is read', () => {
    for (const headerRow of [3, 65, 1_000_000]) {
      const r = parseDataFile(csv(1), { mapping: { ...mapping, headerRow } });
      expect(r.values).toHaveLength(0);
      expect(r.problems.map((p) => p.reason)).toEqual([
        `headerRow ${headerRow} is past the rows the header is looked for in (rows 1 to 2, the end of the file)`,
      ]);
    }
  });

  it('past the first 64 rows of a long file is refused', () => {
    const r = parseDataFile(csv(100), { mapping: { ...mapping, headerRow: 80 } });
    expect(r.values).toHaveLength(0);
    expect(r.problems[0]?.reason).toBe(
      'headerRow 80 is past the rows the header is looked for in (rows 1 to 64)',
    );
  });

  it('within them still reads from there', () => {
    const r = parseDataFile(csv(3), { mapping: { ...mapping, headerRow: 1 } });
    expect(r.values).toHaveLength(3);
  });
});
