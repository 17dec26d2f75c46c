// Names the two country libraries miss or split, as statistical offices write them, and the
// code each means. Kosovo is XKX (the code the World Bank, the IMF and the EU use), never the
// libraries' UNK or XKK.
import countries from 'i18n-iso-countries';

const ALIASES = new Map<string, string>([
  ['holy see', 'VAT'],
  ['holy see (vatican city state)', 'VAT'],
  ['wallis and futuna islands', 'WLF'],
  ['kosovo', 'XKX'],
  ['kosovo (under unsc res. 1244)', 'XKX'],
  ['china, hong kong sar', 'HKG'],
  ['china, hong kong special administrative region', 'HKG'],
  ['china, macao sar', 'MAC'],
  ['china, macao special administrative region', 'MAC'],
]);

/** Kosovo's codes in the libraries, read as XKX. */
const KOSOVO = new Set(['UNK', 'XKK', 'XKX']);

/** The code an alias names, or null. */
export function aliasCode(name: string): string | null {
  return ALIASES.get(name.trim().toLowerCase().replace(/\s+/g, ' ')) ?? null;
}

/** The libraries' codes with Kosovo's variants made one XKX. */
export function normaliseCodes(codes: string[]): string[] {
  if (!codes.some((c) => KOSOVO.has(c))) return codes;
  return [...new Set(codes.map((c) => (KOSOVO.has(c) ? 'XKX' : c)))].sort();
}

/** A country's English name from its alpha-3 code (DEU → Germany), or null when not a country. */
export function countryName(code: string): string | null {
  const upper = code.toUpperCase();
  if (KOSOVO.has(upper)) return 'Kosovo';
  return countries.getName(upper, 'en', { select: 'official' }) ?? null;
}
