'use client';

import type { ColumnFilter } from '@/lib/formats/mapping';
import { effectiveOf, withRoles, type StepProps } from './mapping-shared';

/**
 * Which rows to keep: filters on any number of columns (each with its chosen values), and
 * "only the file's countries". Rows left out are skipped and counted, never errors.
 */
export function RowFilters({ file, mapping, onChange }: StepProps) {
  const effective = effectiveOf(file, mapping);
  const filters = effective.filters ?? [];
  const filterable = file.columns.filter((c) => c.distinct && c.distinct.length > 1);
  const setFilters = (next: ColumnFilter[]) =>
    onChange(withRoles(file, mapping, { filters: next.length > 0 ? next : undefined }));
  const toggle = (f: ColumnFilter, value: string, on: boolean) => {
    const values = on ? [...f.values, value] : f.values.filter((v) => v !== value);
    setFilters(
      values.length > 0
        ? filters.map((x) => (x.column === f.column ? { ...x, values } : x))
        : filters.filter((x) => x.column !== f.column),
    );
  };
  const free = filterable.filter((c) => !filters.some((f) => f.column === c.ref));
  return (
    <fieldset className="choices" data-testid="row-filters">
      <legend>Rows to keep</legend>
      <label>
        <input
          type="checkbox"
          data-testid="countries-only"
          checked={!!effective.countriesOnly}
          onChange={(e) =>
            onChange({ ...mapping, countriesOnly: e.currentTarget.checked || undefined })
          }
        />
        Only the file’s countries (skip regions, groups and totals)
      </label>
      {filters.map((f) => {
        const column = file.columns.find((c) => c.ref === f.column);
        return (
          <fieldset key={f.column} className="choices" data-testid={`filter-${f.column}`}>
            <legend>
              Keep rows whose “{column?.name || f.column}” is{' '}
              <button
                type="button"
                className="link-button"
                onClick={() => setFilters(filters.filter((x) => x !== f))}
              >
                remove filter
              </button>
            </legend>
            {(column?.distinct ?? f.values).map((v) => (
              <label key={v}>
                <input
                  type="checkbox"
                  checked={f.values.includes(v)}
                  onChange={(e) => toggle(f, v, e.currentTarget.checked)}
                />
                {v === '' ? '(empty)' : v}
              </label>
            ))}
          </fieldset>
        );
      })}
      {free.length > 0 && (
        <label className="field">
          Filter on a column
          <select
            data-testid="add-filter"
            value=""
            onChange={(e) => {
              const c = free.find((x) => x.ref === e.currentTarget.value);
              if (c) setFilters([...filters, { column: c.ref, values: [c.distinct![0]!] }]);
            }}
          >
            <option value="">Choose a column…</option>
            {free.map((c) => (
              <option key={c.ref} value={c.ref}>
                {c.name || c.ref} ({c.distinct!.length} values)
              </option>
            ))}
          </select>
        </label>
      )}
    </fieldset>
  );
}

/** A file about one country, or one period, says so here (meta.entity, meta.period). */
export function WholeFile({ file, mapping, onChange }: StepProps) {
  const refresh = () => onChange({ ...mapping });
  const effective = effectiveOf(file, mapping);
  return (
    <div className="field-grid" data-testid="whole-file">
      <label className="field">
        The whole file is about one entity
        <input
          name="fileEntity"
          data-testid="file-entity"
          list="entity-codes"
          placeholder="DEU"
          maxLength={3}
          autoCapitalize="characters"
          onBlur={refresh}
        />
        <span className="hint">
          {effective.entity || effective.code
            ? 'Choose “none” above for the entity first.'
            : 'Its ISO 3166 alpha-3 code, for a file with no country column.'}
        </span>
      </label>
      {effective.shape !== 'wide' && (
        <label className="field">
          The whole file is about one period
          <input name="filePeriod" data-testid="file-period" placeholder="2006" onBlur={refresh} />
          <span className="hint">
            For a table “as of” a year or date, when no column holds the period.
          </span>
        </label>
      )}
    </div>
  );
}
