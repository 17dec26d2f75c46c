// The indicator page's table: a page of the values the chart shows. Its rows are written
// as text (app/ui/markup.ts): they are most of the page's elements, and none of them changes
// once rendered.
import Link from 'next/link';
import { formatValue, KIND_LABELS } from '@/lib/domain/format';
import { formatPeriod } from '@/lib/domain/period';
import type { IndicatorView } from '@/lib/views/indicator';
import { markup, type Markup } from '../../ui/markup';
import { TableScroll } from '../../ui/table-scroll';

/** A link to another page of the table, keeping the chart view. */
function pageHref(v: IndicatorView, page: number) {
  const params = new URLSearchParams(v.query);
  if (page > 1) params.set('page', String(page));
  const qs = params.toString();
  return `/indicators/${v.indicator.slug}${qs ? `?${qs}` : ''}#data`;
}

/** A page of the values in view, with a pager and the CSV of them all. */
export function DataTable({ v }: { v: IndicatorView }) {
  const { rows, page, pageCount, total } = v.table;
  if (total === 0) return <p className="meta">No values in the selected series and time range.</p>;
  const first = (page - 1) * v.table.pageSize + 1;
  return (
    <>
      <TableScroll label="Data table">
        <table data-testid="data-table">
          <caption className="visually-hidden">
            {v.indicator.title}: the values the chart shows, in {v.unit.long}
            {v.transform.id !== 'absolute' && `, with ${v.transform.description}`}
          </caption>
          <thead>
            <tr>
              <th scope="col">Series</th>
              <th scope="col">Entity</th>
              <th scope="col">Kind</th>
              <th scope="col">Period</th>
              {v.transform.id !== 'absolute' && (
                <th scope="col" className="num" data-transform={v.transform.id}>
                  {v.transform.label} ({v.transform.unit.short})
                </th>
              )}
              <th scope="col" className="num">
                Value ({v.unit.short})
              </th>
              <th scope="col">Note</th>
            </tr>
          </thead>
          <tbody dangerouslySetInnerHTML={{ __html: tableRows(v).text }} />
        </table>
      </TableScroll>
      {pageCount > 1 && (
        <nav className="pager" aria-label="Table pages" data-testid="table-pager">
          <span>
            Rows {first.toLocaleString('en-US')}–{(first + rows.length - 1).toLocaleString('en-US')}{' '}
            of {total.toLocaleString('en-US')}
          </span>
          {page > 1 && <Link href={pageHref(v, page - 1)}>Previous</Link>}
          {page < pageCount && <Link href={pageHref(v, page + 1)}>Next</Link>}
          <a href={`/indicators/${v.indicator.slug}/data.csv${v.query ? `?${v.query}` : ''}`}>
            All {total.toLocaleString('en-US')} values as CSV
          </a>
        </nav>
      )}
    </>
  );
}

/** The table's rows, one per value: series, entity, kind, period, [transformed], value, note. */
export function tableRows(v: IndicatorView): Markup {
  const byId = new Map(v.series.map((s) => [s.id, s]));
  const transformed = v.transform.id !== 'absolute';
  return markup`${v.table.rows.map((r) => {
    const s = byId.get(r.seriesId)!;
    const shown = r.shown === null ? '–' : formatValue(r.shown, v.transform.decimals);
    const original = r.original
      ? markup`<span class="meta"> converted from ${formatValue(r.original.value, 0)} ${r.original.unit}</span>`
      : null;
    const cells = [
      markup`<td>${s.label}</td>`,
      markup`<td>${s.entity.name} (${s.entity.code})</td>`,
      markup`<td>${KIND_LABELS[s.kind]}</td>`,
      markup`<td>${formatPeriod(r.period, r.precision)}</td>`,
      transformed ? markup`<td class="num" data-transformed="">${shown}</td>` : null,
      markup`<td class="num">${formatValue(r.value, v.indicator.decimals)}</td>`,
      markup`<td>${r.note}${original}</td>`,
    ];
    return markup`<tr data-series="${r.seriesId}">${cells}</tr>`;
  })}`;
}
