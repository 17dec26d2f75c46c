// What the layout detectors share: their result, finding the header below title rows, and
// recognising columns by the names statistical publishers give them.
import type { CsvRecord } from './csv-records';
import type { ColumnMapping } from './mapping';
import type { NumberResult } from './number';
import { parseLoosePeriod } from './dates';
import { columnRefs, MISSING_MARKERS, parseFlexiblePeriod, type TableSpec } from './table';
import type { FileFormat } from './types';

export interface Detection {
  format: FileFormat;
  /** Index of the header among the records looked at. */
  headerIndex: number;
  /** The columns' roles as detected, in the mapping's own terms. */
  mapping: ColumnMapping;
  /** Value columns to choose from when the mapping names none. */
  candidates?: string[];
  seriesLabelColumn?: string;
  sourceColumn?: string;
  stopAt?: TableSpec['stopAt'];
  /** False when the roles were guessed, or some could not be found: the user should check them. */
  confident: boolean;
}

export function nonEmpty(fields: readonly string[]): number {
  let n = 0;
  for (const f of fields) if (f.trim() !== '') n++;
  return n;
}

/**
 * The header: the first record with at least two names that is about as full as the rows below
 * it. Title rows ("T02, Population, density and surface area"), units lines and blank spreadsheet
 * rows above a table have one or two cells.
 */
export function findHeaderIndex(records: readonly CsvRecord[]): number {
  for (let i = 0; i < records.length; i++) {
    const filled = nonEmpty(records[i]!.fields);
    if (filled < 2) continue;
    const below = records.slice(i + 1, i + 6).map((r) => nonEmpty(r.fields));
    if (below.length === 0) return i;
    const sorted = [...below].sort((a, b) => a - b);
    const median = sorted[Math.floor(sorted.length / 2)]!;
    if (filled >= median * 0.6) return i;
  }
  return records.length > 0 ? 0 : -1;
}

const key = (name: string) =>
  name
    .trim()
    .toLowerCase()
    .replace(/[\s_-]+/g, ' ');

/** Column names by role, compared lower-case with spaces, underscores and hyphens alike. */
export const ROLE_NAMES = {
  entity: [
    'entity',
    'country',
    'country name',
    'countryname',
    'country or area',
    'country/area',
    'country/region',
    'region, subregion, country or area',
    'country or region',
    'countries',
    'location',
    'location name',
    'area',
    'geo',
    'economy',
    'nation',
    'region/country/area',
    'reference area',
    'territory',
    'name',
    'land',
    'pays',
    'país',
  ],
  code: [
    'code',
    'iso',
    'iso3',
    'iso 3',
    'iso code',
    'isocode',
    'iso3 code',
    'iso alpha3',
    'iso alpha 3',
    'alpha3',
    'alpha 3',
    'iso3166 alpha3',
    'iso 3166 alpha 3',
    'iso3166 1 alpha 3',
    'country code',
    'countrycode',
    'country iso3',
    'country iso code',
    'ccode',
    'cca3',
    'iso a3',
    'adm0 a3',
    'geo code',
    'ref area',
  ],
  period: [
    'period',
    'year',
    'years',
    'year(s)',
    'time',
    'time period',
    'date',
    'yr',
    'jahr',
    'année',
    'annee',
    'año',
    'anno',
    'observation date',
  ],
  value: [
    'value',
    'values',
    'obs value',
    'observation value',
    'val',
    'amount',
    'data',
    'valeur',
    'wert',
    'valor',
  ],
  unit: ['unit', 'units', 'unit of measure', 'unit measure', 'uom', 'unité', 'einheit'],
  note: ['note', 'notes', 'footnote', 'footnotes', 'value footnotes', 'comment', 'comments'],
  low: ['low', 'lower', 'lo', 'lower bound', 'ci low', 'ci lower', 'lower ci', 'lower estimate'],
  high: ['high', 'upper', 'hi', 'upper bound', 'ci high', 'ci upper', 'upper ci', 'upper estimate'],
  series: [
    'series',
    'series name',
    'indicator',
    'indicator name',
    'variable',
    'var',
    'measure',
    'item',
    'subject',
  ],
} as const;

export type Role = keyof typeof ROLE_NAMES | 'id';

