// The fuzz pass, part 1 (issue #25): the pure cores with hostile values: the chart
// layout and scene for any finite values, the file parsers for hostile cells and
// workbooks, number detection for long digit runs. No exception, no NaN, bounded time.
import fc from 'fast-check';
import { strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { valueAxis } from '@/lib/domain/chart-layout';
import { chartScene, sceneToSvg } from '@/lib/chart/chart-scene';
import { transformPoints } from '@/lib/domain/transform';
import { applyFormula } from '@/lib/domain/derive';
import { parseDataFile } from '@/lib/formats';
import { guessNumberFormat } from '@/lib/formats/number';
import { hostileNumber, hostileText } from './hostile';

const finite = fc.double({ noNaN: true, noDefaultInfinity: true });
const RUNS = 200;

describe('fuzz: the chart layout', () => {
  it('gives finite axes and drawings for any finite values', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(finite, hostileNumber), { minLength: 1, maxLength: 8 }),
        fc.constantFrom('log', 'linear') as fc.Arbitrary<'log' | 'linear'>,
        fc.integer({ min: 1, max: 4000 }),
        (values, scale, height) => {
          const axis = valueAxis(values, scale, height);
          expect(axis.domain.every(Number.isFinite)).toBe(true);
          expect(axis.ticks.length).toBeLessThan(1000);
          const svg = sceneToSvg(
            chartScene({
              series: [
                {
                  id: 1,
                  label: 'S',
                  kind: 'observed',
                  entityCode: 'AAA',
                  entityName: 'A',
                  color: '#000',
                  points: values.map((value, i) => ({
                    period: String(2000 + i),
                    precision: 'year' as const,
                    x: 2000 + i,
                    value,
                    low: null,
                    high: null,
                  })),
                },
              ],
              type: 'line',
              scale,
              range: { from: null, to: null },
              width: 600,
              height: Math.max(60, height),
              decimals: 2,
              unit: 'u',
              label: 'chart',
            }),
          );
          expect(svg).not.toMatch(/NaN|Infinity/);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('transforms and derives only finite values', () => {
    fc.assert(
      fc.property(fc.array(hostileNumber, { minLength: 1, maxLength: 6 }), (values) => {
        const points = values.map((value) => ({ value, low: null, high: null }));
        for (const t of ['relative', 'index', 'change'] as const)
          for (const p of transformPoints(points, t)) expect(Number.isFinite(p.value)).toBe(true);
        for (const f of ['ratio', 'share', 'difference'] as const) {
          const r = applyFormula(f, values[0], values[values.length - 1]);
          if (r.ok) expect(Number.isFinite(r.value)).toBe(true);
        }
      }),
      { numRuns: RUNS },
    );
  });
});

describe('fuzz: the parsers', () => {
  it('read hostile CSV cells without throwing', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(hostileText, hostileText, hostileText), { maxLength: 6 }),
        (rows) => {
          const csv = [
            'entity,period,value',
            ...rows.map((r) => r.map((c) => JSON.stringify(c)).join(',')),
          ];
          const started = performance.now();
          const result = parseDataFile(new TextEncoder().encode(csv.join('\n')));
          expect(performance.now() - started).toBeLessThan(5000);
          for (const v of result.values) expect(Number.isFinite(v.value)).toBe(true);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('read hostile workbooks (odd references, hostile strings) without throwing', () => {
    const ref = fc.oneof(
      fc.constantFrom('A1', 'XFD1', 'XFE1', 'AAAAAAA3', 'ZZZZZZZZZZ1', 'A0', '1A', '', 'a1'),
      fc.string({ maxLength: 12 }),
    );
    fc.assert(
      fc.property(fc.array(fc.tuple(ref, hostileText), { maxLength: 5 }), (cells) => {
        const esc = (s: string) =>
          s
            .replace(/[^\x09\x0A\x0D\x20-\uD7FF\uE000-\uFFFD]/g, '')
            .replace(/&/g, '&amp;')
            .replace(/</g, '&lt;')
            .replace(/"/g, '&quot;');
        const row = cells
          .map(([r, t]) => `<c r="${esc(r)}" t="inlineStr"><is><t>${esc(t)}</t></is></c>`)
          .join('');
        const book = zipSync({
          'xl/workbook.xml': strToU8(
            '<workbook xmlns:r="r"><sheets><sheet name="S" r:id="rId1"/></sheets></workbook>',
          ),
          'xl/_rels/workbook.xml.rels': strToU8(
            '<Relationships><Relationship Id="rId1" Target="worksheets/sheet1.xml"/></Relationships>',
          ),
          'xl/worksheets/sheet1.xml': strToU8(
            `<worksheet><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>entity</t></is></c></row><row r="2">${row}</row></sheetData></worksheet>`,
          ),
        });
        const started = performance.now();
        parseDataFile(book);
        expect(performance.now() - started).toBeLessThan(5000);
      }),
      { numRuns: RUNS },
    );
  });

  it('detects numbers in linear time on long digit runs', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1000, max: 60_000 }),
        fc.constantFrom('x', ',', '.', ' ', 'e', "'", ''),
        (n, tail) => {
          const started = performance.now();
          guessNumberFormat([`${'1'.repeat(n)}${tail}`, `1,${'2'.repeat(n)}${tail}`], ',');
          expect(performance.now() - started).toBeLessThan(500);
        },
      ),
      { numRuns: 50 },
    );
  });
});
