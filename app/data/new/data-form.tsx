'use client';

import dynamic from 'next/dynamic';
import Link from 'next/link';
import { startTransition, useActionState, useState } from 'react';
import { chartType, DEFAULT_VIEW } from '@/lib/domain/chart-view';
import { submitData, type DataFormState } from './actions';

const IndicatorChart = dynamic(() => import('../../indicators/[slug]/indicator-chart'), {
  ssr: false,
  loading: () => <div className="chart-placeholder">Loading chart…</div>,
});

type IndicatorOption = {
  slug: string;
  title: string;
  unitLong: string;
  unitShort: string;
  decimals: number;
};

type Props = {
  indicators: IndicatorOption[];
  entities: { code: string; name: string }[];
  preselected?: string;
  formats: { value: string; label: string }[];
  maxUploadMb: number;
};

const initial: DataFormState = {
  intent: null,
  fieldErrors: [],
  report: null,
  chart: [],
  error: null,
};

export function DataForm({ indicators, entities, preselected, formats, maxUploadMb }: Props) {
  const [state, formAction, pending] = useActionState(submitData, initial);
  const [indicatorMode, setIndicatorMode] = useState<'existing' | 'new'>(
    indicators.length ? 'existing' : 'new',
  );
  const [slug, setSlug] = useState(preselected ?? indicators[0]?.slug ?? '');
  const [unit, setUnit] = useState(
    indicators.find((i) => i.slug === (preselected ?? indicators[0]?.slug))?.unitShort ?? '',
  );
  const [mode, setMode] = useState<'file' | 'grid'>('file');
  const [rows, setRows] = useState(5);
  // Save is offered for exactly what was last previewed: any edit asks for a new preview.
  const [dirty, setDirty] = useState(true);
  const report = state.report;
  const previewed = state.intent === 'preview' && report?.ok && !dirty;
  const saved = state.intent === 'save' && report?.committed;
  const indicator = indicators.find((i) => i.slug === slug);

  return (
    <form
      className="data-form"
      action={formAction}
      onChange={() => setDirty(true)}
      onSubmit={(e) => {
        // With JavaScript, submit without React's automatic form reset, so the chosen
        // file and typed values stay for the Save that follows the preview.
        e.preventDefault();
        const submitter = (e.nativeEvent as SubmitEvent).submitter as HTMLButtonElement | null;
        const data = new FormData(e.currentTarget);
        data.set('intent', submitter?.value ?? 'preview');
        if (submitter?.value === 'preview') setDirty(false);
        startTransition(() => formAction(data));
      }}
    >
      <fieldset>
        <legend>What to add to</legend>
        <div className="field-row" role="radiogroup" aria-label="Indicator">
          <label>
            <input
              type="radio"
              name="indicatorMode"
              value="existing"
              checked={indicatorMode === 'existing'}
              onChange={() => setIndicatorMode('existing')}
            />
            An existing indicator
          </label>
          <label>
            <input
              type="radio"
              name="indicatorMode"
              value="new"
              checked={indicatorMode === 'new'}
              onChange={() => setIndicatorMode('new')}
            />
            A new indicator
          </label>
        </div>
        {indicatorMode === 'existing' ? (
          <label className="field">
            Indicator
            <select
              name="indicator"
              value={slug}
              onChange={(e) => {
                setSlug(e.currentTarget.value);
                setUnit(indicators.find((i) => i.slug === e.currentTarget.value)?.unitShort ?? '');
              }}
            >
              {indicators.map((i) => (
                <option key={i.slug} value={i.slug}>
                  {i.title} ({i.unitLong})
                </option>
              ))}
            </select>
          </label>
        ) : (
          <div className="field-grid">
            <label className="field">
              Slug
              <input
                name="newSlug"
                required
                pattern="[a-z0-9]+(-[a-z0-9]+)*"
                placeholder="oil-production"
              />
            </label>
            <label className="field">
              Title
              <input name="newTitle" required />
            </label>
            <label className="field">
              Unit (long)
              <input name="newUnitLong" required placeholder="million tonnes per year" />
            </label>
            <label className="field">
              Unit (short)
              <input name="newUnitShort" required placeholder="Mt/yr" />
            </label>
            <label className="field">
              Decimals
              <input name="newDecimals" type="number" min={0} max={10} defaultValue={0} />
            </label>
          </div>
        )}
        <div className="field-grid">
          <label className="field">
            Entity (ISO 3166 alpha-3)
            <input
              name="entity"
              list="entity-codes"
              placeholder="CHN"
              maxLength={3}
              autoCapitalize="characters"
            />
            <span className="hint">
              For typed values and files without an entity column (FRED).
            </span>
          </label>
          <label className="field">
            Only these entities
            <input name="entities" list="entity-codes" placeholder="CHN, KAZ" />
            <span className="hint">For files with many countries; empty keeps every country.</span>
          </label>
          <datalist id="entity-codes">
            {entities.map((e) => (
              <option key={e.code} value={e.code}>
                {e.name}
              </option>
            ))}
          </datalist>
          <label className="field">
            Unit of the values
            <input
              name="unit"
              required
              value={unit}
              onChange={(e) => setUnit(e.currentTarget.value)}
            />
            {indicator && (
              <span className="hint">
                The indicator’s unit is {indicator.unitLong}, or a convertible one.
              </span>
            )}
          </label>
          <label className="field">
            Series label (optional)
            <input name="label" placeholder="World Bank (China)" />
          </label>
        </div>
        <div className="field-row" role="radiogroup" aria-label="Kind">
          <span className="hint">Kind:</span>
          {(['observed', 'projection', 'reported'] as const).map((k) => (
            <label key={k}>
              <input type="radio" name="kind" value={k} defaultChecked={k === 'observed'} />
              {k[0]!.toUpperCase() + k.slice(1)}
            </label>
          ))}
        </div>
      </fieldset>

      <fieldset>
        <legend>Provenance</legend>
        <div className="field-grid">
          <label className="field">
            Source title
            <input name="sourceTitle" required placeholder="World Development Indicators" />
          </label>
          <label className="field">
            Producer or publisher
            <input name="sourceProducer" required placeholder="World Bank" />
          </label>
          <label className="field">
            URL
            <input
              name="sourceUrl"
              type="url"
              placeholder="https://data.worldbank.org/indicator/EN.POP.DNST"
            />
          </label>
          <label className="field">
            Full citation (if no URL)
            <input name="sourceCitation" />
          </label>
          <label className="field">
            Published (optional)
            <input name="sourcePublished" placeholder="2024-06-28" />
          </label>
          <label className="field">
            Accessed (optional)
            <input name="sourceAccessed" placeholder="2026-11-27" />
          </label>
          <label className="field">
            License (optional)
            <input name="sourceLicense" placeholder="CC BY 4.0" />
          </label>
          <label className="field">
            Note (optional)
            <input name="sourceNote" />
          </label>
        </div>
      </fieldset>

      <fieldset>
        <legend>Values</legend>
        <div className="field-row" role="radiogroup" aria-label="How to give the values">
          <label>
            <input
              type="radio"
              name="mode"
              value="file"
              checked={mode === 'file'}
              onChange={() => setMode('file')}
            />
            Upload a file
          </label>
          <label>
            <input
              type="radio"
              name="mode"
              value="grid"
              checked={mode === 'grid'}
              onChange={() => setMode('grid')}
            />
            Type them in
          </label>
        </div>
        {mode === 'file' ? (
          <div className="field-grid">
            <label className="field">
              CSV file
              <input name="file" type="file" accept=".csv,text/csv" />
              <span className="hint">Up to {maxUploadMb} MB.</span>
            </label>
            <label className="field">
              Format
              <select name="format" defaultValue="">
                <option value="">
                  Detect automatically
                  {report?.detected
                    ? ` (detected: ${formats.find((f) => f.value === report.detected)?.label})`
                    : ''}
                </option>
                {formats.map((f) => (
                  <option key={f.value} value={f.value}>
                    {f.label}
                  </option>
                ))}
              </select>
            </label>
          </div>
        ) : (
          <>
            <table className="grid">
              <thead>
                <tr>
                  <th scope="col">Row</th>
                  <th scope="col">Period</th>
                  <th scope="col">Value</th>
                  <th scope="col">Note</th>
                </tr>
              </thead>
              <tbody>
                {Array.from({ length: rows }, (_, i) => (
                  <tr key={i}>
                    <td>{i + 1}</td>
                    <td>
                      <input
                        name="gridPeriod"
                        aria-label={`Row ${i + 1} period`}
                        placeholder="2023"
                      />
                    </td>
                    <td>
                      <input
                        name="gridValue"
                        aria-label={`Row ${i + 1} value`}
                        inputMode="decimal"
                      />
                    </td>
                    <td>
                      <input name="gridNote" aria-label={`Row ${i + 1} note`} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            <button type="button" className="button" onClick={() => setRows((n) => n + 5)}>
              Add rows
            </button>
          </>
        )}
        {report && report.unknownEntities.length > 0 && (
          <label className="confirm">
            <input type="checkbox" name="createEntities" />
            Create {report.unknownEntities.length} new entit
            {report.unknownEntities.length === 1 ? 'y' : 'ies'}:{' '}
            {report.unknownEntities
              .slice(0, 10)
              .map((e) => `${e.code} (${e.name})`)
              .join(', ')}
            {report.unknownEntities.length > 10 ? ', …' : ''}
          </label>
        )}
      </fieldset>

      <div className="actions">
        <button
          type="submit"
          name="intent"
          value="preview"
          className="button primary"
          disabled={pending}
        >
          Preview
        </button>
        <button
          type="submit"
          name="intent"
          value="save"
          className="button"
          disabled={pending || !previewed}
        >
          Save
        </button>
        {pending && <span role="status">Working…</span>}
        {!previewed && !saved && (
          <span className="hint">
            Preview first; Save is enabled once the preview has no problems.
          </span>
        )}
      </div>

      <Results state={state} />
    </form>
  );
}

function Results({ state }: { state: DataFormState }) {
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
            {report.unit && report.unit.factor !== 1 && (
              <> Values in {report.unit.declared}, shown converted.</>
            )}
          </p>
          {report.committed && report.indicator && (
            <p>
              <Link href={`/indicators/${report.indicator.slug}`}>
                See {report.indicator.title}
              </Link>
            </p>
          )}
          {report.errors.length > 0 && (
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
          )}
          {report.warnings.length > 0 && (
            <ul className="meta">
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
          {report.entities.length > 0 && (
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
                    <tr key={e.code}>
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
          )}
          {report.changes.length > 0 && (
            <div className="table-wrap">
              <table data-testid="import-changes">
                <caption>
                  Changed values (old → new), {report.changesTotal} in all; the old revisions are
                  kept
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
                  {report.changes.map((c) => (
                    <tr key={`${c.entity}-${c.period}`}>
                      <td>{c.entity}</td>
                      <td>{c.period}</td>
                      <td className="num">{c.old}</td>
                      <td className="num">{c.new}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </>
      )}
    </section>
  );
}
