// Hostile values for the fuzz pass (issue #25): tiny and huge finite numbers, NUL, lone
// surrogates, RTL marks, prototype names, long digit runs, odd cell references.
import fc from 'fast-check';

export const PROTOTYPE_NAMES = [
  'constructor',
  '__proto__',
  'toString',
  'hasOwnProperty',
  'valueOf',
  'prototype',
  'Republic of valueOf',
];

export const hostileNumber = fc.oneof(
  fc.constantFrom(
    5e-324,
    -5e-324,
    1e-310,
    1e-300,
    1e300,
    -1e300,
    1.79e308,
    -Number.MAX_VALUE,
    0,
    -0,
    Number.MIN_VALUE,
  ),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.integer(),
);

export const hostileText = fc.oneof(
  fc.constantFrom(
    '\u0000',
    'a\u0000b',
    '\uD800',
    'x\uDC00',
    '\u200F\u202Eevil',
    '%00',
    '../../etc/passwd',
    '<script>alert(1)</script>',
    "' OR 1=1 --",
    '1e999',
    'NaN',
    'Infinity',
    '-0',
    'AAAAAAA3',
    'XFD1048577',
    '9'.repeat(5000),
    `${'1'.repeat(20_000)}x`,
    ' ',
    '',
    ...PROTOTYPE_NAMES,
  ),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ maxLength: 40 }),
);