const ROLE_KEYS = Object.fromEntries(
  Object.entries(ROLE_NAMES).map(([role, names]) => [role, new Set<string>(names.map(key))]),
) as Record<keyof typeof ROLE_NAMES, Set<string>>;

export function roleOf(name: string): Role | null {
  const k = key(name);
  for (const role of Object.keys(ROLE_KEYS) as (keyof typeof ROLE_NAMES)[]) {
    if (ROLE_KEYS[role].has(k)) return role;
  }
  // FAO's "Area Code (ISO3)", UN's "ISO3 Alpha-code": an alpha-3 code.
  if (/\(iso ?3\)$|^iso3 alpha ?code$/.test(k)) return 'code';
  // ISO3166_alpha3 (Energy Institute), "ISO 3166-1 alpha-3 code", "iso_a3": an alpha-3 code.
  if (/\biso\b.*\b(?:alpha ?3|a3)\b|^iso ?3166 ?(?:1 )?alpha ?3/.test(k)) return 'code';
  // Other identifiers (ISO3166_numeric, M49, alpha-2) are numbers or codes, never values.
  if (/^iso ?3166|\bnumeric\b|^m49\b|\balpha ?2\b|^iso ?2$/.test(k)) return 'id';
  return null;
}

/** What the first data rows say about each column: numbers, codes, years or text. */
export interface ColumnProfile {
  numbers: number;
  texts: number;
  years: number;
  codes: number;
  /** Numbers other than 0 and 1: columns of only 0/1 are membership flags (OPEC, EU, OECD). */
  measures: number;
  /** Cells that read as a period in any shape people write (2004M07, 31.12.2018, July 2004). */
  periods: number;
  filled: number;
}

export function profileColumns(
  width: number,
  rows: readonly CsvRecord[],
  parseNumber: (raw: string) => NumberResult,
): ColumnProfile[] {
  const out = Array.from({ length: width }, () => ({
    numbers: 0,
    texts: 0,
    years: 0,
    codes: 0,
    measures: 0,
    periods: 0,
    filled: 0,
  }));
  for (const { fields } of rows) {
    for (let i = 0; i < width; i++) {
      const raw = (fields[i] ?? '').trim();
      if (raw === '' || MISSING_MARKERS.has(raw.toLowerCase())) continue;
      const p = out[i]!;
      p.filled++;
      if (/^[A-Z]{3}$/.test(raw)) p.codes++;
      if (
        !/^-?[\d.,]+$/.test(raw) ||
        /^\d{4}$/.test(raw) ||
        /^\d{1,2}[./]\d{1,2}[./]\d{2,4}$/.test(raw)
      ) {
        const loose = parseLoosePeriod(raw, 1000, 2200);
        if (!('error' in loose)) p.periods++;
      }
      if (/^\d{4}$/.test(raw) && !('error' in parseFlexiblePeriod(raw, 1000, 2200))) p.years++;
      const n = parseNumber(raw);
      if (typeof n === 'number') {
        p.numbers++;
        if (n !== 0 && n !== 1) p.measures++;
      } else p.texts++;
    }
  }
  return out;
}

/**
 * Roles from column names and contents: any table with a country (or code) column, a year (or
 * date) column and numbers. One value column makes a tidy table with other names; several make
 * a panel, whose value columns the user chooses. Unsure when a role had to be guessed from the
 * contents alone, or is missing.
 */
