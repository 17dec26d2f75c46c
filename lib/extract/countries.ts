// Country mentions in running text, by name ("Kazakhstan", "People's Republic of China") or
// demonym ("Chinese", "Kenyans"), from world-countries and i18n-iso-countries. Matching is
// case-sensitive: "china" the porcelain and "turkey" the bird are lower case. A name two
// countries share ("Congo") is left out rather than guessed.
import countries from 'i18n-iso-countries';
import english from 'i18n-iso-countries/langs/en.json';
import worldCountries from 'world-countries';

countries.registerLocale(english);

export type CountryMention = { start: number; end: number; code: string; name: string };

// Demonyms world-countries does not list (it has "Kazakhstani", not "Kazakh"), and initialisms.
const EXTRA: [string, string][] = [
  ['Kazakh', 'KAZ'],
  ['Uzbek', 'UZB'],
  ['Kyrgyz', 'KGZ'],
  ['Tajik', 'TJK'],
  ['Turkmen', 'TKM'],
  ['Afghan', 'AFG'],
  ['British', 'GBR'],
  ['US', 'USA'],
  ['U.S.', 'USA'],
  ['UK', 'GBR'],
  ['UAE', 'ARE'],
];

type Lexicon = { re: RegExp; codes: Map<string, string>; names: Map<string, string> };
let lexicon: Lexicon | null = null;

function addName(byName: Map<string, Set<string>>, name: string, code: string) {
  if (name.length < 2) return;
  let set = byName.get(name);
  if (!set) byName.set(name, (set = new Set()));
  set.add(code);
}

/** Every spelling → its codes: names, official names, long alternative spellings, demonyms. */
function namesToCodes(): Map<string, Set<string>> {
  const byName = new Map<string, Set<string>>();
  for (const c of worldCountries) {
    const code = c.cca3;
    for (const n of [c.name.common, c.name.official]) addName(byName, n, code);
    for (const alt of c.altSpellings) if (alt.length > 3) addName(byName, alt, code);
    const dem = c.demonyms?.eng;
    for (const d of dem ? [dem.m, dem.f] : []) {
      addName(byName, d, code);
      // Plurals: "Kenyans", "Syrians"; "Chinese" and "Swiss" are their own plural.
      if (!/(?:ese|ss|sh|ch)$/.test(d)) addName(byName, `${d}s`, code);
    }
  }
  for (const [alpha2, names] of Object.entries(countries.getNames('en', { select: 'all' }))) {
    const code = countries.alpha2ToAlpha3(alpha2);
    for (const n of names) if (code && !n.includes(',')) addName(byName, n, code);
  }
  for (const [n, code] of EXTRA) addName(byName, n, code);
  return byName;
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function buildLexicon(): Lexicon {
  const codes = new Map<string, string>();
  for (const [name, set] of namesToCodes()) if (set.size === 1) codes.set(name, [...set][0]!);
  const names = new Map<string, string>();
  for (const c of worldCountries) names.set(c.cca3, c.name.common);
  // Longest first, so "South Korea" wins over "Korea" and "Guinea-Bissau" over "Guinea".
  const alternatives = [...codes.keys()].sort((a, b) => b.length - a.length).map(escape);
  const re = new RegExp(`(?<![\\p{L}\\p{N}])(?:${alternatives.join('|')})(?![\\p{L}\\p{N}])`, 'gu');
  return { re, codes, names };
}

/** Country mentions in text order. */
export function countryMentions(text: string): CountryMention[] {
  lexicon ??= buildLexicon();
  const { re, codes, names } = lexicon;
  const out: CountryMention[] = [];
  for (const m of text.matchAll(re)) {
    const code = codes.get(m[0])!;
    out.push({ start: m.index, end: m.index + m[0].length, code, name: names.get(code) ?? m[0] });
  }
  return out;
}

/** Whether a capitalised word names the people of a country ("Chinese", "Syrians"). */
export function isDemonymPlural(word: string): boolean {
  lexicon ??= buildLexicon();
  if (!lexicon.codes.has(word)) return false;
  // A country's own name is not a count noun: "5 Kenyans", not "5 Kenya".
  return /(?:ese|ss|ans|ians|ers|is|ish|ch|s)$/.test(word) && !isCountryName(word);
}

function isCountryName(word: string): boolean {
  return worldCountries.some((c) => c.name.common === word);
}
