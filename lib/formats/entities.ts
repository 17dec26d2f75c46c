// Entity names and codes as files write them, to ISO 3166 alpha-3 codes, through two country
// libraries: i18n-iso-countries (codes in every form, common English names and aliases such as
// "Korea, Republic of") and world-countries (official names, alternative spellings and names in
// 23 languages: "Democratic People's Republic of Korea", "Allemagne"). Names are compared after
// removing accents, punctuation and words like "of", with "X, Rep." also tried as "Rep. X". A
// name that matches no country, or more than one ("Congo"), is never guessed: it is listed for
// the user to map.
import countries from 'i18n-iso-countries';
import english from 'i18n-iso-countries/langs/en.json';
import worldCountries from 'world-countries';
import { aliasCode, normaliseCodes } from './country-aliases';
import type { UnmatchedName } from './mapping';
import type { ValueTable } from './value-table';
import { WORLD_BANK_AGGREGATE_CODES, WORLD_BANK_AGGREGATE_NAMES } from './world-bank-aggregates';

countries.registerLocale(english);

// Abbreviations in World Bank and UN names ("Congo, Dem. Rep.", "Micronesia, Fed. Sts.").
// A Map: a plain object answers "constructor" or "toString" in a name with a function.
const ABBREVIATIONS = new Map<string, string>([
  ['rep', 'republic'],
  ['dem', 'democratic'],
  ['fed', 'federated'],
  ['sts', 'states'],
  ['st', 'saint'],
  ['ste', 'sainte'],
  ['pdr', 'peoples democratic republic'],
  ['is', 'islands'],
  ['isl', 'islands'],
]);
const STOP_WORDS = new Set(['the', 'of', 'and']);

function tokens(name: string): string[] {
  const plain = name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/['’`ʼ]/g, '')
    .replace(/&/g, ' and ')
    .replace(/\bu\.\s?s\.(?:\s?a\.)?/g, ' united states ');
  return plain
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean)
    .flatMap((t) => (ABBREVIATIONS.get(t) ?? t).split(' '))
    .filter((t) => !STOP_WORDS.has(t));
}

/** The name, and its reorderings: "Iran (Islamic Republic of)" and "Korea, Rep." read backwards. */
function variants(name: string): string[] {
  const out = new Set([name]);
  const paren = /^(.*?)\s*\(([^)]*)\)\s*$/.exec(name);
  if (paren) out.add(`${paren[2]} ${paren[1]}`);
  for (const v of [...out]) {
    const comma = /^([^,]+),\s*(.+)$/.exec(v);
    if (comma) out.add(`${comma[2]} ${comma[1]}`);
  }
  return [...out];
}

/** Keys that ignore word order and spacing ("Viet Nam" = "Vietnam"), never dropping a word. */
function keys(name: string): string[] {
  const out = new Set<string>();
  for (const v of variants(name)) {
    const t = tokens(v);
    if (t.length === 0) continue;
    out.add(`c:${t.join('')}`);
    out.add(`s:${[...t].sort().join(' ')}`);
  }
  return [...out];
}

type Index = Map<string, Set<string>>;
let primary: Index | null = null;
let translated: Index | null = null;

function add(index: Index, name: string, code: string) {
  for (const key of keys(name)) {
    let codes = index.get(key);
    if (!codes) index.set(key, (codes = new Set()));
    codes.add(code);
  }
}

function indexes(): { primary: Index; translated: Index } {
  if (primary && translated) return { primary, translated };
  primary = new Map();
  translated = new Map();
  for (const [alpha2, names] of Object.entries(countries.getNames('en', { select: 'all' }))) {
    const alpha3 = countries.alpha2ToAlpha3(alpha2);
    if (!alpha3) continue;
    for (const name of names) add(primary, name, alpha3);
  }
  for (const c of worldCountries) {
    add(primary, c.name.common, c.cca3);
    add(primary, c.name.official, c.cca3);
    // Two-letter entries are alpha-2 codes, handled as codes.
    for (const alt of c.altSpellings) if (alt.length > 3) add(primary, alt, c.cca3);
    for (const t of Object.values(c.translations)) {
      add(translated, t.common, c.cca3);
      add(translated, t.official, c.cca3);
    }
  }
  return { primary, translated };
}

