'use client';

import type { FileInfo } from '@/lib/formats/mapping';
import { effectiveOf, ROLES, withRoles, type Role, type StepProps } from './mapping-shared';

/** Which column holds what, and the shape: one row per entity and period, or periods across. */
export function ColumnRoles({ file, mapping, onChange }: StepProps) {
  const effective = effectiveOf(file, mapping);
  const wide = effective.shape === 'wide';
  const setRole = (role: Role | 'shape', value: string) =>
    onChange(withRoles(file, mapping, { [role]: value }));
  return (
    <div className="field-grid">
      <label className="field">
        Shape
        <select
          value={wide ? 'wide' : 'long'}
          onChange={(e) => setRole('shape', e.currentTarget.value)}
        >
          <option value="long">One row per entity and period</option>
          <option value="wide">Periods across the columns (years as headers)</option>
        </select>
      </label>
      {ROLES.filter(([role]) => !(wide && (role === 'period' || role === 'month'))).map(
        ([role, label]) => (
          <label className="field" key={role}>
            {label}
            <select
              value={effective[role] ?? ''}
              onChange={(e) => setRole(role, e.currentTarget.value)}
            >
              <option value="">— none —</option>
              {file.columns.map((c) => (
                <option key={c.ref} value={c.ref}>
                  {c.name || `${c.ref} (no name)`}
                </option>
              ))}
            </select>
          </label>
        ),
      )}
    </div>
  );
}

type Choice = { key: string; label: string; count: number | null };

/** Checkboxes: value columns or measures (long files), or the header columns that are periods. */
export function ValueChoices({ file, mapping, onChange }: StepProps) {
  const effective = effectiveOf(file, mapping);
  const wide = effective.shape === 'wide';
  const bySeries = !!effective.seriesColumn;
  const used = new Set(ROLES.map(([r]) => effective[r]).filter(Boolean));
  const toggle = (chosen: Set<string>, key: string, on: boolean, field: 'series' | 'values') => {
    const next = new Set(chosen);
    if (on) next.add(key);
    else next.delete(key);
    onChange(withRoles(file, mapping, { [field]: [...next] }));
  };
  const measures: Choice[] = file.series.map((s) => ({
    key: s.key,
    label: s.label,
    count: s.values,
  }));
  const groups: {
    legend: string;
    field: 'series' | 'values';
    chosen: Set<string>;
    list: Choice[];
    testId: string;
  }[] = [];
  if (bySeries)
    groups.push({
      legend: `Measures in “${effective.seriesColumn}” to import (one series each)`,
      field: 'series',
      chosen: new Set(effective.series ?? file.chosen),
      list: measures,
      testId: 'measure-choices',
    });
  if (wide)
    groups.push({
      legend: 'Header columns that are periods',
      field: 'values',
      chosen: new Set(effective.values ?? file.periodColumns),
      list: file.columns
        .filter((c) => !used.has(c.ref))
        .map((c) => ({ key: c.ref, label: c.name || c.ref, count: null })),
      testId: 'period-columns',
    });
  else if (!bySeries)
    groups.push({
      legend: 'Value columns to import (one series each)',
      field: 'values',
      chosen: new Set(effective.values ?? file.chosen),
      list: file.columns
        .filter((c) => !used.has(c.ref))
        .map((c) => ({
          key: c.ref,
          label: c.name || c.ref,
          count: file.series.find((s) => s.key === c.ref)?.values ?? null,
        })),
      testId: 'value-choices',
    });
  return (
    <>
      {groups.map((g) => (
        <fieldset className="choices" key={g.testId} data-testid={g.testId}>
          <legend>{g.legend}</legend>
          {g.list.length === 0 && <p className="hint">None found.</p>}
          {g.list.map((c) => (
            <label key={c.key}>
              <input
                type="checkbox"
                checked={g.chosen.has(c.key)}
                onChange={(e) => toggle(g.chosen, c.key, e.currentTarget.checked, g.field)}
              />
              {c.label}
              {c.label !== c.key ? ` [${c.key}]` : ''}
              {c.count !== null ? <span className="hint"> {c.count} values</span> : null}
            </label>
          ))}
        </fieldset>
      ))}
    </>
  );
}

/** The first rows under the header, so the user sees what each column holds. */
export function SampleTable({ file }: { file: FileInfo }) {
  const columns = file.columns.slice(0, 24);
  return (
    <div className="table-wrap">
      <table className="samples" data-testid="column-samples">
        <caption>The first rows under the header (row {file.headerRow})</caption>
        <thead>
          <tr>
            {columns.map((c) => (
              <th key={c.ref} scope="col">
                {c.name || c.ref}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {[0, 1, 2].map((r) => (
            <tr key={r}>
              {columns.map((c) => (
                <td key={c.ref}>{c.samples[r] ?? ''}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
