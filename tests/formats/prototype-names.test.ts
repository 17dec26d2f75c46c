// Finding 7 of issue #25: an entity named "constructor" (or "toString", "__proto__",
// "Republic of valueOf") hit Object.prototype through a plain-object lookup and threw in
// the write worker. Names are only text: they match nothing, or what they spell.
import { describe, expect, it } from 'vitest';
import { countryCodesForName, isAggregateName } from '@/lib/formats/entities';
import { parseDataFile } from '@/lib/formats';

const NAMES = [
  'constructor',
  'toString',
  '__proto__',
  'hasOwnProperty',
  'Republic of valueOf',
  'isPrototypeOf, Rep.',
  '__defineGetter__',
  'propertyIsEnumerable',
];

describe('prototype names as user text', () => {
  it('are names that match no country', () => {
    for (const name of NAMES) {
      expect(countryCodesForName(name), name).toEqual([]);
      expect(isAggregateName(name)).toBe(false);
    }
  });

  it('read as entities of an uploaded file, each reported unmatched', () => {
    const csv = `entity,period,value\n${NAMES.map((n, i) => `"${n}",2020,${i}`).join('\n')}\n`;
    const parsed = parseDataFile(new TextEncoder().encode(csv));
    expect(parsed.values).toHaveLength(NAMES.length);
    expect(parsed.file.names?.map((u) => u.name).sort()).toEqual([...NAMES].sort());
  });
});
