// The unit registry: every unit Sourced can convert, with its factor to its
// dimension's base unit. A value in unit A converts to unit B as
// value × A.toBase / B.toBase. Units of different dimensions never convert, and a
// unit the registry does not know matches only itself (after normalising spelling).
import { drawable, LARGEST_VALUE, SMALLEST_VALUE } from './drawable';

export type UnitDef = {
  /** Canonical long name. */
  name: string;
  short: string;
  dimension: string;
  /** Multiply a value in this unit by toBase to get the dimension's base unit. */
  toBase: number;
  aliases: string[];
  /** Where the factor comes from. */
  basis: string;
};

// 1 mile = 1.609344 km exactly (international mile, 1959), so 1 mi² = 2.589988110336 km².
const KM2_PER_MI2 = 2.589988110336;
// Crude oil: 7.33 barrels per tonne, the average conversion factor used by the Energy
// Institute Statistical Review of World Energy (formerly BP's); 365 days a year.
const BARRELS_PER_TONNE = 7.33;
// Primary energy: 1 tonne of oil equivalent = 41.868 GJ = 11.63 MWh, so 1 Mtoe = 11.63 TWh
// (IEA, "Unit converter and glossary", https://www.iea.org/data-and-statistics/data-tools/unit-converter;
// BP/Energy Institute Statistical Review, "Approximate conversion factors"). Our World in
// Data's oil series in TWh are the Statistical Review's exajoules × 277.78; reading them
// in tonnes takes a tonne of oil as a tonne of oil equivalent (crude oils carry 41–45 GJ/t).
const TWH_PER_MTOE = 11.63;

export const UNITS: UnitDef[] = [
  {
    name: 'percent',
    short: '%',
    dimension: 'share',
    toBase: 1,
    aliases: ['%', 'percent', 'per cent', 'pct', 'percentage'],
    basis: 'definition',
  },
  {
    name: 'fraction',
    short: '0–1',
    dimension: 'share',
    toBase: 100,
    aliases: ['fraction', 'share (0-1)', 'ratio'],
    basis: '1 = 100%',
  },
  {
    name: 'people per km²',
    short: 'people/km²',
    dimension: 'population density',
    toBase: 1,
    aliases: [
      'people per km²',
      'people/km²',
      'people per km2',
      'people per sq. km',
      'people per sq km',
      'people per square kilometer',
      'people per square kilometre',
      'persons per km²',
      'inhabitants per km²',
      'people per sq. km of land area',
    ],
    basis: 'definition',
  },
  {
    name: 'people per mi²',
    short: 'people/mi²',
    dimension: 'population density',
    toBase: 1 / KM2_PER_MI2,
    aliases: [
      'people per mi²',
      'people/mi²',
      'people per mi2',
      'people per square mile',
      'people per sq mi',
    ],
    basis: '1 mi² = 2.589988110336 km² (international mile)',
  },
  {
    name: 'million tonnes per year',
    short: 'Mt/yr',
    dimension: 'oil flow',
    toBase: 1,
    aliases: [
      'million tonnes per year',
      'mt/yr',
      'mt per year',
      'million tonnes a year',
      'million tons per year',
      'million metric tons per year',
      'million tonnes',
    ],
    basis: 'definition',
  },
  {
    name: 'barrels per day',
    short: 'b/d',
    dimension: 'oil flow',
    toBase: 365 / (BARRELS_PER_TONNE * 1e6),
    aliases: ['barrels per day', 'b/d', 'bpd', 'barrels a day', 'bbl/d'],
    basis: '7.33 barrels per tonne of crude (Energy Institute Statistical Review), 365 days',
  },
  {
    name: 'thousand barrels per day',
    short: 'kb/d',
    dimension: 'oil flow',
    toBase: 365 / (BARRELS_PER_TONNE * 1000),
    aliases: ['thousand barrels per day', 'kb/d', 'kbd', 'thousand barrels a day', 'kbpd'],
    basis: '7.33 barrels per tonne of crude (Energy Institute Statistical Review), 365 days',
  },
  {
    name: 'million barrels per day',
    short: 'mb/d',
    dimension: 'oil flow',
    toBase: 365 / BARRELS_PER_TONNE,
    aliases: ['million barrels per day', 'mb/d', 'mbd', 'million barrels a day'],
    basis: '7.33 barrels per tonne of crude (Energy Institute Statistical Review), 365 days',
  },
  {
    name: 'terawatt-hours per year',
    short: 'TWh/yr',
    dimension: 'oil flow',
    toBase: 1 / TWH_PER_MTOE,
    aliases: ['terawatt-hours per year', 'twh/yr', 'twh', 'twh per year', 'terawatt-hours'],
    basis:
      '1 Mtoe = 11.63 TWh (IEA: 1 toe = 41.868 GJ; Statistical Review conversion factors); oil taken at 1 tonne = 1 toe, within a few per cent',
  },
  {
    name: 'people',
    short: 'people',
    dimension: 'count of people',
    toBase: 1,
    aliases: ['people', 'persons', 'number of people'],
    basis: 'definition',
  },
  {
    name: 'thousand people',
    short: 'k people',
    dimension: 'count of people',
    toBase: 1e3,
    aliases: ['thousand people', 'thousands', 'thousand persons', 'k people'],
    basis: 'definition',
  },
  {
    name: 'million people',
    short: 'M people',
    dimension: 'count of people',
    toBase: 1e6,
    aliases: ['million people', 'millions', 'million persons', 'm people'],
    basis: 'definition',
  },
  {
    name: 'million people per year',
    short: 'M people/yr',
    dimension: 'people per year',
    toBase: 1e6,
    aliases: ['million people per year', 'm people/yr', 'million people a year'],
    basis: 'definition',
  },
  {
    name: 'people per year',
    short: 'people/yr',
    dimension: 'people per year',
    toBase: 1,
    aliases: ['people per year', 'people/yr', 'people a year'],
    basis: 'definition',
  },
];