function lookup(index: Index, name: string): string[] {
  const codes = new Set<string>();
  for (const key of keys(name)) for (const code of index.get(key) ?? []) codes.add(code);
  return [...codes].sort();
}

/**
 * The ISO 3166 alpha-3 codes a country name could mean: one for a match, several when the name
 * is ambiguous, none when unknown. English names are tried first; names in other languages only
 * when no English one matches, since translations collide more ("Sudan" is also South Sudan's
 * name in some of them).
 */
export function countryCodesForName(name: string): string[] {
  const alias = aliasCode(name);
  if (alias) return [alias];
  const { primary, translated } = indexes();
  const english = lookup(primary, name);
  return normaliseCodes(english.length > 0 ? english : lookup(translated, name));
}

export type CodeCell =
  { code: string; aggregate: boolean } | { code: null; aggregate: boolean } | { error: string };

/**
 * A code column's cell: ISO alpha-3 (or a World Bank aggregate code), alpha-2, or numeric (UN
 * M49, which for countries is ISO 3166 numeric; the others are regions, so aggregates).
 */
export function readCodeCell(raw: string): CodeCell {
  const text = raw.trim().toUpperCase();
  if (text === '') return { code: null, aggregate: false };
  if (/^[A-Z]{3}$/.test(text))
    return { code: text, aggregate: WORLD_BANK_AGGREGATE_CODES.has(text) };
  if (/^[A-Z]{2}$/.test(text)) {
    const alpha3 = countries.alpha2ToAlpha3(text);
    if (alpha3) return { code: alpha3, aggregate: false };
    return { error: `${JSON.stringify(raw.trim())} is not an ISO 3166 code` };
  }
  if (/^\d{1,3}$/.test(text)) {
    const alpha3 = countries.numericToAlpha3(text.padStart(3, '0'));
    return alpha3 ? { code: alpha3, aggregate: false } : { code: null, aggregate: true };
  }
  // OWID's own codes (OWID_WRL, OWID_KOS) and similar are not ISO: keep the row, by name.
  if (/^OWID_/.test(text)) return { code: null, aggregate: text === 'OWID_WRL' };
  return { error: `${JSON.stringify(raw.trim())} is not an ISO 3166 code` };
}

export function isAggregateName(name: string): boolean {
  return WORLD_BANK_AGGREGATE_NAMES.has(name.trim().toLowerCase());
}

/**
 * Gives every value that has a name but no code the code its name maps to: the user's own
 * mapping first, then the country libraries. Returns the names left without a code, for the user
 * to map (or to leave to entities the database already knows by that name).
 */
export function resolveEntityNames(
  values: ValueTable,
  userNames: Record<string, string> = {},
): UnmatchedName[] {
  const chosen = new Map<string, string>();
  for (const [name, code] of Object.entries(userNames)) {
    chosen.set(name.trim().toLowerCase(), code.trim().toUpperCase());
  }
  // Each distinct entity once: how many values it has and its first row.
  const entities = values.entityList;
  const counts = new Int32Array(entities.length);
  const firstRows = new Int32Array(entities.length);
  for (let i = 0; i < values.length; i++) {
    const e = values.entities[i]!;
    if (counts[e] === 0) firstRows[e] = values.rows[i]!;
    counts[e]! += 1;
  }
  const cache = new Map<string, string[]>();
  const unmatched = new Map<string, UnmatchedName>();
  entities.forEach((entity, e) => {
    if (entity.code !== null || entity.name === null || entity.isAggregate || counts[e] === 0)
      return;
    const key = entity.name.trim().toLowerCase();
    const mapped = chosen.get(key);
    if (mapped) {
      entity.code = mapped;
      return;
    }
    if (isAggregateName(key)) {
      entity.isAggregate = true;
      return;
    }
    let codes = cache.get(key);
    if (!codes) cache.set(key, (codes = countryCodesForName(entity.name)));
    if (codes.length === 1) {
      entity.code = codes[0]!;
      return;
    }
    const seen = unmatched.get(key);
    if (seen) {
      seen.count += counts[e]!;
      seen.row = Math.min(seen.row, firstRows[e]!);
    } else {
      unmatched.set(key, {
        name: entity.name.trim(),
        row: firstRows[e]!,
        count: counts[e]!,
        candidates: codes,
      });
    }
  });
  return [...unmatched.values()];
}
