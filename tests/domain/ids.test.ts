import { describe, expect, it } from 'vitest';
import { idSchema, parseId } from '@/lib/domain/ids';

describe('parseId', () => {
  it('accepts positive safe integers written plainly', () => {
    expect(parseId('1')).toBe(1);
    expect(parseId('42')).toBe(42);
    expect(parseId(String(Number.MAX_SAFE_INTEGER))).toBe(Number.MAX_SAFE_INTEGER);
  });

  it('refuses everything that names no row', () => {
    for (const text of [
      '0',
      '-1',
      '01',
      '1.5',
      '1e3',
      '0x10',
      ' 7',
      '7 ',
      '+7',
      '',
      'NaN',
      'Infinity',
      String(Number.MAX_SAFE_INTEGER + 1),
      '9223372036854775807',
      '99999999999999999999999',
      null,
      undefined,
    ]) {
      expect(parseId(text), String(text)).toBeNull();
    }
  });
});

describe('idSchema', () => {
  it('takes form strings and JSON numbers by the same rule', () => {
    expect(idSchema.parse('12')).toBe(12);
    expect(idSchema.parse(12)).toBe(12);
    expect(idSchema.safeParse(0).success).toBe(false);
    expect(idSchema.safeParse(1.5).success).toBe(false);
    expect(idSchema.safeParse(2 ** 53).success).toBe(false);
    expect(idSchema.safeParse('9223372036854775807').error?.issues[0]?.message).toBe(
      'must be a positive whole number (an id)',
    );
  });
});
