'use client';

import '../../../ui/chart.css';
import './mapping-step.css';
import dynamic from 'next/dynamic';
import Link from 'next/link';
import { chartType, DEFAULT_VIEW } from '@/lib/domain/chart-view';
import type { DataFormState } from '../actions';
import { describeReading } from './mapping-step';

const IndicatorChart = dynamic(() => import('../../../indicators/[slug]/indicator-chart'), {
  ssr: false,
  loading: () => <div className="chart-placeholder">Loading chart…</div>,
});

/** What a preview or save found: the summary, how the file was read, problems, chart, changes. */
export function ImportReportView({ state }: { state: DataFormState }) {
  const { report, fieldErrors, error, chart } = state;
  return (
    <section aria-live="polite" className="results">
      {error && <p className="problem">{error}</p>}
      {fieldErrors.length > 0 && (
        <div className="problems" role="alert">
          <h2>Fix these fields</h2>
          <ul>
            {fieldErrors.map((e) => (
              <li key={`${e.path}-${e.message}`}>
                <strong>{e.path}</strong>: {e.message}
              </li>
            ))}
          </ul>
        </div>
      )}
      {report && (
        <>
          <h2>{report.committed ? 'Saved' : report.ok ? 'Preview' : 'Problems'}</h2>
          <p className={report.ok ? 'summary' : 'problem'} data-testid="import-summary">
            {report.message}
          </p>
          <p className="meta">
            {report.formatLabel && (
              <>
                Format: {report.formatLabel}
                {report.detected ? ' (detected)' : ''}.{' '}
              </>
            )}
            {report.rowsRead} rows read, {report.valuesRead} values.
            {report.counts.skipped > 0 && (
              <span data-testid="report-skipped">
                {' '}
                {report.counts.skipped} skipped as not chosen.
              </span>
            )}
            {report.unit && report.unit.factor !== 1 && (
              <> Values in {report.unit.declared}, shown converted.</>
            )}
            {report.file && <> File: {describeReading(report.file)}</>}
          </p>
          {report.file?.mapping && (
            <p className="meta" data-testid="report-mapping">
              Column mapping (send as <code>meta.mapping</code> to import the same way):{' '}
              <code>{JSON.stringify(report.file.mapping)}</code>
            </p>
          )}
          {report.committed && report.indicator && (
            <p>
              <Link href={`/indicators/${report.indicator.slug}`}>
                See {report.indicator.title}
              </Link>
            </p>
          )}
          <ProblemsTable report={report} />
          {report.warnings.length > 0 && (
            <ul className="warnings" data-testid="import-warnings">
              {report.warnings.map((w, i) => (
                <li key={i}>
                  {w.row !== null && <>Row {w.row}: </>}
                  {w.reason}
                </li>
              ))}
            </ul>
          )}
          {chart.length > 0 && (
            <div className="chart-area" data-chart-type={chartType(chart)}>
              <IndicatorChart
                series={chart}
                type={chartType(chart)}
                scale="linear"
                indicator={{
                  unitShort: report.indicator?.unitShort ?? '',
                  decimals: report.indicator?.decimals ?? 0,
                }}
                view={DEFAULT_VIEW}
              />
            </div>
          )}
          <SeriesTable report={report} />
          <ChangesTable report={report} />
        </>
      )}
    </section>
  );
}

type Report = NonNullable<DataFormState['report']>;

/** Every problem, with its row and column: nothing is saved while there are any. */
function ProblemsTable({ report }: { report: Report }) {
  if (!(report.errors.length > 0)) return null;
  return (
    <div className="table-wrap" role="alert">
      <table data-testid="import-errors">
        <caption>Problems (nothing is saved while there are any)</caption>
        <thead>
          <tr>
            <th scope="col">Row</th>
            <th scope="col">Column</th>
            <th scope="col">Reason</th>
          </tr>
        </thead>
        <tbody>
          {report.errors.map((e, i) => (
            <tr key={i}>
              <td>{e.row ?? '–'}</td>
              <td>{e.column ?? '–'}</td>
              <td>{e.reason}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** What would be added, revised or left unchanged, per series. */
function SeriesTable({ report }: { report: Report }) {
  if (!(report.entities.length > 0)) return null;
  return (
    <div className="table-wrap">
      <table data-testid="import-entities">
        <caption>Per series</caption>
        <thead>
          <tr>
            <th scope="col">Entity</th>
            <th scope="col">Series</th>
            <th scope="col" className="num">
              New
            </th>
            <th scope="col" className="num">
              Revised
            </th>
            <th scope="col" className="num">
              Unchanged
            </th>
          </tr>
        </thead>
        <tbody>
          {report.entities.slice(0, 50).map((e) => (
            <tr key={`${e.code}-${e.seriesLabel}`}>
              <td>
                {e.name} ({e.code}){e.isNew ? ' — new entity' : ''}
              </td>
              <td>{e.seriesLabel}</td>
              <td className="num">{e.added}</td>
              <td className="num">{e.changed}</td>
              <td className="num">{e.unchanged}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The values that change (old → new); the old revisions are kept. */
function ChangesTable({ report }: { report: Report }) {
  if (!(report.changes.length > 0)) return null;
  return (
    <div className="table-wrap">
      <table data-testid="import-changes">
        <caption>
          Changed values (old → new), {report.changesTotal} in all; the old revisions are kept
        </caption>
        <thead>
          <tr>
            <th scope="col">Entity</th>
            <th scope="col">Period</th>
            <th scope="col" className="num">
              Old
            </th>
            <th scope="col" className="num">
              New
            </th>
          </tr>
        </thead>
        <tbody>
          {report.changes.map((c, i) => (
            <tr key={`${c.entity}-${c.period}-${i}`}>
              <td>{c.entity}</td>
              <td>{c.period}</td>
              <td className="num">{c.old}</td>
              <td className="num">{c.new}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
