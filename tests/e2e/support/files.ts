// Data files in the formats analysts download, generated for the tests.

const YEARS = Array.from({ length: 64 }, (_, i) => 1960 + i);

export type WorldBankRow = { name: string; code: string; values: (number | string | null)[] };

/** A World Bank API download: BOM, preamble, quoted fields, trailing commas, CRLF. */
export function worldBankFile(
  rows: WorldBankRow[],
  indicator = ['Population density (people per sq. km of land area)', 'EN.POP.DNST'],
) {
  const q = (v: string) => `"${v.replace(/"/g, '""')}"`;
  const lines = [
    '\ufeff"Data Source","World Development Indicators",',
    '',
    '"Last Updated Date","2024-06-28",',
    '',
    `"Country Name","Country Code","Indicator Name","Indicator Code",${YEARS.map((y) => q(String(y))).join(',')},`,
    ...rows.map(
      (r) =>
        `${q(r.name)},${q(r.code)},${q(indicator[0]!)},${q(indicator[1]!)},${YEARS.map((_, i) => q(r.values[i] === null || r.values[i] === undefined ? '' : String(r.values[i]))).join(',')},`,
    ),
  ];
  return lines.join('\r\n') + '\r\n';
}

/** Smooth synthetic densities (test data, not the World Bank's). */
export function densityRows(): WorldBankRow[] {
  return [
    {
      name: 'China',
      code: 'CHN',
      values: YEARS.map((y) => Math.round((70 + 1.3 * (y - 1960)) * 100) / 100),
    },
    {
      name: 'Kazakhstan',
      code: 'KAZ',
      values: YEARS.map((y) => Math.round((3.5 + 0.06 * (y - 1960)) * 100) / 100),
    },
  ];
}

export const YEAR_COLUMNS = YEARS;
