'use client';

import './mapping-step.css';
import { DELIMITER_LABELS, DELIMITERS, ENCODINGS } from '@/lib/formats/mapping';
import type { ColumnMapping, FileInfo } from '@/lib/formats/mapping';

type Props = {
  file: FileInfo;
  formatLabel: string | null;
  /** What the user chose; the rest is as detected. */
  mapping: ColumnMapping;
  onChange: (mapping: ColumnMapping) => void;
};

const ROLES = [
  ['entity', 'Entity column (name or code)'],
  ['code', 'ISO code column'],
  ['period', 'Period column'],
  ['seriesColumn', 'Series column (names the measure)'],
  ['unit', 'Unit column'],
  ['note', 'Note column'],
  ['low', 'Low column'],
  ['high', 'High column'],
] as const;

type Role = (typeof ROLES)[number][0];
const ROLE_FIELDS: (keyof ColumnMapping)[] = [...ROLES.map(([r]) => r), 'shape', 'values'];

/** The detected roles, so that a change to one keeps the others and makes the mapping whole. */
function detectedRoles(file: FileInfo): ColumnMapping {
  const out: ColumnMapping = {};
  for (const field of ROLE_FIELDS) {
    const v = file.mapping?.[field];
    if (v !== undefined) (out as Record<string, unknown>)[field] = v;
  }
  return out;
}

function withoutRoles(mapping: ColumnMapping): ColumnMapping {
  const out = { ...mapping };
  for (const field of [...ROLE_FIELDS, 'series', 'headerRow'] as const) delete out[field];
  return out;
}

const hasRoles = (m: ColumnMapping) => ROLE_FIELDS.some((f) => m[f] !== undefined);

/**
 * The column-mapping step: how the file was read (sheet, header row, encoding, delimiter, decimal
 * mark), which column holds what, which value columns or measures to import (one series each),
 * and codes for names the country library did not match. Every change previews again at once.
 */
