import { describe, expect, it } from 'vitest';
import { parseDataFile } from '@/lib/formats';

/** A World Bank download of the size the import has to handle: 16,000 rows × 64 years. */
function bigWorldBankFile(rows: number, years: number): Uint8Array {
  const yearNames = Array.from({ length: years }, (_, i) => `"${1960 + i}"`).join(',');
  const parts = [
    '\uFEFF"Data Source","World Development Indicators",\n\n"Last Updated Date","2024-06-28",\n\n',
    `"Country Name","Country Code","Indicator Name","Indicator Code",${yearNames},\n`,
  ];
  const letters = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
  for (let r = 0; r < rows; r++) {
    const code = `${letters[r % 26]}${letters[Math.floor(r / 26) % 26]}${letters[Math.floor(r / 676) % 26]}`;
    const cells = Array.from({ length: years }, (_, y) =>
      (r + y) % 100 === 0 ? '""' : `"${((r * 31 + y * 7) % 1000) / 100 - 5}"`,
    );
    parts.push(`"Country ${r}","${code}","Population","SP.POP.TOTL",${cells.join(',')},\n`);
  }
  return new TextEncoder().encode(parts.join(''));
}

describe('a million-value World Bank file', () => {
  it('is read completely and correctly', () => {
    // 17,576 distinct three-letter codes exist, so 16,000 rows never repeat one.
    const rows = 16_000;
    const years = 64;
    const result = parseDataFile(bigWorldBankFile(rows, years));
    expect(result.problems).toEqual([]);
    expect(result.rowsRead).toBe(rows);
    expect(result.values.length + result.meta.missing).toBe(rows * years);
    expect(result.meta.missing).toBe((rows * years) / 100);
    const last = result.values.at(-1);
    expect(last).toMatchObject({
      row: 5 + rows,
      period: '2023',
      entityName: `Country ${rows - 1}`,
    });
    expect(last?.value).toBe((((rows - 1) * 31 + 63 * 7) % 1000) / 100 - 5);
  });
});
