// The indicator page's table rows, written as text (app/indicators/[slug]/data-table.tsx,
// app/ui/markup.ts): every value from the data is escaped, so a label or a note from an
// imported file stays text, and the cells are those the page always had.
import { parseHTML } from 'linkedom';
import { describe, expect, it } from 'vitest';
import { tableRows } from '@/app/indicators/[slug]/data-table';
import { markup, Markup } from '@/app/ui/markup';
import type { IndicatorView } from '@/lib/views/indicator';

const HOSTILE = `<img src=x onerror="alert(1)">&'"`;

/** The fields of a view the rows read; the rest of a view plays no part. */
function view(transform: 'absolute' | 'relative'): IndicatorView {
  return {
    indicator: { decimals: 1 },
    transform: { id: transform, decimals: 2 },
    series: [
      { id: 7, label: HOSTILE, kind: 'projection', entity: { name: 'China <CN>', code: 'CHN' } },
    ],
    table: {
      rows: [
        {
          seriesId: 7,
          period: '2010',
          precision: 'year',
          value: 1234.56,
          shown: 12.345,
          note: `a note </td><script>alert(2)</script>`,
          original: { value: 1234560, unit: 'kg & more' },
        },
        { seriesId: 7, period: '2011-03', precision: 'month', value: 5, shown: null, note: null },
      ],
    },
  } as unknown as IndicatorView;
}

function cellsOf(rows: Markup) {
  const { document } = parseHTML(`<table><tbody>${rows.text}</tbody></table>`);
  return [...document.querySelectorAll('tr')].map((tr) => ({
    series: tr.getAttribute('data-series'),
    cells: [...tr.querySelectorAll('td')].map((td) => td.textContent),
    elements: tr.querySelectorAll('*').length,
  }));
}

describe('the data table rows', () => {
  it('keeps every value from the data as text', () => {
    const rows = cellsOf(tableRows(view('absolute')));
    expect(rows).toHaveLength(2);
    expect(rows[0]!.series).toBe('7');
    expect(rows[0]!.cells).toEqual([
      HOSTILE,
      'China <CN> (CHN)',
      'Projection',
      '2010',
      '1,234.6',
      'a note </td><script>alert(2)</script> converted from 1,234,560 kg & more',
    ]);
    // Seven cells and the one span of the conversion: nothing the data wrote became markup.
    expect(rows[0]!.elements).toBe(7);
    expect(tableRows(view('absolute')).text).not.toMatch(/<img|<script/);
  });

  it('adds the transformed value before the value when a transform is applied', () => {
    const rows = cellsOf(tableRows(view('relative')));
    expect(rows[0]!.cells.slice(3, 5)).toEqual(['2010', '12.35']);
    expect(rows[1]!.cells.slice(3, 6)).toEqual(['Mar 2011', '–', '5.0']);
    expect(rows[1]!.cells[6]).toBe('');
  });
});

describe('markup', () => {
  it('escapes what it is given, and keeps markup, arrays and numbers', () => {
    const inner = markup`<b>${'<i>'}</b>`;
    expect(
      markup`<p title="${`"x" & 'y'`}">${inner}${[inner, 0]}${null}${false}${undefined}</p>`.text,
    ).toBe('<p title="&quot;x&quot; &amp; &#39;y&#39;"><b>&lt;i&gt;</b><b>&lt;i&gt;</b>0</p>');
  });
});