/** Lower case, one space, and the usual spellings of squares and "per". */
export function normalizeUnit(unit: string): string {
  return unit
    .normalize('NFKC')
    .toLowerCase()
    .trim()
    .replace(/\s+/g, ' ')
    .replace(/\^2|2\b/g, '²')
    .replace(/\bsq\.? ?km\b/g, 'km²')
    .replace(/ ?\/ ?/g, '/');
}

const byAlias = new Map<string, UnitDef>();
for (const u of UNITS) {
  for (const a of [u.name, u.short, ...u.aliases]) byAlias.set(normalizeUnit(a), u);
}

export function findUnit(unit: string): UnitDef | null {
  return byAlias.get(normalizeUnit(unit)) ?? null;
}

export type Conversion =
  { ok: true; factor: number; from: string; to: string } | { ok: false; reason: string };

/**
 * The factor that takes values in `from` to the indicator's unit (given by its long
 * and short names). Identical units convert with factor 1 even when unregistered.
 */
export function conversionTo(
  from: string,
  indicatorUnit: { long: string; short: string },
): Conversion {
  const n = normalizeUnit(from);
  const target = findUnit(indicatorUnit.long) ?? findUnit(indicatorUnit.short);
  if (n === normalizeUnit(indicatorUnit.long) || n === normalizeUnit(indicatorUnit.short)) {
    return { ok: true, factor: 1, from, to: indicatorUnit.long };
  }
  const source = findUnit(from);
  if (!source) {
    return {
      ok: false,
      reason: `unit "${from}" is not the indicator's unit ("${indicatorUnit.long}") and is not a known convertible unit`,
    };
  }
  if (!target || target.dimension !== source.dimension) {
    return {
      ok: false,
      reason: `unit "${from}" (${source.dimension}) cannot be converted to the indicator's unit "${indicatorUnit.long}"`,
    };
  }
  return { ok: true, factor: source.toBase / target.toBase, from: source.name, to: target.name };
}

/** Applies a factor without adding float noise to exact values (0.3 stays 0.3). */
export function convertValue(value: number, factor: number): number {
  if (factor === 1) return value;
  return Number((value * factor).toPrecision(15));
}

/**
 * `convertValue`, or null when the result is not a finite number (1.79e308 people per
 * km² has no value per mi²): callers leave that one cell empty instead of failing.
 */
export function convertFinite(value: number, factor: number): number | null {
  const converted = convertValue(value, factor);
  return Number.isFinite(converted) ? converted : null;
}

function notDrawable(value: number, unit: string): string {
  return `${value}${unit ? ` ${unit}` : ''} is outside the values a chart can draw (0, or between ${SMALLEST_VALUE} and ${LARGEST_VALUE} in magnitude)`;
}

/**
 * Why `value`, recorded in `unit`, cannot be stored: it is not a finite number, or it
 * would not be one in another unit of its dimension, where a chart, table or download
 * may show it. Null when it can be stored.
 */
export function unstorableValue(value: number, unit: string): string | null {
  return unstorableCheck(unit)(value);
}

/** unstorableValue for the many values of one unit: the unit is looked up once. */
export function unstorableCheck(unit: string): (value: number) => string | null {
  const own = findUnit(unit);
  const others = own
    ? UNITS.filter((o) => o.dimension === own.dimension && o !== own).map(
        (o) => [o.short, own.toBase / o.toBase] as const,
      )
    : [];
  return (value) => {
    if (!Number.isFinite(value)) return `${value} is not a finite number`;
    const converted = others.map(
      ([short, factor]) => [short, convertFinite(value, factor)] as const,
    );
    const overflow = converted.find(([, v]) => v === null);
    if (overflow) return `${value} ${own!.short} is too large to be shown in ${overflow[0]}`;
    if (!drawable(value)) return notDrawable(value, own?.short ?? '');
    const beyond = converted.find(([, v]) => !drawable(v!));
    if (beyond)
      return `${value} ${own!.short} is too ${Math.abs(value) > 1 ? 'large' : 'small'} to be shown in ${beyond[0]}`;
    return null;
  };
}

/** Units a value of the indicator's unit can be shown in, the indicator's own first. */
export function compatibleUnits(indicatorUnit: {
  long: string;
  short: string;
}): { name: string; short: string }[] {
  const own = { name: indicatorUnit.long, short: indicatorUnit.short };
  const def = findUnit(indicatorUnit.long) ?? findUnit(indicatorUnit.short);
  if (!def) return [own];
  return [
    own,
    ...UNITS.filter((u) => u.dimension === def.dimension && u !== def).map((u) => ({
      name: u.name,
      short: u.short,
    })),
  ];
}

/** The display unit asked for in a URL, if the indicator's values convert to it; else null. */
export function displayUnit(
  requested: string | null,
  indicatorUnit: { long: string; short: string },
) {
  if (!requested) return null;
  const match = compatibleUnits(indicatorUnit).find(
    (u) =>
      normalizeUnit(u.name) === normalizeUnit(requested) ||
      normalizeUnit(u.short) === normalizeUnit(requested),
  );
  return match && match.name !== indicatorUnit.long ? match : null;
}
