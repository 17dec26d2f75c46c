// Numbers that are not amounts of anything: years, dates, times of day, ordinals, phone
// numbers, house numbers, references ("page 17", "Article 5", "No. 5") and codes ("COVID-19",
// "G20", "F-16", "Boeing 737"). Each rule looks only at the few characters around the number.
import type { NumberToken } from './numbers';
import type { UnitMatch } from './units';

type Context = {
  before: string;
  after: string;
  raw: string;
  token: NumberToken;
  unit: UnitMatch | null;
};

const MONTH =
  '(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)';
const MONTH_BEFORE = new RegExp(`\\b${MONTH}\\.?\\s$`);
const MONTH_AFTER = new RegExp(`^\\s(?:of\\s)?${MONTH}\\b`);

const REFERENCE_WORDS =
  'page|pages|p\\.|pp\\.|section|sections|chapter|article|articles|clause|paragraph|no\\.|nos\\.|number|volume|vol\\.|issue|version|table|figure|fig\\.|item|resolution|decree|room|flight|route|highway|grade|level|phase|gate|platform|seat|suite|apartment|verse|annex|appendix|amendment|model|tier|category|code|session|episode|season|bus|lane|district|zone|ward|block|floor|exit|terminal|channel';
const REFERENCE_BEFORE = new RegExp(`\\b(?:${REFERENCE_WORDS}):?\\s$`, 'i');

// Capitalised words that may stand before an amount without naming it ("About 40", "Over 60%").
const FUNCTION_WORDS = new Set(
  `about around over some nearly almost roughly between from only just more fewer less up down
  at by of in on to with the a an and or approximately exactly under below above since until
  after before during for than another each every all its their his her our those these
  estimated an to reaching total totalling at least once while whereas but`.split(/\s+/),
);

function isYear({ token, unit, before, raw }: Context): boolean {
  const v = token.value;
  if (token.words || token.magnitude || !Number.isInteger(v) || v < 1000 || v > 2100) return false;
  if (/,/.test(raw) || /[$€£¥]\s?$/.test(before)) return false;
  // "2,000 tonnes" is an amount; "2000 tonnes" too, but "1990 levels" is a year.
  return !unit || !unit.measure;
}

function isDate({ token, before, after }: Context): boolean {
  if (token.words || !Number.isInteger(token.value) || token.value < 1 || token.value > 31) {
    return false;
  }
  return MONTH_BEFORE.test(before) || MONTH_AFTER.test(after);
}

function isTimeOrNumericDate({ before, after }: Context): boolean {
  if (/^:\d\d/.test(after) || /\d:$/.test(before)) return true;
  if (/^\/\d/.test(after) || /\d\/$/.test(before)) return true;
  return /^\s?(?:a\.m\.|p\.m\.|am\b|pm\b|o'clock\b|GMT\b|UTC\b|hrs\b)/i.test(after);
}

/** "3rd", "1980s", "221B": letters glued to the digits that are not a unit. */
function hasGluedLetters({ token, after, unit }: Context): boolean {
  if (token.words || !/^\p{L}/u.test(after)) return false;
  return !unit || unit.start > token.end;
}

// Digit groups in a row ("0800 555 0199", "+44 20 7946 0958") or "555-1234".
const PHONE =
  /(?<![\d,.])(?:\+\d{1,3}[\s.-]?)?(?:\(?\d{2,5}\)?[\s.-]){2,}\d{3,}(?![\d,.])|(?<![\d,.-])\d{3}-\d{4}(?![\d-])/g;

function phoneSpans(text: string): [number, number][] {
  return [...text.matchAll(PHONE)].map((m) => [m.index, m.index + m[0].length]);
}

function isPhoneNumber({ before }: Context): boolean {
  return /\b(?:call|phone|tel|telephone|helpline|hotline|fax|dial)\b[^.]{0,20}$/i.test(before);
}

function isAddress({ after }: Context): boolean {
  return /^\s(?:\p{Lu}\p{L}+\s){1,3}(?:Street|St\.?|Avenue|Ave\.?|Road|Rd\.?|Boulevard|Blvd\.?|Lane|Drive|Way|Place|Square|Court|Terrace)\b/u.test(
    after,
  );
}

/** "Article 5", "page 17", "Boeing 737", "COVID-19", "F-16", "Volume: 1". */
function isReferenceOrCode({ token, before }: Context): boolean {
  if (token.words) return false;
  if (REFERENCE_BEFORE.test(before)) return true;
  if (/\p{L}[-–]$/u.test(before)) return true;
  const word = /(\p{Lu}[\p{L}\d]*):?\s$/u.exec(before)?.[1];
  return !!word && !FUNCTION_WORDS.has(word.toLowerCase()) && !MONTH_BEFORE.test(`${word} `);
}

/** "2004-06", "2019-2020": the second half of a span of years. */
function followsYear({ before }: Context): boolean {
  return /\b(?:1[89]|20)\d\d[-–/]$/.test(before);
}

const RULES = [
  isYear,
  isDate,
  isTimeOrNumericDate,
  hasGluedLetters,
  isPhoneNumber,
  isAddress,
  isReferenceOrCode,
  followsYear,
];

/** A test of whether a number of `text` is something other than a quantity. */
export function notQuantityTest(text: string): (token: NumberToken, unit: UnitMatch | null) => boolean {
  const phones = phoneSpans(text);
  return (token, unit) => {
    if (phones.some(([a, b]) => token.start >= a && token.end <= b)) return true;
    const context = {
      before: text.slice(Math.max(0, token.start - 40), token.start),
      after: text.slice(token.end, token.end + 40),
      raw: text.slice(token.start, token.end),
      token,
      unit,
    };
    return RULES.some((rule) => rule(context));
  };
}
