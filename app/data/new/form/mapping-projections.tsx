'use client';

import { useState } from 'react';
import { effectiveOf, withRoles, type StepProps } from './mapping-shared';

/**
 * Publishers mark estimates and projections in a column ("Type": "Projection") or by a rule
 * ("Estimates start after 2022"): those values become a projection series beside the observed.
 */
export function ProjectionSplit({ file, mapping, onChange }: StepProps) {
  const rule = effectiveOf(file, mapping).projections;
  const columns = file.columns.filter((c) => c.distinct && c.distinct.length > 1);
  // A column chosen waits here until one of its values is ticked: a column alone splits nothing.
  const [picked, setPicked] = useState(rule?.column ?? '');
  const column = columns.find((c) => c.ref === picked);
  const set = (next: typeof rule) => onChange(withRoles(file, mapping, { projections: next }));
  const toggle = (value: string, on: boolean) => {
    const values = on
      ? [...(rule?.values ?? []), value]
      : (rule?.values ?? []).filter((v) => v !== value);
    const after = rule?.after;
    set(values.length > 0 ? { column: picked, values, after } : after ? { after } : undefined);
  };
  return (
    <fieldset className="choices" data-testid="projections">
      <legend>Projections in the file</legend>
      <label>
        Values after this year are projections{' '}
        <input
          data-testid="projections-after"
          inputMode="numeric"
          placeholder="2022"
          defaultValue={rule?.after}
          onBlur={(e) => {
            const after = e.currentTarget.value.trim();
            if (after !== (rule?.after ?? ''))
              set(
                rule?.column
                  ? { column: rule.column, values: rule.values, after: after || undefined }
                  : after
                    ? { after }
                    : undefined,
              );
          }}
        />
      </label>
      {columns.length > 0 && (
        <label>
          or the column that marks them{' '}
          <select
            data-testid="projections-column"
            value={picked}
            onChange={(e) => {
              setPicked(e.currentTarget.value);
              if (rule?.column) set(rule.after ? { after: rule.after } : undefined);
            }}
          >
            <option value="">None</option>
            {columns.map((c) => (
              <option key={c.ref} value={c.ref}>
                {c.name || c.ref}
              </option>
            ))}
          </select>
        </label>
      )}
      {column?.distinct?.map((v) => (
        <label key={v}>
          <input
            type="checkbox"
            checked={(rule?.column === picked && rule.values?.includes(v)) ?? false}
            onChange={(e) => toggle(v, e.currentTarget.checked)}
          />
          {v === '' ? '(empty)' : v} is a projection
        </label>
      ))}
    </fieldset>
  );
}