export function MappingStep({ file, formatLabel, mapping, onChange }: Props) {
  const effective: ColumnMapping = { ...(file.mapping ?? {}), ...mapping };
  const needs = new Set(file.needs);
  // Open while anything is asked, and while the user is mapping.
  const open = needs.size > 0 || !file.confident || hasRoles(mapping);
  const setRole = (role: Role | 'shape', value: string) =>
    onChange({ ...detectedRoles(file), ...mapping, [role]: value });
  const setReading = (patch: ColumnMapping) => onChange({ ...mapping, ...patch });
  const columns = file.columns;
  const wide = effective.shape === 'wide';
  const bySeriesColumn = !!effective.seriesColumn;
  const chosen = new Set(
    bySeriesColumn ? (effective.series ?? file.chosen) : (effective.values ?? file.chosen),
  );
  const used = new Set(ROLES.map(([r]) => effective[r]).filter(Boolean));
  const valueChoices = bySeriesColumn
    ? file.series.map((s) => ({ key: s.key, label: s.label, count: s.values }))
    : columns
        .filter((c) => !used.has(c.ref))
        .map((c) => ({
          key: c.ref,
          label: c.name || c.ref,
          count: file.series.find((s) => s.key === c.ref)?.values ?? null,
        }));
  const toggle = (key: string, on: boolean) => {
    const next = new Set(chosen);
    if (on) next.add(key);
    else next.delete(key);
    const list = [...next];
    if (bySeriesColumn) onChange({ ...detectedRoles(file), ...mapping, series: list });
    else onChange({ ...detectedRoles(file), ...mapping, values: list });
  };

  return (
    <fieldset className="mapping" data-testid="mapping-step">
      <legend>Column mapping</legend>
      <p className="meta" data-testid="file-reading">
        {formatLabel ? <>Read as {formatLabel}: </> : null}
        {describeReading(file)}
      </p>
      {needs.has('columns') && (
        <p className="needs" role="status">
          The layout was not recognised with confidence. Say which column holds what; the preview
          updates as you choose.{' '}
          {file.mapping && !hasRoles(mapping) && (
            <button
              type="button"
              className="button"
              onClick={() => onChange({ ...mapping, ...detectedRoles(file) })}
            >
              Use this mapping
            </button>
          )}
        </p>
      )}
      {needs.has('series') && (
        <p className="needs" role="status">
          The file holds several {bySeriesColumn ? 'measures' : 'value columns'}: tick the ones to
          import (each becomes its own series).
        </p>
      )}
      {needs.has('decimal') && (
        <p className="needs" role="status">
          Numbers such as “1,234” could mean 1234 or 1.234: choose the decimal mark.
        </p>
      )}

      <details open={open || needs.has('decimal')}>
        <summary>Reading the file</summary>
        <div className="field-grid">
          {file.sheets.length > 0 && (
            <label className="field">
              Sheet
              <select
                value={mapping.sheet ?? file.sheet ?? ''}
                onChange={(e) =>
                  onChange({ ...withoutRoles(mapping), sheet: e.currentTarget.value })
                }
              >
                {file.sheets.map((s) => (
                  <option key={s}>{s}</option>
                ))}
              </select>
            </label>
          )}
          <label className="field">
            Header row
            <input
              type="number"
              min={1}
              value={mapping.headerRow ?? file.headerRow ?? 1}
              onChange={(e) => {
                const row = Number(e.currentTarget.value);
                if (Number.isInteger(row) && row > 0) {
                  onChange({ ...withoutRoles(mapping), headerRow: row });
                }
              }}
            />
            <span className="hint">Rows above it (titles, units) are skipped.</span>
          </label>
          {file.delimiter !== null && (
            <>
              <label className="field">
                Encoding
                <select
                  value={mapping.encoding ?? ''}
                  onChange={(e) =>
                    setReading({
                      encoding: (e.currentTarget.value || undefined) as ColumnMapping['encoding'],
                    })
                  }
                >
                  <option value="">Detect ({file.encoding})</option>
                  {ENCODINGS.map((enc) => (
                    <option key={enc}>{enc}</option>
                  ))}
                </select>
              </label>
              <label className="field">
                Delimiter
                <select
                  value={mapping.delimiter ?? ''}
                  onChange={(e) =>
                    setReading({
                      delimiter: (e.currentTarget.value || undefined) as ColumnMapping['delimiter'],
                    })
                  }
                >
                  <option value="">Detect ({DELIMITER_LABELS[file.delimiter]})</option>
                  {DELIMITERS.map((d) => (
                    <option key={d} value={d}>
                      {DELIMITER_LABELS[d]}
                    </option>
                  ))}
                </select>
              </label>
            </>
          )}
          <label className="field">
            Decimal mark
            <select
              value={mapping.decimal ?? ''}
              onChange={(e) =>
                setReading({
                  decimal: (e.currentTarget.value || undefined) as ColumnMapping['decimal'],
                })
              }
            >
              <option value="">
                {file.decimalHow === 'ambiguous'
                  ? 'Choose…'
                  : `Detect (${file.decimal === ',' ? 'comma' : 'point'})`}
              </option>
              <option value=".">Point: 1,234.5</option>
              <option value=",">Comma: 1.234,5</option>
            </select>
          </label>
        </div>
      </details>

      {columns.length > 0 && (
        <details open={open}>
          <summary>Columns</summary>
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
            {ROLES.filter(([role]) => !(wide && role === 'period')).map(([role, label]) => (
              <label className="field" key={role}>
                {label}
                <select
                  value={effective[role] ?? ''}
                  onChange={(e) => setRole(role, e.currentTarget.value)}
                >
                  <option value="">— none —</option>
                  {columns.map((c) => (
                    <option key={c.ref} value={c.ref}>
                      {c.name || `${c.ref} (no name)`}
                    </option>
                  ))}
                </select>
              </label>
            ))}
          </div>
          {!wide && (
            <fieldset className="choices">
              <legend>
                {bySeriesColumn
                  ? `Measures in “${effective.seriesColumn}” to import (one series each)`
                  : 'Value columns to import (one series each)'}
              </legend>
              {valueChoices.length === 0 && <p className="hint">None found.</p>}
              {valueChoices.map((c) => (
                <label key={c.key}>
                  <input
                    type="checkbox"
                    checked={chosen.has(c.key)}
                    onChange={(e) => toggle(c.key, e.currentTarget.checked)}
                  />
                  {c.label}
                  {c.label !== c.key ? ` [${c.key}]` : ''}
                  {c.count !== null ? <span className="hint"> {c.count} values</span> : null}
                </label>
              ))}
            </fieldset>
          )}
          {wide && bySeriesColumn && (
            <fieldset className="choices">
              <legend>Measures in “{effective.seriesColumn}” to import (one series each)</legend>
              {file.series.map((s) => (
                <label key={s.key}>
                  <input
                    type="checkbox"
                    checked={chosen.has(s.key)}
                    onChange={(e) => toggle(s.key, e.currentTarget.checked)}
                  />
                  {s.label}
                  {s.label !== s.key ? ` [${s.key}]` : ''}{' '}
                  <span className="hint">{s.values} values</span>
                </label>
              ))}
            </fieldset>
          )}
          <div className="table-wrap">
            <table className="samples" data-testid="column-samples">
              <caption>The first rows under the header (row {file.headerRow})</caption>
              <thead>
                <tr>
                  {columns.slice(0, 24).map((c) => (
                    <th key={c.ref} scope="col">
                      {c.name || c.ref}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {[0, 1, 2].map((r) => (
                  <tr key={r}>
                    {columns.slice(0, 24).map((c) => (
                      <td key={c.ref}>{c.samples[r] ?? ''}</td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </details>
      )}

      {file.names.length > 0 && (
        <div className="names" data-testid="unmatched-names">
          <p className="needs">
            {file.names.length} {file.names.length === 1 ? 'name matches' : 'names match'} no
            country for sure. Give each an ISO 3166 alpha-3 code (new codes can be created), or
            leave it to an entity already stored under that name.
          </p>
          <table>
            <thead>
              <tr>
                <th scope="col">Name in the file</th>
                <th scope="col">First row</th>
                <th scope="col">Code</th>
              </tr>
            </thead>
            <tbody>
              {file.names.map((n) => (
                <tr key={n.name}>
                  <td>{n.name}</td>
                  <td>{n.row}</td>
                  <td>
                    <input
                      aria-label={`Code for ${n.name}`}
                      list="entity-codes"
                      maxLength={3}
                      defaultValue={mapping.names?.[n.name] ?? ''}
                      onBlur={(e) => {
                        const code = e.currentTarget.value.trim().toUpperCase();
                        if (!/^[A-Z]{3}$/.test(code)) return;
                        onChange({
                          ...mapping,
                          names: { ...(mapping.names ?? {}), [n.name]: code },
                        });
                      }}
                    />
                    {n.candidates.length > 0 && (
                      <span className="hint">
                        {' '}
                        could be{' '}
                        {n.candidates.map((c) => (
                          <button
                            key={c}
                            type="button"
                            className="link-button"
                            onClick={() =>
                              onChange({
                                ...mapping,
                                names: { ...(mapping.names ?? {}), [n.name]: c },
                              })
                            }
                          >
                            {c}
                          </button>
                        ))}
                      </span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </fieldset>
  );
}

/** "UTF-8 (detected), semicolon-separated, decimal comma, thousands "."; header on row 2." */
export function describeReading(file: FileInfo): string {
  const how: Record<FileInfo['encodingHow'], string> = {
    bom: 'byte-order mark',
    'utf-8': 'valid UTF-8',
    detected: 'detected',
    chosen: 'chosen',
    xlsx: 'workbook',
  };
  const parts = [
    file.sheet !== null ? `sheet “${file.sheet}”` : `${file.encoding} (${how[file.encodingHow]})`,
  ];
  if (file.delimiter) parts.push(`${DELIMITER_LABELS[file.delimiter]}-separated`);
  if (file.decimal) {
    parts.push(
      `decimal ${file.decimal === ',' ? 'comma' : 'point'}${file.thousands ? `, thousands “${file.thousands}”` : ''} (${file.decimalHow})`,
    );
  } else if (file.decimalHow === 'ambiguous') parts.push('decimal mark unclear');
  if (file.headerRow !== null) parts.push(`header on row ${file.headerRow}`);
  return `${parts.join(', ')}.`;
}
