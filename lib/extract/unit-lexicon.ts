// The units the extractor recognises after a number, each with the canonical name it is
// normalised to before the registry is consulted (lib/domain/units.ts has the last word:
// "TWh" becomes the registry's "terawatt-hours per year"). Order matters: longer and more
// specific spellings come first ("percentage points" before "points", "km/h" before "km").

export type UnitPattern = { re: RegExp; name: string; glued?: boolean };

const ER = '(?:er|re)';

const RAW: [string, string, boolean?][] = [
  ['%', 'percent'],
  ['percentage[ -]points?|pp\\b', 'percentage points'],
  ['per ?cent\\b|percent\\b|pct\\b', 'percent'],
  ['basis points?|bps\\b', 'basis points'],
  ['points?\\b|pts\\b', 'points'],
  ['°\\s?C\\b|degrees? Celsius\\b|degrees? centigrade\\b|degrees? C\\b', '°C'],
  ['°\\s?F\\b|degrees? Fahrenheit\\b|degrees? F\\b', '°F'],
  ['C\\b', '°C', true],
  ['F\\b', '°F', true],
  ['degrees?\\b', 'degrees'],
  [`km/h\\b|kph\\b|kilomet${ER}s? (?:per|an) hour\\b`, 'km per hour'],
  ['mph\\b|miles (?:per|an) hour\\b', 'miles per hour'],
  [`square kilomet${ER}s?\\b|sq\\.? ?km\\b|km²|km2\\b|square km\\b`, 'km²'],
  ['square miles?\\b|sq\\.? ?mi\\b|mi²', 'mi²'],
  [`square met${ER}s?\\b|m²`, 'm²'],
  [`cubic met${ER}s?\\b|m³|cubic m\\b`, 'm³'],
  ['hectares?\\b|ha\\b', 'hectares'],
  ['acres?\\b', 'acres'],
  ['barrels? (?:per|a) day\\b|b/d\\b|bpd\\b|bbl/d\\b', 'barrels per day'],
  ['barrels?\\b|bbl\\b', 'barrels'],
  [`lit${ER}s?\\b`, 'litres'],
  ['gallons?\\b', 'gallons'],
  [`kilomet${ER}s?\\b|km\\b`, 'km'],
  [`millimet${ER}s?\\b|mm\\b`, 'mm'],
  [`centimet${ER}s?\\b|cm\\b`, 'cm'],
  [`nanomet${ER}s?\\b|nm\\b`, 'nm'],
  ['light[- ]years?\\b', 'light-years'],
  [`met${ER}s?\\b|m\\b(?![/²³])`, 'm'],
  ['miles?\\b', 'miles'],
  ['feet\\b|foot\\b|ft\\b', 'feet'],
  ['inch(?:es)?\\b', 'inches'],
  ['metric tons?\\b|tonnes?\\b|tons?\\b', 'tonnes'],
  ['kilograms?\\b|kilos?\\b|kg\\b', 'kg'],
  ['milligrams?\\b|mg\\b', 'mg'],
  ['grams?\\b|g\\b', 'g'],
  ['terawatt[- ]hours?\\b|TWh\\b', 'TWh'],
  ['gigawatt[- ]hours?\\b|GWh\\b', 'GWh'],
  ['megawatt[- ]hours?\\b|MWh\\b', 'MWh'],
  ['kilowatt[- ]hours?\\b|kWh\\b', 'kWh'],
  ['watt[- ]hours?\\b|Wh\\b', 'Wh'],
  ['gigawatts?\\b|GW\\b', 'GW'],
  ['megawatts?\\b|MW\\b', 'MW'],
  ['kilowatts?\\b|kW\\b', 'kW'],
  ['parts per million\\b|ppm\\b', 'ppm'],
  ['times\\b', 'times'],
  ['years?\\b|yrs?\\b', 'years'],
  ['months?\\b', 'months'],
  ['weeks?\\b', 'weeks'],
  ['days?\\b', 'days'],
  ['hours?\\b|hrs?\\b', 'hours'],
  ['minutes?\\b|mins?\\b', 'minutes'],
  ['seconds?\\b|secs?\\b', 'seconds'],
  ['decades?\\b', 'decades'],
  ['(?:US|U\\.S\\.|American) dollars?\\b|dollars?\\b|USD\\b', 'US dollars'],
  ['euros?\\b|EUR\\b', 'euros'],
  ['pounds sterling\\b|sterling\\b|pounds?\\b|GBP\\b', 'British pounds'],
  ['yen\\b|JPY\\b', 'yen'],
  ['yuan\\b|renminbi\\b|RMB\\b|CNY\\b', 'yuan'],
  ['rupees?\\b|INR\\b', 'rupees'],
  ['roubles?\\b|rubles?\\b|RUB\\b', 'roubles'],
  ['tenge\\b|KZT\\b', 'tenge'],
  ['cents?\\b', 'cents'],
  ['head\\b(?= of)', 'head'],
  ['people\\b|persons\\b|individuals\\b|residents\\b|inhabitants\\b|citizens\\b', 'people'],
];

export const UNIT_PATTERNS: UnitPattern[] = RAW.map(([src, name, glued]) => ({
  re: new RegExp(`(?:${src})`, 'y'),
  name,
  glued,
}));

// Currency signs and codes written before the number ("$800 million", "US$ 5", "€12.5bn").
export const CURRENCY_PREFIX: [RegExp, string][] = [
  [/(?:US|U\.S\.)\s?\$\s?$/, 'US dollars'],
  [/C\$\s?$/, 'Canadian dollars'],
  [/A\$\s?$/, 'Australian dollars'],
  [/HK\$\s?$/, 'Hong Kong dollars'],
  [/\$\s?$/, 'US dollars'],
  [/€\s?$/, 'euros'],
  [/£\s?$/, 'British pounds'],
  [/¥\s?$/, 'yen'],
  [/₹\s?$/, 'rupees'],
  [/\b(?:USD|US dollars?)\s$/, 'US dollars'],
  [/\bEUR\s$/, 'euros'],
  [/\bGBP\s$/, 'British pounds'],
  [/\bRs\.?\s?$/, 'rupees'],
];

// The denominator of a rate, after "per", "a", "an", "each", "every" or "/".
export const RATE = new RegExp(
  `^(?:\\s?/\\s?|\\s+(?:per|a|an|each|every)\\s+)(square kilomet${ER}|sq\\.? ?km|km²|km2|square mile|year|day|month|week|hour|second|minute|game|match|share|barrel|lit${ER}|woman|capita|person|kilogram|kg|household|head|tonne|ton)\\b`,
  'i',
);

// Denominators as normalised in a unit name.
export const RATE_NAMES: Record<string, string> = {
  'square kilometer': 'km²',
  'square kilometre': 'km²',
  'sq km': 'km²',
  'sq. km': 'km²',
  sqkm: 'km²',
  km2: 'km²',
  'square mile': 'mi²',
  kilogram: 'kg',
  liter: 'litre',
  ton: 'tonne',
};

// A yearly rate written after the unit or after what it counts ("tonnes of crude a year").
export const ANNUAL = /^(?:\s+of(?:\s+[\p{L}\d]+){1,2})?(?:\s+|,\s*)(?:annually|a year|per year|each year|every year|per annum|a day|per day|each day|every day)\b/u;