export function inferColumns(
  records: readonly CsvRecord[],
  headerIndex: number,
  parseNumber: (raw: string) => NumberResult,
): Detection | null {
  const header = records[headerIndex];
  if (!header) return null;
  const names = header.fields.map((n) => n.trim());
  const refs = columnRefs(names);
  const rows = records.slice(headerIndex + 1);
  const profile = profileColumns(names.length, rows, parseNumber);
  const roles = names.map(roleOf);
  const first = (role: Role) => roles.indexOf(role);
  let confident = true;
  const mapping: ColumnMapping = {};
  let entity = first('entity');
  let code = first('code');
  // OECD's "LOCATION" and the like: a name column that holds codes is the code column.
  if (
    entity >= 0 &&
    code < 0 &&
    profile[entity]!.codes > 0 &&
    profile[entity]!.codes === profile[entity]!.texts
  ) {
    code = entity;
    entity = -1;
  }
  if (entity < 0) {
    // No named entity column: the first text column, if any (beside a code column, the names
    // of the rows without a code: regions, groups).
    const text = profile.findIndex((p, i) => p.texts > 0 && roles[i] === null && i !== code);
    if (code < 0 || (text >= 0 && text < code)) {
      entity = text;
      confident = false;
    }
  }
  let period = first('period');
  // Years across the header win over a column of years guessed from its contents (the IMF's
  // "Estimates Start After").
  if (period < 0) {
    const wide = wideGuess(names, roles, profile, entity, code, refs);
    if (wide) return { ...wide, headerIndex };
  }
  if (period < 0) {
    period = profile.findIndex(
      (p, i) => p.years > 0 && p.years === p.numbers && roles[i] === null && i !== entity,
    );
    // Dates as people write them (2004-Q3, July 2004, 31.12.2018) in a column of any name.
    if (period < 0)
      period = profile.findIndex(
        (p, i) => p.periods > 0 && p.periods === p.filled && i !== entity && i !== code,
      );
    confident = false;
  }
  const taken = new Set([entity, code, period]);
  const series = first('series');
  const optional: Role[] = ['unit', 'note', 'low', 'high'];
  for (const role of optional) {
    const i = first(role);
    if (i >= 0) {
      (mapping as Record<string, string>)[role] = refs[i]!;
      taken.add(i);
    }
  }
  if (entity >= 0) mapping.entity = refs[entity]!;
  if (code >= 0 && code !== entity) mapping.code = refs[code]!;
  if (period >= 0) mapping.period = refs[period]!;
  const named = roles.flatMap((r, i) => (r === 'value' && !taken.has(i) ? [i] : []));
  const numeric = profile.flatMap((p, i) =>
    !taken.has(i) && i !== series && roles[i] === null && p.measures > 0 && p.texts === 0
      ? [i]
      : [],
  );
  let candidates: number[];
  if (named.length > 0) {
    candidates = named;
  } else {
    candidates = numeric;
    if (numeric.length === 1) confident = false;
  }
  if (series >= 0 && candidates.length === 1) {
    mapping.seriesColumn = refs[series]!;
    mapping.values = [refs[candidates[0]!]!];
  } else if (candidates.length === 1) {
    mapping.values = [refs[candidates[0]!]!];
  }
  if ((entity < 0 && code < 0) || period < 0 || candidates.length === 0) confident = false;
  return {
    format: candidates.length > 1 ? 'panel' : 'columns',
    headerIndex,
    mapping,
    candidates: candidates.map((i) => refs[i]!),
    confident,
  };
}

/** A plain year header, or DataBank's "2004 [YR2004]": read without asking. */
const PLAIN_YEAR = /^\d{4}(?:\s*\[YR\d{4}\])?$/;

/**
 * Periods across the columns: two or more headers read as periods (Y1961, 2024年, 1/22/20)
 * over numbers. Sure only when the entity column is named and every period header is a plain
 * year, each once; otherwise the user confirms which header columns are periods.
 */
function wideGuess(
  names: readonly string[],
  roles: readonly (Role | null)[],
  profile: readonly ColumnProfile[],
  entity: number,
  code: number,
  refs: readonly string[],
): Omit<Detection, 'headerIndex'> | null {
  const periods = names.flatMap((n, i) =>
    i !== entity && i !== code && n !== '' && !('error' in parseLoosePeriod(n, 1000, 2200))
      ? [i]
      : [],
  );
  if (periods.length < 2 || (entity < 0 && code < 0)) return null;
  const numeric = periods.filter((i) => profile[i]!.texts === 0);
  if (numeric.length < periods.length / 2) return null;
  const mapping: ColumnMapping = { shape: 'wide' };
  if (entity >= 0) mapping.entity = refs[entity]!;
  if (code >= 0 && code !== entity) mapping.code = refs[code]!;
  const series = roles.indexOf('series');
  if (series >= 0) mapping.seriesColumn = refs[series]!;
  const unit = roles.indexOf('unit');
  if (unit >= 0) mapping.unit = refs[unit]!;
  const plain = periods.every((i) => PLAIN_YEAR.test(names[i]!));
  const once = new Set(periods.map((i) => names[i]!.trim())).size === periods.length;
  const named = roles[entity] === 'entity' || roles[code] === 'code';
  return { format: 'columns', mapping, confident: plain && once && named };
}
