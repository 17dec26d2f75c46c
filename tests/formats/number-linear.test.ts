// Finding 4 of issue #25: number detection's pattern placed a required digit between two
// runs of digits and separators, so a rejected cell of n digits cost n² steps (a
// 300,000-digit cell about a minute; a workbook's 5M-digit shared string, hours).
import { describe, expect, it } from 'vitest';
import { guessNumberFormat } from '@/lib/formats/number';
import { parseDataFile } from '@/lib/formats';

describe('number detection in linear time', () => {
  it('rejects a long digit run that ends in a letter at once', () => {
    const cell = `${'1'.repeat(40_000)}x`;
    const started = performance.now();
    expect(guessNumberFormat([cell, '1,234.5'], ',')).toEqual({
      decimal: '.',
      thousands: ',',
      ambiguous: false,
    });
    // The quadratic pattern took about 5 s on this cell; a linear one takes well under 50 ms.
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('still reads what it read: separators, exponents, signs', () => {
    expect(guessNumberFormat(['12,5', '-3,25e2'], ';').decimal).toBe(',');
    expect(guessNumberFormat(["1'234'567"], ',').thousands).toBe("'");
    expect(guessNumberFormat(['..e5', '1 234,5'], ';')).toEqual({
      decimal: ',',
      thousands: ' ',
      ambiguous: false,
    });
  });

  it('parses a file with a 64 KB header and a 300,000-digit cell in well under a minute', () => {
    const csv = `entity,period,value,${'h'.repeat(70_000)}\nFrance,2020,${'1'.repeat(300_000)}x,x\n`;
    const started = performance.now();
    parseDataFile(new TextEncoder().encode(csv));
    expect(performance.now() - started).toBeLessThan(5000);
  });
});
